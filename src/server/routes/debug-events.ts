import { Router } from 'express';
import { methodNotAllowed } from '../middleware.js';
import type { AgentHost } from '../types.js';

/** `POST /debug_events`: the platform's debug webhook (`params.debug_webhook_url`); runs onDebugEvent handlers. */
export function debugEventsRoute(agent: AgentHost): Router {
  const router = Router();
  router
    .route('/debug_events')
    .post(async (req, res) => {
      await agent.handleDebugEvent(req.body);
      res.json({ status: 'ok' });
    })
    .all(methodNotAllowed(['POST']));
  return router;
}
