import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { AgentConfigError, UnauthorizedError } from '../errors.js';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** Constant-time string comparison (hashing first makes the lengths equal, so length does not leak). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
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
 * Express middleware enforcing HTTP Basic auth. Options are checked when the factory runs.
 * Failure → `UnauthorizedError` (401 + `WWW-Authenticate`) passed to the error handler.
 */
export function basicAuth(opts: { user: string; password: string; realm: string }): RequestHandler {
  if (!opts.user || !opts.password) throw new AgentConfigError('basic auth needs a user and a password', 'basicAuth');
  return function requireBasicAuth(req, _res, next) {
    const given = parseBasicAuth(req.headers.authorization);
    // Evaluate both comparisons every time so a wrong user costs the same as a wrong password.
    const userOk = safeEqual(given?.user ?? '', opts.user);
    const passOk = safeEqual(given?.password ?? '', opts.password);
    if (given && userOk && passOk) {
      next();
      return;
    }
    next(new UnauthorizedError(opts.realm));
  };
}
