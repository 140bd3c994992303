/** The gateway's Express router (mountable anywhere) and the standalone app around it. */
import express, { Router, type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { createAuth } from '../auth.js';
import type { GatewayConfig } from '../config/schema.js';
import type { GatewayDrain } from '../cluster/drain.js';
import type { SessionLedger } from '../cluster/session-ledger.js';
import type { McpSessionInfo } from '../mcp-server/session-info.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { ServiceCatalog } from '../services/service-catalog.js';
import type { ServiceContent } from '../content/service-content.js';
import type { SessionStore } from '../sessions/session-store.js';
import { errorHandler, notFound } from './error-handler.js';
import { securityHeaders } from './security-headers.js';
import type { RateLimiters } from './rate-limits.js';
import { callRoutes } from './routes/call.js';
import { contentRoutes } from './routes/content.js';
import { healthRoutes } from './routes/health.js';
import { latencyRoutes } from './routes/latency.js';
import { metricsRoutes } from './routes/metrics.js';
import { servicesRoutes } from './routes/services.js';
import { sessionsRoutes } from './routes/sessions.js';
import { statusRoutes } from './routes/status.js';
import { warmRoutes } from './routes/warm.js';

/** Largest accepted request body (the seed's 10 MB). */
export const BODY_LIMIT = '10mb';

/** What the routes need. */
export interface HttpDeps {
  config: GatewayConfig;
  catalog: ServiceCatalog;
  sessions: SessionStore;
  limiters: RateLimiters;
  logger: Logger;
  metrics: GatewayMetrics;
  /** Prompts and resources of the services that expose them. */
  content: ServiceContent;
  /** The `/mcp` endpoint, when `mcp.enabled`. */
  mcp?: { router: Router; list(): McpSessionInfo[] } | undefined;
  /** Cluster mode (`cluster.redis_uri`): the shared record of live sessions. */
  ledger?: SessionLedger | undefined;
  /** Graceful drain state (SIGTERM): `/ready` 503, no new sessions. */
  drain?: GatewayDrain | undefined;
}

/**
 * Enters `router` only for paths under `prefix` (case-insensitive, as express matches). A router no route of
 * which matches is left through a setImmediate, an event-loop turn for every request that passes it.
 */
function under(prefix: string, router: RequestHandler): RequestHandler {
  const match = new RegExp(`^${prefix}(?:/|$)`, 'i');
  return (req, res, next) => (match.test(req.path) ? router(req, res, next) : next());
}

/**
 * All gateway routes with auth, limits, 404 and the JSON error handler; `/health` needs no auth. The routes are
 * registered on this one router, in order, rather than on a sub-router per group: every router a request enters
 * costs it a dispatch (closures and a path parse), and a tool call used to enter three.
 */
export function createRouter(deps: HttpDeps): Router {
  const { config, catalog, sessions, limiters, logger, metrics, mcp, content, ledger, drain } = deps;
  const router = Router();
  healthRoutes(router, sessions, drain);
  router.use(createAuth({ user: config.server.auth_user, password: config.server.auth_password, token: config.server.auth_token, logger }));
  // Scrapers and the status page are authenticated but not counted against the per-credential API limits.
  metricsRoutes(router, metrics);
  statusRoutes(router, { catalog, sessions, metrics, ...(mcp ? { mcpSessions: () => mcp.list() } : {}) });
  if (limiters.global.length > 0) router.use(...limiters.global);
  // The call route first: it is the hot path.
  callRoutes(router, {
    catalog,
    sessions,
    logger,
    metrics,
    callLimit: limiters.call,
    bodyLimit: BODY_LIMIT,
    ledger,
    defaultTimeoutSeconds: config.session.default_timeout,
    drain,
  });
  servicesRoutes(router, catalog, limiters.tools, sessions);
  latencyRoutes(router, catalog, metrics);
  contentRoutes(router, { content, listLimit: limiters.tools, readLimit: limiters.call, bodyLimit: BODY_LIMIT });
  sessionsRoutes(router, sessions, limiters.sessionDelete, ledger ? { ledger, services: () => Object.keys(config.services) } : undefined);
  // A warm-up is a session lifecycle request like DELETE: it shares session_delete_limit.
  warmRoutes(router, { catalog, sessions, limit: limiters.sessionDelete, bodyLimit: BODY_LIMIT, drain });
  if (mcp) router.use(under('/mcp', mcp.router));
  router.use(notFound);
  router.use(errorHandler(logger, BODY_LIMIT));
  return router;
}

/** Standalone app: security headers (helmet; CSP default-src 'none', X-Frame-Options DENY) + the router. */
export function createApp(router: Router): Express {
  const app = express();
  app.disable('x-powered-by');
  // API answers are not cached by clients; hashing every response body for an ETag is wasted work.
  app.set('etag', false);
  app.use(securityHeaders());
  app.use(router);
  return app;
}
