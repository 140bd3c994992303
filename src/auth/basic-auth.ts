import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { AgentConfigError, AgentError } from '../errors.js';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** `given` equals the secret whose sha256 digest is `expected`, compared in constant time. */
function matchesDigest(given: string, expected: Buffer): boolean {
  return timingSafeEqual(digest(given), expected);
}

/** Constant-time string comparison (hashing first makes the lengths equal, so length does not leak). */
export function safeEqual(a: string, b: string): boolean {
  return matchesDigest(a, digest(b));
}

/** Decodes an `Authorization: Basic …` header; undefined when absent or malformed. */
export function parseBasicAuth(header: string | undefined): { user: string; password: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(header ?? '');
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Express middleware enforcing HTTP Basic auth. Options are checked, and the configured credentials
 * hashed, once when the factory runs. Failure → `UnauthorizedError` (401 + `WWW-Authenticate`).
 */
export function basicAuth(opts: { user: string; password: string; realm: string }): RequestHandler {
  if (!opts.user || !opts.password) throw new AgentConfigError('invalid_config', 'basic auth needs a user and a password', { field: 'basicAuth' });
  const expectedUser = digest(opts.user);
  const expectedPassword = digest(opts.password);
  return function requireBasicAuth(req, _res, next) {
    const given = parseBasicAuth(req.headers.authorization);
    // Evaluate both comparisons every time so a wrong user costs the same as a wrong password.
    const userOk = matchesDigest(given?.user ?? '', expectedUser);
    const passOk = matchesDigest(given?.password ?? '', expectedPassword);
    if (given && userOk && passOk) {
      next();
      return;
    }
    next(new AgentError('unauthorized', 'Unauthorized', { headers: { 'WWW-Authenticate': `Basic realm="${opts.realm.replace(/"/g, '')}", charset="UTF-8"` } }));
  };
}
