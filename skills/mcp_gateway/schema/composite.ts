/** anyOf / oneOf / allOf handling: null branches → nullable, const branches → enum, object allOf → one object. */
import type { SchemaConverter } from './convert.js';
import { composeDescription, constraintNotes } from './notes.js';
import { formatValue, isObject, jsonTypeOf, type JsonObject, type SwaigProperty } from './json-schema.js';

interface CompositeContext {
  name: string | undefined;
  depth: number;
  conv: SchemaConverter;
}

const SHAPE_KEYS = ['type', 'properties', 'items', 'prefixItems', '$ref', 'const', 'enum', 'anyOf', 'oneOf', 'allOf', 'format', 'pattern'];

/** Joins two texts as sentences, skipping empties and repeats. */
export function joinText(first: unknown, second: unknown): string | undefined {
  const a = typeof first === 'string' ? first.trim() : '';
  const b = typeof second === 'string' ? second.trim() : '';
  if (!a || a === b) return b || undefined;
  if (!b || a.includes(b)) return a;
  return `${a}${/[.!?:)]$/.test(a) ? '' : '.'} ${b}`;
}

/** Merges two schemas: `over` wins on plain keys; properties and required are unioned; descriptions joined. */
export function mergeSchemas(base: JsonObject, over: JsonObject): JsonObject {
  const out: JsonObject = { ...base, ...over };
  if (isObject(base.properties) && isObject(over.properties)) {
    const properties: JsonObject = { ...base.properties };
    for (const [key, sub] of Object.entries(over.properties)) {
      properties[key] = key in properties ? { allOf: [properties[key], sub] } : sub;
    }
    out.properties = properties;
  }
  if (Array.isArray(base.required) || Array.isArray(over.required)) {
    out.required = [...new Set([...asArray(base.required), ...asArray(over.required)])];
  }
  const description = joinText(base.description, over.description);
  if (description) out.description = description;
  return out;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function isNullSchema(branch: unknown): boolean {
  if (!isObject(branch)) return false;
  if (branch.type === 'null' || ('const' in branch && branch.const === null)) return true;
  return Array.isArray(branch.enum) && branch.enum.length === 1 && branch.enum[0] === null;
}

/** Branches such as `{required:['a']}` that only add rules to the parent's own shape. */
function isConstraintOnly(branch: unknown): boolean {
  return isObject(branch) && !SHAPE_KEYS.some((key) => key in branch);
}

function hasShape(schema: JsonObject): boolean {
  return SHAPE_KEYS.some((key) => key in schema);
}

function describeRules(branches: unknown[], exactlyOne: boolean): string {
  const sets = branches.map((b) => (isObject(b) && Array.isArray(b.required) ? b.required.join(' and ') : ''));
  if (sets.every((s) => s.length > 0)) return `give ${exactlyOne ? 'exactly one of' : 'at least one of'}: ${sets.join(' | ')}`;
  return `must also satisfy ${exactlyOne ? 'exactly one' : 'at least one'} of several rules`;
}

/** Adds the parent's description to a converted branch (SWML composite variants cannot carry one themselves). */
function attachDescription(prop: SwaigProperty, text: string | undefined): SwaigProperty {
  if (!text) return prop;
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const branches = prop[key];
    if (Array.isArray(branches)) return { [key]: branches.map((b) => attachDescription(b as SwaigProperty, text)) };
  }
  if (typeof prop.type !== 'string') return prop;
  const { type, description, ...rest } = prop;
  return { type, description: joinText(text, description), ...rest };
}

/** Marks a converted property as accepting null. */
export function markNullable(prop: SwaigProperty): SwaigProperty {
  if (typeof prop.type === 'string') return prop.type === 'null' ? prop : { ...prop, nullable: true };
  const nullBranch = { type: 'null', description: 'No value' };
  if (Array.isArray(prop.anyOf)) return { anyOf: [...prop.anyOf, nullBranch] };
  return { anyOf: [prop, nullBranch] };
}

/** The parent's own text (description, title, constraints) to repeat on every branch. */
function parentText(siblings: JsonObject, name: string | undefined): string | undefined {
  const notes = constraintNotes(siblings, new Set(['type', 'properties', 'required', 'items']));
  if ('default' in siblings) notes.push(`default ${formatValue(siblings.default)}`);
  return composeDescription(siblings, notes, name);
}

