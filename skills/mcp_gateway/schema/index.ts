/**
 * Converts an MCP tool's `inputSchema` into SWAIG `parameters` that validate against the SWML schema's
 * `FunctionParameters`, without losing what the LLM needs to call the tool.
 */
import { SchemaConverter } from './convert.js';
import { joinText } from './composite.js';
import { isObject, type FunctionParameters, type JsonObject, type SwaigProperty } from './json-schema.js';

export type { FunctionParameters, SwaigProperty } from './json-schema.js';

export interface ConvertedParameters {
  /** Valid SWML `FunctionParameters`: `{ type: 'object', properties, required? }`. */
  parameters: FunctionParameters;
  /** Text about the input as a whole (its description, or rules such as "give a | b") for the function description. */
  description?: string;
}

/**
 * Converts a JSON Schema (any draft MCP servers emit: draft-07 from zod, 2020-12, pydantic with `$defs`) into
 * SWAIG parameters. Every property keeps its type, description, enum, default, nesting, `required` and
 * composition; keywords SWML forbids are folded into description text (see README "Schema conversion").
 */
export function convertInputSchema(inputSchema: unknown): ConvertedParameters {
  const root = isObject(inputSchema) ? inputSchema : {};
  // Titles such as "add_todoArguments" and `additionalProperties` say nothing useful about the argument object.
  const { title: _title, additionalProperties: _extra, $schema: _schema, ...top } = root;
  const converter = new SchemaConverter(root);
  const converted = converter.convert({ type: 'object', ...top }, undefined, 0);
  return toParameters(converted);
}

function toParameters(prop: SwaigProperty): ConvertedParameters {
  if (prop.type === 'object') return fromObject(prop);
  const branches = Array.isArray(prop.anyOf) ? prop.anyOf : Array.isArray(prop.oneOf) ? prop.oneOf : undefined;
  const objects = (branches ?? []).filter((b): b is JsonObject => isObject(b) && b.type === 'object');
  if (objects.length === 0) {
    return { parameters: { type: 'object', properties: {} }, description: 'This tool takes no named arguments.' };
  }
  return mergeAlternatives(objects, Array.isArray(prop.oneOf));
}

function fromObject(prop: SwaigProperty): ConvertedParameters {
  const properties = isObject(prop.properties) ? (prop.properties as Record<string, SwaigProperty>) : {};
  const required = Array.isArray(prop.required) ? (prop.required as string[]) : [];
  const description = typeof prop.description === 'string' ? prop.description : undefined;
  return {
    parameters: { type: 'object', properties, ...(required.length > 0 ? { required } : {}) },
    ...(description ? { description } : {}),
  };
}

/**
 * `parameters` cannot be a union, so alternative argument shapes become one object: every property of every
 * shape, required only where all shapes require it, and a description naming the shapes.
 */
function mergeAlternatives(objects: JsonObject[], exactlyOne: boolean): ConvertedParameters {
  const properties: Record<string, SwaigProperty> = {};
  const requiredSets = objects.map((o) => (Array.isArray(o.required) ? (o.required as string[]) : []));
  for (const object of objects) {
    for (const [key, sub] of Object.entries(isObject(object.properties) ? object.properties : {})) {
      const existing = properties[key];
      properties[key] =
        existing === undefined || JSON.stringify(existing) === JSON.stringify(sub)
          ? (sub as SwaigProperty)
          : { anyOf: [...(Array.isArray(existing.anyOf) ? existing.anyOf : [existing]), sub] };
    }
  }
  const required = (requiredSets[0] ?? []).filter((key) => requiredSets.every((set) => set.includes(key)));
  const shapes = objects.map((o, i) => {
    const keys = Object.keys(isObject(o.properties) ? o.properties : {});
    const label = keys.length > 0 ? keys.map((k) => ((requiredSets[i] ?? []).includes(k) ? k : `${k}?`)).join(', ') : 'no arguments';
    return `(${label})`;
  });
  const description = joinText(
    typeof objects[0]?.description === 'string' && objects.every((o) => o.description === objects[0]?.description) ? objects[0].description : undefined,
    `Arguments take ${exactlyOne ? 'exactly one' : 'one'} of these forms: ${shapes.join(' | ')}.`,
  );
  return {
    parameters: { type: 'object', properties, ...(required.length > 0 ? { required } : {}) },
    ...(description ? { description } : {}),
  };
}
