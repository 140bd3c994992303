/**
 * `GET /health`: liveness, no auth. A superset of the reference's `{status, timestamp, version}`.
 * `GET /ready`: readiness for a balancer, no auth: 200, or 503 `draining` once a graceful drain has started.
 */
import type { Router } from 'express';
import type { GatewayDrain } from '../../cluster/drain.js';
import type { SessionStore } from '../../sessions/session-store.js';
import { GATEWAY_VERSION } from '../../version.js';
import { methodNotAllowed } from '../error-handler.js';

export function healthRoutes(router: Router, sessions: SessionStore, drain?: GatewayDrain): void {
  const startedAt = Date.now();
  router
    .route('/health')
    .get((_req, res) => {
      res.json({
        status: 'healthy',
        timestamp: new Date().toISOString(),
        version: GATEWAY_VERSION,
        uptime_seconds: Math.round((Date.now() - startedAt) / 1000),
        active_sessions: sessions.size,
      });
    })
    .all(methodNotAllowed(['GET', 'HEAD']));
  router
    .route('/ready')
    .get((_req, res) => {
      drain?.refuseNewSession(false);
      res.json({ status: 'ready', active_sessions: sessions.size });
    })
    .all(methodNotAllowed(['GET', 'HEAD']));
}
