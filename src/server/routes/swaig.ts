import { Router } from 'express';
import { methodNotAllowed } from '../middleware.js';
import { incoming, type AgentHost } from '../types.js';

/** `POST /swaig` (and `/swaig/`): runs the function named in the envelope; `__token` in the query for secure ones. */
export function swaigRoute(agent: AgentHost): Router {
  const router = Router();
  router
    .route('/swaig')
    .post(async (req, res) => {
      res.json(await agent.handleSwaigRequest(incoming(req)));
    })
    .all(methodNotAllowed(['POST']));
  return router;
}
