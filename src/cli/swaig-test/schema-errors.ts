import type { SwmlSchemaError } from '../../swml/schema-validator.js';

const REQUIRED = /^must have required property '([^']+)'/;
const BRANCH = /^must match (a schema in anyOf|exactly one schema in oneOf)/;

/**
 * Shortens ajv's allErrors output for people: at a path where many `anyOf` branches each reported a missing
 * property (a SWML verb matched no known verb, say), one line replaces them; "must match a schema in anyOf"
 * lines are dropped when a more specific error explains them; duplicates go. Order is kept.
 */
export function summarizeSchemaErrors(errors: readonly SwmlSchemaError[]): string[] {
  const requiredAt = new Map<string, string[]>();
  for (const e of errors) {
    const m = REQUIRED.exec(e.message);
    if (m) requiredAt.set(e.path, [...(requiredAt.get(e.path) ?? []), m[1] as string]);
  }
  const lines: string[] = [];
  const seen = new Set<string>();
  const push = (line: string): void => {
    if (!seen.has(line)) lines.push(line);
    seen.add(line);
  };
  for (const e of errors) {
    const alternatives = requiredAt.get(e.path) ?? [];
    if (REQUIRED.test(e.message) && alternatives.length >= 3) {
      push(`${e.path}: matches none of the ${alternatives.length} allowed shapes (each needs one of: ${alternatives.slice(0, 5).join(', ')}, …)`);
    } else if (BRANCH.test(e.message) && errors.some((o) => o !== e && o.path.startsWith(e.path) && !BRANCH.test(o.message))) {
      continue;
    } else push(`${e.path}: ${e.message}`);
  }
  return lines;
}
