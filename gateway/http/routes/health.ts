/** `GET /health`: liveness, no auth. */
import { Router } from 'express';
import type { SessionStore } from '../../sessions/session-store.js';
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
        uptime_seconds: Math.round((Date.now() - startedAt) / 1000),
        active_sessions: sessions.size,
      });
    })
    .all(methodNotAllowed(['GET', 'HEAD']));
  return router;
}