/** All branches are constants of one scalar type → a typed enum (labels from titles/descriptions kept as a note). */
function collapseConsts(branches: unknown[], siblings: JsonObject): JsonObject | undefined {
  const values: unknown[] = [];
  const labels: string[] = [];
  for (const branch of branches) {
    if (!isObject(branch)) return undefined;
    const value = 'const' in branch ? branch.const : Array.isArray(branch.enum) && branch.enum.length === 1 ? branch.enum[0] : undefined;
    if (value === undefined || !['string', 'integer', 'number'].includes(jsonTypeOf(value))) return undefined;
    values.push(value);
    const label = joinText(branch.title, branch.description);
    if (label) labels.push(`${formatValue(value)} = ${label}`);
  }
  const kinds = new Set(values.map(jsonTypeOf));
  if (kinds.has('string') && kinds.size > 1) return undefined;
  const type = kinds.has('string') ? 'string' : kinds.has('number') ? 'number' : 'integer';
  const description = labels.length > 0 ? joinText(siblings.description, `(${labels.join('; ')})`) : siblings.description;
  return { ...siblings, type, enum: values, ...(description ? { description } : {}) };
}

/** Adds shared parent properties/type to an inline object branch. */
function withSharedShape(branch: unknown, siblings: JsonObject): unknown {
  if (!isObject(branch) || '$ref' in branch) return branch;
  const shared: JsonObject = {};
  if (typeof siblings.type === 'string' && !('type' in branch)) shared.type = siblings.type;
  if (isObject(siblings.properties)) shared.properties = siblings.properties;
  if (Array.isArray(siblings.required)) shared.required = siblings.required;
  return Object.keys(shared).length > 0 ? mergeSchemas(shared, branch) : branch;
}

/** anyOf / oneOf. */
export function convertUnion(node: JsonObject, ctx: CompositeContext): SwaigProperty {
  const key = Array.isArray(node.oneOf) ? 'oneOf' : 'anyOf';
  const { [key]: rawBranches, ...siblings } = node;
  const branches = rawBranches as unknown[];
  const { conv, name, depth } = ctx;

  if (hasShape(siblings) && branches.length > 0 && branches.every(isConstraintOnly)) {
    const rule = describeRules(branches, key === 'oneOf');
    return conv.convert({ ...siblings, description: joinText(siblings.description, `(${rule})`) }, name, depth);
  }
  const nullable = branches.some(isNullSchema);
  const rest = branches.filter((b) => !isNullSchema(b));
  if (rest.length === 0) return conv.convert({ ...siblings, type: 'null' }, name, depth);
  if (rest.length === 1) {
    const only = rest[0];
    const merged = isObject(only) ? mergeSchemas(only, siblings) : siblings;
    const result = conv.convert(merged, name, depth);
    return nullable ? markNullable(result) : result;
  }
  const collapsed = collapseConsts(rest, siblings);
  if (collapsed) {
    const result = conv.convert(collapsed, name, depth);
    return nullable ? markNullable(result) : result;
  }
  const converted = rest.map((b) => conv.convert(withSharedShape(b, siblings), undefined, depth + 1));
  const text = parentText(siblings, name);
  const union: SwaigProperty = { [key]: converted.map((b) => attachDescription(b, text)) };
  return nullable ? markNullable(union) : union;
}

function isObjectLike(schema: unknown): schema is JsonObject {
  return isObject(schema) && (schema.type === 'object' || (schema.type === undefined && isObject(schema.properties)));
}

/** allOf: object branches merge into one object (what LLMs understand); anything else stays an allOf. */
export function convertAllOf(node: JsonObject, ctx: CompositeContext): SwaigProperty {
  const { allOf: rawBranches, ...siblings } = node;
  const branches = rawBranches as unknown[];
  const { conv, name, depth } = ctx;
  if (branches.length === 0) return conv.convert(siblings, name, depth);
  if (branches.length === 1) {
    const only = branches[0];
    return conv.convert(isObject(only) ? mergeSchemas(only, siblings) : siblings, name, depth);
  }
  const resolved = branches.map((b) => {
    if (!isObject(b) || typeof b.$ref !== 'string') return b;
    const { $ref, ...rest } = b;
    const target = conv.peekRef($ref);
    return isObject(target) ? { ...target, ...rest } : undefined;
  });
  const siblingsFit = siblings.type === undefined || siblings.type === 'object';
  if (siblingsFit && resolved.every(isObjectLike)) {
    const merged = resolved.reduce<JsonObject>((acc, b) => mergeSchemas(acc, b), { type: 'object' });
    return conv.convert(mergeSchemas(merged, siblings), name, depth);
  }
  const text = parentText(siblings, name);
  return { allOf: branches.map((b) => attachDescription(conv.convert(b, undefined, depth + 1), text)) };
}
