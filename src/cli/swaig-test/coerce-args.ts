import { UsageError } from '../shared/cli-error.js';
import type { RawParam } from './split-argv.js';

/** The parts of a JSON-Schema property that decide how a command-line string becomes a value. */
interface PropertySchema {
  type?: unknown;
  items?: unknown;
  nullable?: unknown;
}

const TRUE_WORDS = new Set(['true', 'yes', 'y', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'n', 'off', '0']);

function fail(name: string, message: string): never {
  throw new UsageError(`--${name}: ${message}`, 'invalid_param');
}

function parseJson(name: string, text: string, what: 'array' | 'object'): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    fail(name, `expected a JSON ${what}, got ${JSON.stringify(text)}`);
  }
  const ok = what === 'array' ? Array.isArray(value) : value !== null && typeof value === 'object' && !Array.isArray(value);
  if (!ok) fail(name, `expected a JSON ${what}, got ${JSON.stringify(text)}`);
  return value;
}

/** A value whose schema gives no single type: JSON when it parses as JSON, else the text. */
function looseValue(text: string): unknown {
  if (!/^[[{"\d-]|^(true|false|null)$/.test(text.trim())) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Converts one command-line value by the property's JSON-Schema `type`. A bare flag (`true`) suits booleans. */
export function coerceValue(name: string, raw: string | true, schema: PropertySchema | undefined): unknown {
  const type = typeof schema?.type === 'string' ? schema.type : undefined;
  if (raw === true) {
    if (type === undefined || type === 'boolean') return true;
    fail(name, `needs a value (${type})`);
  }
  if (raw === 'null' && schema?.nullable === true) return null;
  switch (type) {
    case 'integer':
      if (!/^[+-]?\d+$/.test(raw.trim())) fail(name, `expected an integer, got ${JSON.stringify(raw)}`);
      return Number(raw);
    case 'number': {
      const n = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(n)) fail(name, `expected a number, got ${JSON.stringify(raw)}`);
      return n;
    }
    case 'boolean': {
      const word = raw.trim().toLowerCase();
      if (TRUE_WORDS.has(word)) return true;
      if (FALSE_WORDS.has(word)) return false;
      return fail(name, `expected true or false, got ${JSON.stringify(raw)}`);
    }
    case 'array': {
      if (raw.trim().startsWith('[')) return parseJson(name, raw, 'array');
      const items = (schema?.items ?? undefined) as PropertySchema | undefined;
      return raw === '' ? [] : raw.split(',').map((part) => coerceValue(name, part.trim(), items));
    }
    case 'object':
      return parseJson(name, raw, 'object');
    case 'string':
      return raw;
    default:
      return looseValue(raw);
  }
}

/** `--due-date` matches a parameter `due_date` when the tool has no `due-date`. */
function resolveName(name: string, properties: Record<string, unknown>): string {
  if (name in properties) return name;
  const snake = name.replace(/-/g, '_');
  return snake in properties ? snake : name;
}

/** Result of turning `--args` and `--param value` pairs into the function's arguments. */
export interface CoercedArgs {
  args: Record<string, unknown>;
  /** Parameter names the tool does not declare (they are still sent). */
  unknown: string[];
}

/**
 * Builds a call's arguments: the `--args` object first, then each `--name value` pair (which wins), coerced by
 * the tool's `parameters.properties` types (integer, number, boolean, array: JSON or comma-separated, object: JSON).
 * Repeating an array parameter appends; repeating any other parameter is a usage error.
 */
export function coerceArgs(base: Record<string, unknown>, params: readonly RawParam[], properties: Record<string, unknown> = {}): CoercedArgs {
  const args: Record<string, unknown> = { ...base };
  const seen = new Set<string>();
  const unknown: string[] = [];
  for (const [given, raw] of params) {
    const name = resolveName(given, properties);
    const schema = properties[name] as PropertySchema | undefined;
    const value = coerceValue(given, raw, schema);
    if (!(name in properties) && !unknown.includes(name)) unknown.push(name);
    if (seen.has(name)) {
      if (schema?.type !== 'array' || !Array.isArray(args[name])) fail(given, 'given more than once');
      args[name] = [...(args[name] as unknown[]), ...(value as unknown[])];
      continue;
    }
    seen.add(name);
    args[name] = value;
  }
  return { args, unknown };
}
