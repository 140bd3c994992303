/**
 * `GET /sessions` and `DELETE /sessions/:id`. Each session row carries the reference's fields (`service_name`,
 * `last_accessed`, `timeout`, `metadata`, `time_remaining`); the list is an array, not an object keyed by session
 * id, because one call id has a session per service. DELETE adds the reference's `message`.
 */
import type { Router, RequestHandler } from 'express';
import type { SessionLedger } from '../../cluster/session-ledger.js';
import type { DeleteSessionResponse } from '../../contract.js';
import { GatewayError } from '../../errors.js';
import type { SessionStore } from '../../sessions/session-store.js';
import { methodNotAllowed } from '../error-handler.js';
import { checkSessionHeader } from '../session-header.js';
import { parseSessionId } from '../validation.js';

/**
 * `ledger` (cluster mode): a hangup also clears the call's marks of `services`, so no instance later takes the
 * call id for a lost session.
 */
export function sessionsRoutes(
  router: Router,
  sessions: SessionStore,
  deleteLimit: RequestHandler,
  cluster?: { ledger: SessionLedger; services: () => string[] },
): void {
  router
    .route('/sessions')
    .get((_req, res) => {
      res.json({ sessions: sessions.list() });
    })
    .all(methodNotAllowed(['GET', 'HEAD']));
  router
    .route('/sessions/:id')
    .delete(deleteLimit, async (req, res) => {
      const id = parseSessionId(req.params.id);
      checkSessionHeader(req.headers, id);
      const closed = sessions.closeSession(id);
      await cluster?.ledger.forget(id, cluster.services());
      if (closed === 0) throw new GatewayError('unknown_session', `Session ${id} not found`, { field: 'session_id' });
      const answer: DeleteSessionResponse = { message: `Session ${id} closed`, session_id: id, closed };
      res.json(answer);
    })
    .all(methodNotAllowed(['DELETE']));
}
