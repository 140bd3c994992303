/**
 * Folds JSON Schema keywords that the SWML `FunctionParameters` schema does not allow into readable
 * description text, so the LLM still sees every constraint even though the keyword itself must go.
 */
import { formatValue, isObject, type JsonObject } from './json-schema.js';

type NoteRule = (value: unknown, schema: JsonObject) => string | undefined;

const num = (value: unknown): value is number => typeof value === 'number';

/** One rule per foldable keyword; keywords without a rule are silently dropped (`$schema`, `$id`, `$comment`…). */
const RULES: Record<string, NoteRule> = {
  minimum: (v, s) => (num(v) ? (s.exclusiveMinimum === true ? `greater than ${v}` : `minimum ${v}`) : undefined),
  maximum: (v, s) => (num(v) ? (s.exclusiveMaximum === true ? `less than ${v}` : `maximum ${v}`) : undefined),
  exclusiveMinimum: (v) => (num(v) ? `greater than ${v}` : undefined),
  exclusiveMaximum: (v) => (num(v) ? `less than ${v}` : undefined),
  multipleOf: (v) => (num(v) ? `multiple of ${v}` : undefined),
  minLength: (v) => (num(v) ? `at least ${v} characters` : undefined),
  maxLength: (v) => (num(v) ? `at most ${v} characters` : undefined),
  pattern: (v) => (typeof v === 'string' ? `pattern /${v}/` : undefined),
  minItems: (v) => (num(v) ? `at least ${v} item${v === 1 ? '' : 's'}` : undefined),
  maxItems: (v) => (num(v) ? `at most ${v} item${v === 1 ? '' : 's'}` : undefined),
  uniqueItems: (v) => (v === true ? 'items must be unique' : undefined),
  minContains: (v) => (num(v) ? `at least ${v} matching items` : undefined),
  maxContains: (v) => (num(v) ? `at most ${v} matching items` : undefined),
  contains: (v) => `must contain an item that is ${summarizeSchema(v)}`,
  minProperties: (v) => (num(v) ? `at least ${v} keys` : undefined),
  maxProperties: (v) => (num(v) ? `at most ${v} keys` : undefined),
  // `false` is left out on purpose: the listed properties already say what to send, and zod emits it everywhere.
  additionalProperties: (v) => (v === true ? 'other keys allowed' : isObject(v) ? `other keys allowed, each value ${summarizeSchema(v)}` : undefined),
  patternProperties: (v) =>
    isObject(v)
      ? Object.entries(v)
          .map(([pattern, sub]) => `keys matching /${pattern}/ hold ${summarizeSchema(sub)}`)
          .join('; ')
      : undefined,
  propertyNames: (v) => `key names must be ${summarizeSchema(v)}`,
  dependentRequired: (v) =>
    isObject(v)
      ? Object.entries(v)
          .filter(([, deps]) => Array.isArray(deps))
          .map(([key, deps]) => `when ${key} is given, also give ${(deps as unknown[]).join(', ')}`)
          .join('; ')
      : undefined,
  not: (v) => `must not be ${summarizeSchema(v)}`,
  if: () => 'further conditional rules apply',
  examples: (v) => (Array.isArray(v) && v.length > 0 ? `examples: ${v.map(formatValue).join(', ')}` : undefined),
  example: (v) => `example: ${formatValue(v)}`,
  contentMediaType: (v) => (typeof v === 'string' ? `media type ${v}` : undefined),
  contentEncoding: (v) => (typeof v === 'string' ? `encoded as ${v}` : undefined),
  deprecated: (v) => (v === true ? 'deprecated' : undefined),
  readOnly: (v) => (v === true ? 'read-only' : undefined),
  writeOnly: (v) => (v === true ? 'write-only' : undefined),
};

/** Notes for every foldable keyword of `schema` that is not in `kept`. */
export function constraintNotes(schema: JsonObject, kept: ReadonlySet<string>): string[] {
  const notes: string[] = [];
  for (const [key, rule] of Object.entries(RULES)) {
    if (kept.has(key) || !(key in schema)) continue;
    const note = rule(schema[key], schema);
    if (note) notes.push(note);
  }
  return notes;
}

/** A few words describing a sub-schema, for notes such as "each value string". */
export function summarizeSchema(schema: unknown): string {
  if (schema === true) return 'anything';
  if (schema === false) return 'nothing';
  if (!isObject(schema)) return 'a value';
  if ('const' in schema) return `exactly ${formatValue(schema.const)}`;
  if (Array.isArray(schema.enum)) return `one of ${schema.enum.map(formatValue).join(', ')}`;
  if (typeof schema.type === 'string') {
    const bits = constraintNotes(schema, new Set());
    if (typeof schema.format === 'string') bits.unshift(`format ${schema.format}`);
    return bits.length > 0 ? `${schema.type} (${bits.join(', ')})` : schema.type;
  }
  if (Array.isArray(schema.type)) return schema.type.join(' or ');
  if (typeof schema.$ref === 'string') return `a ${schema.$ref.split('/').pop()}`;
  return 'a value';
}

/** Whether a `title` only repeats the property name (pydantic emits "Title": "Location" for `location`). */
function titleIsNoise(title: string, name: string | undefined, description: string | undefined): boolean {
  const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (name !== undefined && squash(title) === squash(name)) return true;
  return description !== undefined && squash(description).includes(squash(title));
}

/**
 * Builds the final description: title (unless it only repeats the name), description, then notes in parentheses,
 * e.g. "Number of links (minimum 1, maximum 10)". Returns undefined when there is nothing to say.
 */
export function composeDescription(schema: JsonObject, notes: readonly string[], name?: string): string | undefined {
  const description = typeof schema.description === 'string' && schema.description.trim() ? schema.description.trim() : undefined;
  const title = typeof schema.title === 'string' && schema.title.trim() ? schema.title.trim() : undefined;
  const parts: string[] = [];
  if (title && !titleIsNoise(title, name, description)) parts.push(description ? `${title}:` : title);
  if (description) parts.push(description);
  if (notes.length > 0) parts.push(`(${notes.join(', ')})`);
  return parts.length > 0 ? parts.join(' ') : undefined;
}
