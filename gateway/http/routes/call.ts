/** `POST /services/:name/call`: one tool call on the (session_id, service) session. */
import express, { Router, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { BadRequestError, GatewayError, NotFoundError, UnsupportedMediaTypeError, UpstreamError } from '../../errors.js';
import type { GatewayMetrics } from '../../metrics/gateway-metrics.js';
import type { ServiceCatalog } from '../../services/service-catalog.js';
import type { SessionLease, SessionStore } from '../../sessions/session-store.js';
import { mapToolResult } from '../../upstream/result.js';
import { methodNotAllowed } from '../error-handler.js';
import { callBodySchema, parseOr400, parseServiceName } from '../validation.js';

/** Dependencies of the call route. */
export interface CallRouteDeps {
  catalog: ServiceCatalog;
  sessions: SessionStore;
  logger: Logger;
  metrics: GatewayMetrics;
  callLimit: RequestHandler;
  /** express.json size limit, e.g. "10mb". */
  bodyLimit: string;
}

const requireJson: RequestHandler = (req, _res, next) => {
  // req.is() is null when there is no body (then validation reports the missing fields).
  next(req.is('application/json') === false ? new UnsupportedMediaTypeError() : undefined);
};

function unknownTool(service: string, tool: string): NotFoundError {
  return new NotFoundError('unknown_tool', `Service ${service} has no tool ${tool}`, 'tool');
}

export function callRoutes(deps: CallRouteDeps): Router {
  const { catalog, sessions, logger, metrics } = deps;
  const router = Router();
  const handler: RequestHandler = async (req, res) => {
    const name = parseServiceName(req.params.name);
    const body = parseOr400(callBodySchema, req.body ?? undefined);
    if (body.service !== undefined && body.service !== name) {
      throw new BadRequestError(`service "${body.service}" does not match the URL (${name})`, 'service');
    }
    const svc = catalog.require(name);
    const started = performance.now();
    let failure: string | undefined = 'internal_error';
    let lease: SessionLease | undefined;
    try {
      // Checked against the cache before a session is started for an unknown tool, and again after a cold start.
      if (catalog.hasTool(name, body.tool) === false) throw unknownTool(name, body.tool);
      lease = await sessions.acquire(body.session_id, name, body.timeout, body.metadata);
      if (catalog.hasTool(name, body.tool) === false) throw unknownTool(name, body.tool);
      const raw = await lease.upstream.callTool(body.tool, body.arguments, { timeoutMs: svc.tool_timeout * 1000 });
      const mapped = mapToolResult(raw, svc.max_result_bytes);
      failure = mapped.is_error ? 'tool_error' : undefined;
      const ms = Math.round(performance.now() - started);
      res.json({ session_id: body.session_id, service: name, tool: body.tool, ...mapped, ...(lease.reset ? { session_reset: true } : {}) });
      // Logged once the answer is on its way: the line costs the caller nothing.
      logger.info({ session_id: body.session_id, service: name, tool: body.tool, ms, is_error: mapped.is_error, metadata: body.metadata }, 'tool call');
    } catch (err) {
      if (err instanceof GatewayError) failure = err.code;
      if (err instanceof UpstreamError) lease?.discard();
      throw err;
    } finally {
      lease?.release();
      // Only tools the service has become label values (bounded cardinality).
      const tool = catalog.hasTool(name, body.tool) === true ? body.tool : undefined;
      metrics.recordCall(name, tool, performance.now() - started, failure);
    }
  };
  router
    .route('/services/:name/call')
    .post(requireJson, express.json({ limit: deps.bodyLimit }), deps.callLimit, handler)
    .all(methodNotAllowed(['POST']));
  return router;
}
