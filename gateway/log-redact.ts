/**
 * Hides credentials in log lines: `*.auth_password`, `*.auth_token`, `*.password` (one level down, e.g. a call's
 * metadata or a config object) and `headers.authorization` / `req.headers.authorization`. A line without them
 * is passed on as it is, without a copy: pino's path-based `redact` copied and walked every line (about a
 * sixth of what a tool call allocated), although nearly none carries a secret.
 */
const SECRET_KEYS = ['auth_password', 'auth_token', 'password'] as const;
const REDACTED = '[Redacted]';

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function withoutKeys(value: Obj, keys: readonly string[]): Obj {
  let out = value;
  for (const key of keys) {
    if (!Object.hasOwn(value, key)) continue;
    if (out === value) out = { ...value };
    out[key] = REDACTED;
  }
  return out;
}

function cleanChild(key: string, value: Obj): Obj {
  let out = withoutKeys(value, SECRET_KEYS);
  if (key === 'headers') out = withoutKeys(out, ['authorization']);
  if (key === 'req' && isObject(out.headers)) {
    const headers = withoutKeys(out.headers, ['authorization']);
    if (headers !== out.headers) out = { ...out, headers };
  }
  return out;
}

/** The line's object with secrets replaced by `[Redacted]` (copied only where something is replaced). */
export function redactSecrets(line: Obj): Obj {
  let out = line;
  for (const key in line) {
    const value = line[key];
    if (!isObject(value) || value instanceof Error) continue;
    const cleaned = cleanChild(key, value);
    if (cleaned === value) continue;
    if (out === line) out = { ...line };
    out[key] = cleaned;
  }
  return out;
}
