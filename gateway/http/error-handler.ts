/** Turns anything thrown in a route into the `{error, code, field?}` wire shape with the right status. */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { GatewayError, isDiscoveryAnswer } from '../errors.js';
import { cleanForLog, logSecurityEvent } from './security-log.js';

interface BodyParserError {
  type?: string;
  status?: number;
  message?: string;
}

function toGatewayError(err: unknown, bodyLimit: string): GatewayError {
  if (err instanceof GatewayError) return err;
  const parser = (err ?? {}) as BodyParserError;
  switch (parser.type) {
    case 'entity.too.large':
      return new GatewayError('payload_too_large', `Request body is larger than ${bodyLimit}`);
    case 'entity.parse.failed':
      return new GatewayError('invalid_json', 'Request body is not valid JSON');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new GatewayError('unsupported_media_type', 'Content-Type must be application/json');
    default:
      break;
  }
  if (typeof parser.status === 'number' && parser.status >= 400 && parser.status < 500) {
    return new GatewayError('bad_request', parser.message ?? 'Bad request');
  }
  return new GatewayError('internal_error', 'Internal server error');
}

/** The call id and service a failed request was about, when its path or body names them (cleaned for logs). */
function aboutSession(req: Parameters<ErrorRequestHandler>[1]): { session_id?: string; service?: string } {
  const out: { session_id?: string; service?: string } = {};
  const service = /^\/services\/([^/]+)/.exec(req.path)?.[1];
  const fromPath = /^\/sessions\/([^/]+)/.exec(req.path)?.[1];
  const fromBody = (req.body as { session_id?: unknown } | undefined)?.session_id;
  const sessionId = typeof fromBody === 'string' ? fromBody : fromPath;
  if (service !== undefined) out.service = cleanForLog(service, 64);
  if (sessionId !== undefined) out.session_id = cleanForLog(sessionId, 128);
  return out;
}

/** Final error middleware of the gateway router. */
export function errorHandler(logger: Logger, bodyLimit: string): ErrorRequestHandler {
  return function gatewayErrorHandler(err, req, res, next) {
    if (res.headersSent) return next(err);
    const gw = toGatewayError(err, bodyLimit);
    const context = { ...aboutSession(req), method: req.method, path: cleanForLog(req.originalUrl), status: gw.status, code: gw.code };
    if (gw.status >= 500 && gw.code === 'internal_error') logger.error({ ...context, err }, 'request failed');
    else if (gw.status >= 500) logger.warn({ ...context, error: gw.message }, 'request failed');
    // 401 and 429 were logged as security events where they were decided.
    else if (gw.status === 401 || gw.status === 429) logger.debug({ ...context, error: cleanForLog(gw.message) }, 'request rejected');
    // The skill asks every service for its prompts and resources at each agent start: "not offered" is an answer.
    else if (isDiscoveryAnswer(gw.code)) logger.debug(context, 'capability not offered');
    else logSecurityEvent(logger, 'rejected_input', req, { ...aboutSession(req), status: gw.status, code: gw.code, field: gw.field, error: gw.message });
    res.status(gw.status).set(gw.headers).json(gw.toBody());
  };
}

/** 404 for any path the router does not know. */
export const notFound: RequestHandler = (req, _res, next) => {
  next(new GatewayError('not_found', `No route for ${req.method} ${req.path}`));
};

/** 405 with `Allow` for a known path hit with another method. */
export function methodNotAllowed(allowed: readonly string[]): RequestHandler {
  return (req, _res, next) =>
    next(new GatewayError('method_not_allowed', `Method ${req.method} is not allowed here`, { headers: { Allow: allowed.join(', ') } }));
}
