/** `GET /health`: liveness, no auth. A superset of the reference's `{status, timestamp, version}`. */
import { Router } from 'express';
import type { SessionStore } from '../../sessions/session-store.js';
import { GATEWAY_VERSION } from '../../version.js';
import { methodNotAllowed } from '../error-handler.js';

export function healthRoutes(sessions: SessionStore): Router {
  const router = Router();
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
  return router;
}
