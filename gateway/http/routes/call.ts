/** `POST /services/:name/call`: one tool call on the (session_id, service) session. */
import express, { type Router, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { GatewayDrain } from '../../cluster/drain.js';
import type { SessionLedger } from '../../cluster/session-ledger.js';
import { GatewayError } from '../../errors.js';
import type { GatewayMetrics } from '../../metrics/gateway-metrics.js';
import type { ServiceCatalog } from '../../services/service-catalog.js';
import { callToolOnSession } from '../../sessions/call-tool.js';
import type { SessionStore } from '../../sessions/session-store.js';
import { mapToolResult } from '../../upstream/result.js';
import { methodNotAllowed } from '../error-handler.js';
import { callRequestSchema, type CallResponse } from '../../contract.js';
import { sessionIdFromHeader } from '../session-header.js';
import { parseOr400, parseServiceName } from '../validation.js';

/** Dependencies of the call route. */
export interface CallRouteDeps {
  catalog: ServiceCatalog;
  sessions: SessionStore;
  logger: Logger;
  metrics: GatewayMetrics;
  callLimit: RequestHandler;
  /** express.json size limit, e.g. "10mb". */
  bodyLimit: string;
  /** Live sessions of the whole cluster (`cluster.redis_uri`): a session another instance held comes back reset. */
  ledger?: SessionLedger | undefined;
  /** `session.default_timeout`, seconds: how long a session's mark in the ledger lives without a call. */
  defaultTimeoutSeconds: number;
  /** While draining, calls of sessions not held here are refused with 503 `draining`. */
  drain?: GatewayDrain | undefined;
}

const requireJson: RequestHandler = (req, _res, next) => {
  // req.is() is null when there is no body (then validation reports the missing fields).
  next(req.is('application/json') === false ? new GatewayError('unsupported_media_type', 'Content-Type must be application/json') : undefined);
};

/** Longest call metadata written to the log, characters (a 9 MB metadata once made 28 MB of log). */
export const MAX_LOGGED_METADATA = 1024;

function loggedMetadata(metadata: Record<string, unknown> | undefined): { metadata?: unknown } {
  if (metadata === undefined) return {};
  const text = JSON.stringify(metadata);
  return text.length <= MAX_LOGGED_METADATA ? { metadata } : { metadata: `${text.slice(0, MAX_LOGGED_METADATA)}… (${text.length} characters)` };
}

export function callRoutes(router: Router, deps: CallRouteDeps): void {
  const { catalog, sessions, logger, metrics } = deps;
  const handler: RequestHandler = async (req, res) => {
    const name = parseServiceName(req.params.name);
    const body = parseOr400(callRequestSchema, req.body ?? undefined);
    if (body.service !== undefined && body.service !== name) {
      throw new GatewayError('invalid_request', `service "${body.service}" does not match the URL (${name})`, { field: 'service' });
    }
    deps.drain?.refuseNewSession(sessions.has(body.session_id, name));
    const ttl = body.timeout ?? deps.defaultTimeoutSeconds;
    const lost = (await deps.ledger?.lostElsewhere(body.session_id, name, ttl)) ?? false;
    const progress = metrics.progress.track(body.session_id, name, body.tool, logger);
    const {
      result,
      reset: restarted,
      ms,
    } = await callToolOnSession(
      { catalog, sessions, metrics },
      {
        sessionId: body.session_id,
        service: name,
        tool: body.tool,
        arguments: body.arguments,
        idleSeconds: body.timeout,
        metadata: body.metadata,
        onprogress: progress.onprogress,
      },
    ).finally(() => progress.finish());
    const reset = restarted || lost;
    if (lost) logger.warn({ session_id: body.session_id, service: name }, 'session was live on another gateway instance: its state is lost, starting fresh');
    const mapped = mapToolResult(result, catalog.require(name).max_result_bytes);
    const answer: CallResponse = { session_id: body.session_id, service: name, tool: body.tool, ...mapped, ...(reset ? { session_reset: true } : {}) };
    res.json(answer);
    // Logged once the answer is on its way: the line costs the caller nothing.
    logger.info({ session_id: body.session_id, service: name, tool: body.tool, ms, is_error: mapped.is_error, ...loggedMetadata(body.metadata) }, 'tool call');
  };
  router
    .route('/services/:name/call')
    .post(requireJson, express.json({ limit: deps.bodyLimit }), sessionIdFromHeader, deps.callLimit, handler)
    .all(methodNotAllowed(['POST']));
}
