/** Finds config keys the gateway does not know (zod drops them silently), with a "did you mean" for typos. */
import { CONFIG_KEYS, type ConfigKeyTree } from './schema.js';

const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Levenshtein distance, small strings only. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] as number;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] as number;
      row[j] = Math.min(current + 1, (row[j - 1] as number) + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] as number;
}

function closest(key: string, known: string[]): string | undefined {
  const ranked = known.map((k) => ({ k, d: distance(key.toLowerCase(), k) })).sort((x, y) => x.d - y.d)[0];
  return ranked && ranked.d <= Math.max(1, Math.floor(key.length / 4)) ? ranked.k : undefined;
}

function walk(raw: Record<string, unknown>, tree: ConfigKeyTree, path: string, out: string[]): void {
  const anyKey = tree['*'];
  for (const [key, value] of Object.entries(raw)) {
    const here = path === '' ? key : `${path}.${key}`;
    const sub = anyKey ?? tree[key];
    if (sub === undefined) {
      const guess = closest(key, Object.keys(tree));
      out.push(`unknown config key "${here}" is ignored${guess ? ` (did you mean "${guess}"?)` : ''}`);
    } else if (sub !== true && isPlainObject(value)) {
      walk(value, sub, here, out);
    }
  }
}

/** One warning per unknown key of a raw config object, naming its dotted path. */
export function unknownKeyWarnings(raw: unknown): string[] {
  const out: string[] = [];
  if (isPlainObject(raw)) walk(raw, CONFIG_KEYS, '', out);
  return out;
}
