/** `${VAR|default}` substitution over a parsed JSON value (strings only; keys are left alone). */

const PATTERN = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:\|([^}]*))?\}/g;

/**
 * Replaces every `${VAR}` / `${VAR|default}` inside every string of `value`, also inside longer
 * strings ("http://${HOST|localhost}:8080"). An unset variable without a default becomes "".
 * Returns a new value; the input is not modified.
 */
export function substituteEnv(value: unknown, env: NodeJS.ProcessEnv): unknown {
  if (typeof value === 'string') {
    return value.replace(PATTERN, (_match, name: string, fallback: string | undefined) => env[name] ?? fallback ?? '');
  }
  if (Array.isArray(value)) return value.map((item) => substituteEnv(item, env));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substituteEnv(item, env)]));
  }
  return value;
}
