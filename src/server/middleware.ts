import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { AgentError } from '../errors.js';

/** 405 for any method not in `allowed` (HEAD is implied by GET). */
export function methodNotAllowed(allowed: readonly string[]): RequestHandler {
  return (req, _res, next) =>
    next(new AgentError('method_not_allowed', `Method ${req.method} not allowed; use ${allowed.join(', ')}`, { headers: { Allow: allowed.join(', ') } }));
}

function hasBody(req: express.Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * JSON body parsing with a size limit. A POST carrying a non-JSON body is 415; an empty body is accepted.
 * @param limitBytes largest body, bytes.
 */
export function jsonBody(limitBytes: number): RequestHandler[] {
  const requireJson: RequestHandler = (req, _res, next) => {
    if (req.method !== 'POST' || !hasBody(req)) return next();
    if (req.is(['application/json', '+json'])) return next();
    next(unsupportedMediaType(req.headers['content-type'] ?? '(none)'));
  };
  return [requireJson, express.json({ limit: limitBytes, strict: true, type: ['application/json', '+json'] })];
}

/** 404 for anything no route answered. */
export const notFound: RequestHandler = (req, _res, next) => {
  next(new AgentError('not_found', `No route for ${req.method} ${req.path}`));
};

function unsupportedMediaType(contentType: string): AgentError {
  return new AgentError('unsupported_media_type', `Content-Type must be application/json, got '${contentType}'`, { field: 'content-type' });
}

interface HttpishError {
  type?: string;
  status?: number;
  statusCode?: number;
  expose?: boolean;
  message?: string;
}

function toAgentError(err: unknown, limitBytes: number): AgentError | undefined {
  if (err instanceof AgentError) return err;
  const e = (err ?? {}) as HttpishError;
  switch (e.type) {
    case 'entity.too.large':
      return new AgentError('payload_too_large', `Request body exceeds ${limitBytes} bytes`);
    case 'entity.parse.failed':
      return new AgentError('invalid_json', 'Request body is not valid JSON', { field: 'body' });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return unsupportedMediaType(e.message ?? 'unsupported encoding');
    default: {
      const status = e.status ?? e.statusCode;
      if (status !== undefined && status >= 400 && status < 500 && e.expose) {
        return new AgentError('bad_request', e.message ?? 'Bad request');
      }
      return undefined;
    }
  }
}

/** Final error handler: AgentErrors → their status/body/headers; anything else → logged 500. */
export function errorHandler(logger: Logger, limitBytes: number): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const known = toAgentError(err, limitBytes);
    if (known && known.status !== 500) {
      res.status(known.status).set(known.headers).json(known.toBody());
      return;
    }
    logger.error({ err, method: req.method, path: req.path }, 'request failed');
    res.status(500).json(new AgentError('internal_error', 'Internal server error').toBody());
  };
}
