/**
 * SWAIG function names for MCP tools: `{tool_prefix}{service}_{tool}`, sanitised to what the SWAIG route and
 * LLM providers accept, at most 64 characters, and unique without depending on listing order.
 */
import { createHash } from 'node:crypto';

/** Longest function name (a common LLM provider limit; the agent's defineTool enforces it too). */
export const MAX_FUNCTION_NAME_LENGTH = 64;
const VALID_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HASH_LENGTH = 8;

/** One tool to name. */
export interface ToolRef {
  service: string;
  tool: string;
}

function shortHash(text: string, length = HASH_LENGTH): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** Replaces characters outside `[A-Za-z0-9_]` with `_` and makes sure the name does not start with a digit. */
export function sanitizeName(raw: string): string {
  const cleaned = raw.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}

function withSuffix(base: string, suffix: string): string {
  return `${base.slice(0, MAX_FUNCTION_NAME_LENGTH - suffix.length - 1)}_${suffix}`;
}

/** The plain (pre-collision) name for one tool: sanitised, and cut with a hash of the original when too long. */
export function baseFunctionName(prefix: string, ref: ToolRef): string {
  const raw = `${prefix}${ref.service}_${ref.tool}`;
  const name = sanitizeName(raw);
  if (name.length <= MAX_FUNCTION_NAME_LENGTH) return name;
  return withSuffix(name, shortHash(raw));
}

/**
 * Assigns a unique valid name to every tool. Tools whose sanitised names collide (e.g. `get-sum` and `get_sum`,
 * or two long names cut to the same prefix) are ordered by their original names: a tool whose name needed no
 * change keeps the plain name, the others get `_<hash of service+tool>`. Names in `taken` (tools the agent
 * already has) are avoided the same way. The result does not depend on the order tools are listed in.
 */
export function assignFunctionNames(prefix: string, refs: readonly ToolRef[], taken: ReadonlySet<string> = new Set()): Map<ToolRef, string> {
  const groups = new Map<string, ToolRef[]>();
  for (const ref of refs) {
    const base = baseFunctionName(prefix, ref);
    groups.set(base, [...(groups.get(base) ?? []), ref]);
  }
  const used = new Set(taken);
  const names = new Map<ToolRef, string>();
  const key = (ref: ToolRef) => `${ref.service}\u0000${ref.tool}`;
  for (const [base, members] of [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const exact = (ref: ToolRef) => `${prefix}${ref.service}_${ref.tool}` === base;
    const ordered = [...members].sort((a, b) => Number(exact(b)) - Number(exact(a)) || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    ordered.forEach((ref, index) => {
      let name = index === 0 && !used.has(base) ? base : withSuffix(base, shortHash(key(ref)));
      for (let length = HASH_LENGTH + 4; used.has(name) && length <= 64; length += 4) name = withSuffix(base, shortHash(key(ref), length));
      used.add(name);
      names.set(ref, name);
    });
  }
  return names;
}

/** Whether a name is a valid SWAIG function name. */
export function isValidFunctionName(name: string): boolean {
  return VALID_NAME.test(name) && name.length <= MAX_FUNCTION_NAME_LENGTH;
}

/** "add_todo" / "get-sum" / "getTinyImage" → "add todo" / "get sum" / "get tiny image" (for spoken errors). */
export function toolInWords(tool: string): string {
  return tool
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[^A-Za-z0-9]+/g, ' ')
    .trim()
    .toLowerCase();
}
