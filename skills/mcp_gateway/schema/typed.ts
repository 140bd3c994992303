/** Conversion of a schema with one known JSON type into the matching SWML property variant. */
import { composeDescription, constraintNotes } from './notes.js';
import { formatValue, isObject, jsonTypeOf, valueFitsType, type JsonObject, type PrimitiveType, type SwaigProperty } from './json-schema.js';

/** Recursion back into the converter for sub-schemas (`items`, `properties`). */
export type Recurse = (schema: unknown, name: string | undefined, depth: number) => SwaigProperty;

/** JSON Schema formats whose SWML spelling differs or matches (`StringFormat` enum in swml-schema.json). */
const FORMAT_MAP: Record<string, string> = {
  'date-time': 'date_time',
  date_time: 'date_time',
  time: 'time',
  date: 'date',
  duration: 'duration',
  email: 'email',
  hostname: 'hostname',
  ipv4: 'ipv4',
  ipv6: 'ipv6',
  uri: 'uri',
  uuid: 'uuid',
};

/** Keys each SWML variant accepts besides `type`, `description` and `nullable`. */
const NATIVE_KEYS: Record<PrimitiveType, readonly string[]> = {
  string: ['enum', 'default', 'pattern', 'format'],
  integer: ['enum', 'default'],
  number: ['enum', 'default'],
  boolean: ['default'],
  array: ['default', 'items'],
  object: ['default', 'properties', 'required'],
  null: [],
};

const SCALAR_ITEMS = ['string', 'number', 'boolean', 'object'].map((type) => ({ type }));

/**
 * A property that accepts any JSON value. The SWML schema has no "any" variant, so it is spelled as an anyOf
 * over the concrete types (arrays hold scalars or objects), each branch carrying the description.
 */
export function anyValue(description: string | undefined): SwaigProperty {
  const withDescription = (branch: JsonObject) => (description ? { ...branch, description } : branch);
  return {
    anyOf: [...SCALAR_ITEMS, { type: 'array', items: { anyOf: SCALAR_ITEMS } }].map(withDescription),
  };
}

/** Array `items` when the schema gives none: the element type of the default/enum/examples, else any value. */
function inferItems(schema: JsonObject): SwaigProperty {
  const samples = [schema.default, ...(Array.isArray(schema.enum) ? schema.enum : []), ...(Array.isArray(schema.examples) ? schema.examples : [])]
    .filter(Array.isArray)
    .flat();
  const types = [...new Set(samples.map(jsonTypeOf))];
  if (types.length === 1 && types[0] !== 'array' && types[0] !== 'null') return { type: types[0] };
  if (types.length === 2 && types.includes('integer') && types.includes('number')) return { type: 'number' };
  return { anyOf: SCALAR_ITEMS.map((branch) => ({ ...branch })) };
}

function convertItems(schema: JsonObject, recurse: Recurse, depth: number, notes: string[]): SwaigProperty {
  const tuple = Array.isArray(schema.prefixItems) ? schema.prefixItems : Array.isArray(schema.items) ? schema.items : undefined;
  if (tuple) {
    const branches = tuple.map((item) => recurse(item, undefined, depth + 1));
    notes.push(`in this order: ${tuple.map((item) => (isObject(item) && typeof item.type === 'string' ? item.type : 'value')).join(', ')}`);
    if (branches.length === 1) return branches[0] as SwaigProperty;
    return branches.length > 0 ? { anyOf: branches } : inferItems(schema);
  }
  if (schema.items !== undefined) return recurse(schema.items, undefined, depth + 1);
  return inferItems(schema);
}

function fitsDefault(value: unknown, type: PrimitiveType): boolean {
  if (type === 'object') return isObject(value);
  return valueFitsType(value, type);
}

/** Keeps the enum values the variant allows; values of other types become a note, null becomes nullable. */
function applyEnum(schema: JsonObject, type: PrimitiveType, out: JsonObject, notes: string[]): boolean {
  if (!Array.isArray(schema.enum)) return false;
  const values = schema.enum as unknown[];
  const fitting = values.filter((value) => value !== null && fitsDefault(value, type));
  const allowsNull = values.includes(null);
  if (NATIVE_KEYS[type].includes('enum') && fitting.length === values.length - (allowsNull ? 1 : 0) && fitting.length > 0) {
    out.enum = fitting;
  } else {
    notes.push(`one of: ${values.map(formatValue).join(', ')}`);
  }
  return allowsNull;
}

/**
 * Converts `schema` as a property of exactly `type`. Keywords the SWML variant cannot carry are folded into
 * the description; `extraNotes` come from the caller (e.g. a union's shared constraints).
 */
export function convertTyped(
  schema: JsonObject,
  type: PrimitiveType,
  opts: { name?: string; depth: number; nullable: boolean; recurse: Recurse; extraNotes?: readonly string[] },
): SwaigProperty {
  const notes: string[] = [];
  const out: JsonObject = { type };
  const kept = new Set<string>(['type', 'description', 'title', 'nullable', 'enum', 'default', 'format', 'items', 'prefixItems', 'properties', 'required']);
  const enumAllowsNull = applyEnum(schema, type, out, notes);
  let nullable = opts.nullable || enumAllowsNull;

  if (type === 'string' && typeof schema.pattern === 'string') {
    out.pattern = schema.pattern;
    kept.add('pattern');
  }
  if (typeof schema.format === 'string') {
    const mapped = type === 'string' ? FORMAT_MAP[schema.format] : undefined;
    if (mapped) out.format = mapped;
    else notes.push(`format ${schema.format}`);
  }
  if (type === 'array') out.items = convertItems(schema, opts.recurse, opts.depth, notes);
  if (type === 'object') convertObjectShape(schema, out, opts.recurse, opts.depth);

  if ('default' in schema && type !== 'null') {
    if (fitsDefault(schema.default, type)) out.default = schema.default;
    else if (schema.default === null) {
      nullable = true;
      notes.push('default null');
    } else notes.push(`default ${formatValue(schema.default)}`);
  }
  notes.push(...constraintNotes(schema, kept), ...(opts.extraNotes ?? []));

  const description = composeDescription(schema, notes, opts.name);
  if (type === 'null') return { type, description: description ?? 'Always null' };
  return { type, ...(description ? { description } : {}), ...omitType(out), ...(nullable ? { nullable: true } : {}) };
}

function omitType(out: JsonObject): JsonObject {
  const { type: _type, ...rest } = out;
  return rest;
}

function convertObjectShape(schema: JsonObject, out: JsonObject, recurse: Recurse, depth: number): void {
  if (isObject(schema.properties)) {
    const properties: Record<string, SwaigProperty> = {};
    for (const [key, sub] of Object.entries(schema.properties)) properties[key] = recurse(sub, key, depth + 1);
    out.properties = properties;
  }
  if (Array.isArray(schema.required)) {
    const required = schema.required.filter((key): key is string => typeof key === 'string');
    if (required.length > 0) out.required = [...new Set(required)];
  }
}
