/**
 * `POST /sessions/:id/warm` `{ services?: string[], timeout? }`: starts the call's servers before its first
 * tool call (the agent sends it when it renders SWML for the call) and answers 202 at once. A call that
 * arrives while a server is still starting joins that start.
 */
import express, { type Router, type RequestHandler } from 'express';
import type { GatewayDrain } from '../../cluster/drain.js';
import { GatewayError } from '../../errors.js';
import type { ServiceCatalog } from '../../services/service-catalog.js';
import type { SessionStore } from '../../sessions/session-store.js';
import { methodNotAllowed } from '../error-handler.js';
import { checkSessionHeader } from '../session-header.js';
import { warmRequestSchema, type WarmResponse } from '../../contract.js';
import { parseOr400, parseSessionId } from '../validation.js';

/** A service that could not be warmed while others were. */
interface Skipped {
  service: string;
  code: string;
}

/** Dependencies of the warm route. */
export interface WarmRouteDeps {
  catalog: ServiceCatalog;
  sessions: SessionStore;
  /** Rate limiter keyed by credential + session id. */
  limit: RequestHandler;
  /** express.json size limit. */
  bodyLimit: string;
  /** While draining, a warm-up that would start a session here is refused with 503 `draining`. */
  drain?: GatewayDrain | undefined;
}

/** An empty body (e.g. `Content-Length: 0` from a bare POST) is fine; any other body must be JSON. */
const jsonOrEmpty: RequestHandler = (req, _res, next) => {
  const empty = req.headers['content-length'] === '0' && req.headers['transfer-encoding'] === undefined;
  next(!empty && req.is('application/json') === false ? new GatewayError('unsupported_media_type', 'Content-Type must be application/json') : undefined);
};

export function warmRoutes(router: Router, deps: WarmRouteDeps): void {
  const { catalog, sessions } = deps;
  const handler: RequestHandler = (req, res) => {
    const id = parseSessionId(req.params.id);
    checkSessionHeader(req.headers, id);
    const body = parseOr400(warmRequestSchema, req.body ?? {});
    const names = [...new Set(body.services ?? catalog.enabledNames())];
    // Every name is checked before anything starts: 404 unknown_service / 503 service_disabled.
    (body.services ?? []).forEach((name, i) => catalog.require(name, `services.${i}`));
    deps.drain?.refuseNewSession(names.every((name) => sessions.has(id, name)));
    const warming: string[] = [];
    const skipped: Skipped[] = [];
    let full: GatewayError | undefined;
    for (const name of names) {
      try {
        sessions.warm(id, name, body.timeout);
        warming.push(name);
      } catch (err) {
        if (!(err instanceof GatewayError) || err.status !== 429) throw err;
        full ??= err;
        skipped.push({ service: name, code: err.code });
      }
    }
    if (full && warming.length === 0) throw full;
    const answer: WarmResponse = { session_id: id, warming, ...(skipped.length > 0 ? { skipped } : {}) };
    res.status(202).json(answer);
  };
  router
    .route('/sessions/:id/warm')
    .post(jsonOrEmpty, express.json({ limit: deps.bodyLimit }), deps.limit, handler)
    .all(methodNotAllowed(['POST']));
}
