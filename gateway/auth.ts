/** Basic and Bearer authentication, compared in constant time. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { GatewayError } from './errors.js';
import { logSecurityEvent } from './http/security-log.js';

/** Credentials accepted by the gateway; at least one pair or a token must be set. */
export interface AuthOptions {
  user?: string | undefined;
  password?: string | undefined;
  token?: string | undefined;
  logger?: Logger;
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** Who made the request, without secrets: used to key rate limits. Set on `res.locals.principal`. */
export type Principal = string;

/**
 * `given` equals the secret whose digest is `expected`, compared in constant time (hashing makes the
 * compared buffers equal in length, so the length of the secret does not leak either).
 */
const matches = (given: string, expected: Buffer): boolean => timingSafeEqual(digest(given), expected);

function checkBasic(header: string, user: Buffer, password: Buffer): boolean {
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  const userOk = matches(decoded.slice(0, colon), user);
  const passwordOk = matches(decoded.slice(colon + 1), password);
  return userOk && passwordOk;
}

/**
 * Middleware accepting `Authorization: Basic` (user + password) and/or `Authorization: Bearer <token>`,
 * whichever are configured. Failure → 401 with a `WWW-Authenticate` challenge. Options are checked, and the
 * configured secrets hashed, once when the factory runs: a request hashes only what it presents.
 */
function schemeName(header: string): string {
  if (header === '') return 'none';
  const word = header.split(' ', 1)[0]?.toLowerCase() ?? '';
  return word === 'basic' || word === 'bearer' ? word : 'other';
}

export function createAuth(opts: AuthOptions): RequestHandler {
  const basic =
    opts.user !== undefined && opts.password !== undefined
      ? { user: digest(opts.user), password: digest(opts.password), principal: `basic:${opts.user}` }
      : undefined;
  // One token per gateway, so "bearer" names its holder; no hash of it ever reaches a rate-limit key (or Redis).
  const token = opts.token === undefined ? undefined : { digest: digest(opts.token), principal: 'bearer' };
  if (!basic && token === undefined) throw new Error('auth needs user + password or a token');
  const challenges = [basic ? 'Basic realm="mcp-gateway", charset="UTF-8"' : '', token !== undefined ? 'Bearer realm="mcp-gateway"' : '']
    .filter(Boolean)
    .join(', ');
  return function gatewayAuth(req, res, next) {
    const header = req.get('authorization') ?? '';
    const scheme = header.slice(0, 7).toLowerCase();
    if (basic && scheme.startsWith('basic ') && checkBasic(header, basic.user, basic.password)) {
      res.locals.principal = basic.principal;
      return next();
    }
    if (token !== undefined && scheme === 'bearer ' && matches(header.slice(7).trim(), token.digest)) {
      res.locals.principal = token.principal;
      return next();
    }
    // Only a known scheme name is logged, never a character of the credentials that were tried.
    if (opts.logger) logSecurityEvent(opts.logger, 'auth_failed', req, { scheme: schemeName(header) });
    next(new GatewayError('unauthorized', 'Authentication required', { headers: { 'WWW-Authenticate': challenges } }));
  };
}
