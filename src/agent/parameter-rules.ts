/**
 * The SWML schema's rules for a function parameter (`$defs/SchemaType`: one of String/Integer/Number/Boolean/
 * Array/Object/Null/OneOf/AllOf/AnyOf/Const property, each with a closed key list). Checked by hand so a bad
 * tool is refused at definition time without compiling the schema, with the exact field named; a test checks
 * these rules against the vendored schema itself.
 */

/** A rule violation: dotted path to the field and what is wrong with it. */
export interface ParameterProblem {
  path: string;
  message: string;
}

const COMMON = ['type', 'description', 'default', 'nullable'];
const KEYS_BY_TYPE: Record<string, readonly string[]> = {
  string: [...COMMON, 'enum', 'format', 'pattern'],
  integer: [...COMMON, 'enum'],
  number: [...COMMON, 'enum'],
  boolean: COMMON,
  array: [...COMMON, 'items'],
  object: [...COMMON, 'properties', 'required'],
  null: ['type', 'description'],
};
const COMBINERS = ['oneOf', 'allOf', 'anyOf'] as const;
/** `$defs/StringFormat` (note `date_time`, not JSON Schema's `date-time`). */
const FORMATS = ['date_time', 'time', 'date', 'duration', 'email', 'hostname', 'ipv4', 'ipv6', 'uri', 'uuid'];
const isSwmlVar = (v: unknown): boolean => typeof v === 'string' && /^[$%]\{.*\}$/.test(v);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function hint(type: string, key: string): string {
  if (['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'minItems', 'maxItems'].includes(key)) {
    return `'${key}' is not allowed on a ${type} parameter in SWML (state the limit in the description)`;
  }
  return `'${key}' is not allowed on a ${type} parameter in SWML (allowed: ${KEYS_BY_TYPE[type]?.join(', ')})`;
}

/** The first problem of one property schema, or undefined when SWML accepts it. */
export function checkPropertySchema(schema: unknown, path: string): ParameterProblem | undefined {
  if (!isObject(schema)) return { path, message: 'must be a JSON Schema object' };
  const combiner = COMBINERS.find((k) => k in schema);
  if (combiner) {
    const extra = Object.keys(schema).find((k) => k !== combiner);
    if (extra !== undefined) return { path: `${path}.${extra}`, message: `not allowed beside '${combiner}' in SWML` };
    const list = schema[combiner];
    if (!Array.isArray(list)) return { path: `${path}.${combiner}`, message: 'must be an array of parameter schemas' };
    for (const [i, item] of list.entries()) {
      const problem = checkPropertySchema(item, `${path}.${combiner}.${i}`);
      if (problem) return problem;
    }
    return undefined;
  }
  if ('const' in schema) {
    const extra = Object.keys(schema).find((k) => k !== 'const');
    return extra === undefined ? undefined : { path: `${path}.${extra}`, message: "not allowed beside 'const' in SWML" };
  }
  const type = schema.type;
  if (Array.isArray(type)) return { path: `${path}.type`, message: 'must be one type name: SWML has no type lists (use nullable: true for null)' };
  if (typeof type !== 'string' || !(type in KEYS_BY_TYPE)) {
    return { path: `${path}.type`, message: `must be one of ${Object.keys(KEYS_BY_TYPE).join(', ')} (or use oneOf/anyOf/allOf/const)` };
  }
  const allowed = KEYS_BY_TYPE[type] ?? [];
  const extra = Object.keys(schema).find((k) => !allowed.includes(k));
  if (extra !== undefined) return { path: `${path}.${extra}`, message: hint(type, extra) };
  if ('description' in schema && typeof schema.description !== 'string') return { path: `${path}.description`, message: 'must be a string' };
  if ('nullable' in schema && typeof schema.nullable !== 'boolean' && !isSwmlVar(schema.nullable))
    return { path: `${path}.nullable`, message: 'must be a boolean' };
  if ('format' in schema && !FORMATS.includes(String(schema.format))) return { path: `${path}.format`, message: `must be one of ${FORMATS.join(', ')}` };
  if ('pattern' in schema && typeof schema.pattern !== 'string') return { path: `${path}.pattern`, message: 'must be a string' };
  if ('enum' in schema && !Array.isArray(schema.enum)) return { path: `${path}.enum`, message: 'must be an array' };
  if (type === 'null' && typeof schema.description !== 'string') return { path: `${path}.description`, message: 'is required on a null parameter in SWML' };
  if (type === 'array') {
    if (!('items' in schema)) return { path: `${path}.items`, message: 'is required: SWML needs the item schema of an array' };
    return checkPropertySchema(schema.items, `${path}.items`);
  }
  if (type === 'object') return checkObjectShape(schema, path);
  return undefined;
}

function checkObjectShape(schema: Record<string, unknown>, path: string): ParameterProblem | undefined {
  if ('properties' in schema) {
    if (!isObject(schema.properties)) return { path: `${path}.properties`, message: 'must be an object' };
    for (const [name, prop] of Object.entries(schema.properties)) {
      const problem = checkPropertySchema(prop, `${path}.properties.${name}`);
      if (problem) return problem;
    }
  }
  if ('required' in schema && (!Array.isArray(schema.required) || schema.required.some((r) => typeof r !== 'string'))) {
    return { path: `${path}.required`, message: 'must be an array of property names' };
  }
  return undefined;
}

/** The first problem among a tool's top-level properties (`parameters.properties.*`). */
export function checkToolProperties(properties: Record<string, unknown>): ParameterProblem | undefined {
  for (const [name, prop] of Object.entries(properties)) {
    const problem = checkPropertySchema(prop, `parameters.properties.${name}`);
    if (problem) return problem;
  }
  return undefined;
}
