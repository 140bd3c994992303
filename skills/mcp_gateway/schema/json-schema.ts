/** Small helpers for reading untrusted JSON Schema documents (MCP `inputSchema`). */

export type JsonObject = Record<string, unknown>;

/** The property shape SWAIG accepts (one of the SWML schema's `SchemaType` variants). */
export type SwaigProperty = JsonObject;

/** SWML `FunctionParameters`: the only keys the schema allows. */
export interface FunctionParameters {
  type: 'object';
  properties: Record<string, SwaigProperty>;
  required?: string[];
}

export const PRIMITIVE_TYPES = ['string', 'integer', 'number', 'boolean', 'array', 'object', 'null'] as const;
export type PrimitiveType = (typeof PRIMITIVE_TYPES)[number];

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isPrimitiveType(value: unknown): value is PrimitiveType {
  return typeof value === 'string' && (PRIMITIVE_TYPES as readonly string[]).includes(value);
}

/** The JSON Schema type of a concrete value (integers count as `integer`). */
export function jsonTypeOf(value: unknown): PrimitiveType {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  return 'object';
}

/** Whether `value` is acceptable where the schema says `type` (an integer is also a number). */
export function valueFitsType(value: unknown, type: PrimitiveType): boolean {
  const actual = jsonTypeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

/** Short, readable rendering of a value for description text. */
export function formatValue(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/**
 * Resolves a local JSON pointer reference (`#`, `#/$defs/X`, `#/definitions/X`, any `#/a/b`) against the root.
 * Returns undefined for remote or anchor references, which are not followed.
 */
export function resolveLocalRef(root: unknown, ref: string): unknown {
  if (ref === '#') return root;
  if (!ref.startsWith('#/')) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isObject(node)) node = node[key];
    else return undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

/** Last segment of a reference, used to name recursive structures in descriptions. */
export function refName(ref: string): string {
  const last = ref.split('/').pop() ?? ref;
  return last === '#' || last === '' ? 'the whole input' : decodeURIComponent(last);
}
