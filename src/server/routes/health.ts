import { Router } from 'express';
import { AgentError } from '../../errors.js';
import { methodNotAllowed } from '../middleware.js';
import type { AgentHost } from '../types.js';

/** `GET /health` (always 200) and `GET /ready` (503 until skills are set up). No auth. */
export function healthRoutes(agent: AgentHost): Router {
  const router = Router();
  router
    .route('/health')
    .get((_req, res) => {
      res.json({ status: 'healthy', agent: agent.name });
    })
    .all(methodNotAllowed(['GET']));
  router
    .route('/ready')
    .get((_req, res, next) => {
      if (!agent.isReady()) return next(new AgentError('not_ready', 'Skills are still setting up'));
      res.json({ status: 'ready', agent: agent.name });
    })
    .all(methodNotAllowed(['GET']));
  return router;
}
