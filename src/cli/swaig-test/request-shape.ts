/**
 * How the user reshapes what swaig-test sends, with the Python SDK's flags: the post_data preset (`--minimal`,
 * `--fake-full-data`, `--custom-data`), user variables and query params, HTTP headers, dot-path overrides, and the
 * SWML request's method and body. Parsed once from the command line; applied by ./payloads.ts and the session.
 */
import { UsageError } from '../shared/cli-error.js';

/** Which SWAIG body to start from: the platform's envelope (default), the bare minimum, or it plus fake call data. */
export type Preset = 'platform' | 'minimal' | 'full';

/** One `--override path=value` / `--override-json path=<json>`: a dot path and its value. */
export interface Override {
  path: string[];
  value: unknown;
}

/** Everything that shapes the requests of one run. */
export interface RequestShape {
  preset: Preset;
  /** `--custom-data`: merged into every SWAIG body (objects one level deep, as the Python SDK). */
  customData?: Record<string, unknown> | undefined;
  /** `--user-vars` then `--query-params`: `vars.userVariables` of every body. */
  userVariables?: Record<string, unknown> | undefined;
  /** `--query-params`: also the query string of the SWML request. */
  queryParams: Record<string, string>;
  /** `--header K=V`: sent with every request to the agent. */
  headers: Record<string, string>;
  /** Applied last, to every body sent. */
  overrides: Override[];
  /** `--method`: of the SWML request (default POST, as the platform). */
  swmlMethod: 'GET' | 'POST';
  /** `--body`: replaces the SWML request body. */
  swmlBody?: Record<string, unknown> | undefined;
}

/** The platform's requests, unchanged. */
export const PLATFORM_SHAPE: RequestShape = { preset: 'platform', queryParams: {}, headers: {}, overrides: [], swmlMethod: 'POST' };

/** Parses a flag's JSON object value; a usage error names the flag. */
export function parseJsonObject(flag: string, text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${flag}: not valid JSON (${(err as Error).message})`, 'invalid_json_option');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UsageError(`${flag}: must be a JSON object, e.g. ${flag} '{"key":"value"}'`, 'invalid_json_option');
  }
  return value as Record<string, unknown>;
}

/** Splits `KEY=VALUE` (the value may hold `=`); a usage error names the flag. */
export function splitKeyValue(flag: string, text: string, example: string): [string, string] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`${flag}: expected ${example}, got ${JSON.stringify(text)}`, 'invalid_key_value');
  return [text.slice(0, eq), text.slice(eq + 1)];
}

/** A `--override` value as the Python SDK reads it: null/true/false, a number, JSON, else the text. */
export function overrideValue(text: string): unknown {
  const lower = text.toLowerCase();
  if (lower === 'null') return null;
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (text.trim() !== '' && Number.isFinite(Number(text))) return Number(text);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** `--override path=value` (value auto-typed) or, with `json`, `--override-json path=<json>`. */
export function parseOverride(text: string, json: boolean): Override {
  const flag = json ? '--override-json' : '--override';
  const [path, raw] = splitKeyValue(flag, text, json ? 'path=<json> (e.g. vars.custom=\'{"a":1}\')' : 'path=value (e.g. call.call_state=answered)');
  const parts = path.split('.');
  if (parts.some((p) => p === '')) throw new UsageError(`${flag}: empty segment in path ${JSON.stringify(path)}`, 'invalid_key_value');
  if (!json) return { path: parts, value: overrideValue(raw) };
  try {
    return { path: parts, value: JSON.parse(raw) as unknown };
  } catch (err) {
    throw new UsageError(`${flag} ${path}: not valid JSON (${(err as Error).message})`, 'invalid_json_option');
  }
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Sets `value` at `path` in `target`, creating (or replacing non-object) parents. */
export function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (!isRecord(next)) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1] as string] = value;
}

/** A deep copy of `body` with every override applied, in order. */
export function withOverrides(body: Record<string, unknown>, overrides: readonly Override[]): Record<string, unknown> {
  if (overrides.length === 0) return body;
  const copy = structuredClone(body);
  for (const { path, value } of overrides) setPath(copy, path, structuredClone(value));
  return copy;
}

/** `--custom-data` merge: an object into an object merges one level deep, anything else replaces. */
export function withCustomData(body: Record<string, unknown>, custom: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!custom) return body;
  const out = { ...body };
  for (const [key, value] of Object.entries(custom)) {
    const current = out[key];
    out[key] = isRecord(current) && isRecord(value) ? { ...current, ...value } : value;
  }
  return out;
}
