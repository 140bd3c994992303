/**
 * The `X-MCP-Session-Id` request header: the session id where a load balancer can read it (nginx
 * `hash $http_x_mcp_session_id consistent` pins every request of a session to one gateway instance; a JSON body
 * cannot be hashed on). It is accepted alongside the body's `session_id` and the path's `:id`, and must agree.
 */
import type { RequestHandler } from 'express';
import { GatewayError } from '../errors.js';

/** Header name (Node lower-cases incoming header names). */
export const SESSION_HEADER = 'x-mcp-session-id';

function mismatch(where: string): GatewayError {
  return new GatewayError('invalid_request', `session_id in the ${where} differs from the X-MCP-Session-Id header`, { field: 'session_id' });
}

/** The header's value, when sent once; a repeated header is a 400 (a balancer would hash on only one of them). */
function headerOf(value: string | string[] | undefined): string | undefined {
  if (Array.isArray(value)) throw new GatewayError('invalid_request', 'X-MCP-Session-Id must be sent once', { field: 'session_id' });
  return value;
}

/**
 * For body routes (`POST /services/:name/call`), after body parsing and before the limiter: a body without
 * `session_id` takes the header's; a body whose `session_id` differs is refused with 400 naming `session_id`.
 */
export const sessionIdFromHeader: RequestHandler = (req, _res, next) => {
  const header = headerOf(req.headers[SESSION_HEADER]);
  const body = req.body as Record<string, unknown> | undefined;
  if (header === undefined || typeof body !== 'object' || body === null || Array.isArray(body)) return next();
  if (body.session_id === undefined) body.session_id = header;
  else if (body.session_id !== header) return next(mismatch('body'));
  next();
};

/** For path routes (`/sessions/:id…`): throws 400 naming `session_id` when the header names another session. */
export function checkSessionHeader(headers: Record<string, string | string[] | undefined>, pathId: string): void {
  const header = headerOf(headers[SESSION_HEADER]);
  if (header !== undefined && header !== pathId) throw mismatch('path');
}
