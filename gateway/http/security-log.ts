/**
 * Security events (failed auth, rejected input, rate-limit hits) as structured log lines. Everything taken
 * from the request is cleaned first: control characters (\x00-\x1f, \x7f) removed and the length capped, so a
 * hostile client cannot forge log lines or flood the log. Credentials and bodies are never logged.
 */
import type { Request } from 'express';
import type { Logger } from 'pino';

/** What happened. */
export type SecurityEvent = 'auth_failed' | 'rejected_input' | 'rate_limited';

/** Longest value logged from a request, characters. */
export const MAX_LOGGED_CHARS = 200;

const CONTROL = /[\x00-\x1f\x7f]/g;

/** `value` as a log-safe string: no control characters, at most `max` characters (cut ones end with "…"). */
export function cleanForLog(value: unknown, max = MAX_LOGGED_CHARS): string {
  const text = String(value ?? '').replace(CONTROL, '');
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** Logs one security event at warn with the client address, method and path (all cleaned). */
export function logSecurityEvent(logger: Logger, event: SecurityEvent, req: Request, details: Record<string, string | number | undefined> = {}): void {
  const fields: Record<string, string | number> = {
    security_event: event,
    ip: cleanForLog(req.ip ?? req.socket.remoteAddress, 64),
    method: cleanForLog(req.method, 16),
    path: cleanForLog(req.originalUrl),
  };
  for (const [key, value] of Object.entries(details)) {
    if (value !== undefined) fields[key] = typeof value === 'number' ? value : cleanForLog(value);
  }
  logger.warn(fields, `security: ${event}`);
}
