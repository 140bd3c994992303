/** `GET /sessions` and `DELETE /sessions/:id`. */
import { Router, type RequestHandler } from 'express';
import { NotFoundError } from '../../errors.js';
import type { SessionStore } from '../../sessions/session-store.js';
import { methodNotAllowed } from '../error-handler.js';
import { parseSessionId } from '../validation.js';

export function sessionsRoutes(sessions: SessionStore, deleteLimit: RequestHandler): Router {
  const router = Router();
  router
    .route('/sessions')
    .get((_req, res) => {
      res.json({ sessions: sessions.list() });
    })
    .all(methodNotAllowed(['GET', 'HEAD']));
  router
    .route('/sessions/:id')
    .delete(deleteLimit, (req, res) => {
      const id = parseSessionId(req.params.id);
      const closed = sessions.closeSession(id);
      if (closed === 0) throw new NotFoundError('unknown_session', `No session ${id}`, 'session_id');
      res.json({ session_id: id, closed });
    })
    .all(methodNotAllowed(['DELETE']));
  return router;
}
