import { Router } from 'express';
import { AgentError } from '../../errors.js';
import { methodNotAllowed } from '../middleware.js';
import type { AgentHost } from '../types.js';
import { DrainingError, type CallDrain } from '../drain.js';

/** `GET /health` (always 200) and `GET /ready` (503 until skills are set up, and again while draining). No auth. */
export function healthRoutes(agent: AgentHost, drain?: CallDrain): Router {
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
      if (drain?.draining) return next(new DrainingError());
      if (!agent.isReady()) return next(new AgentError('not_ready', 'Skills are still setting up'));
      res.json({ status: 'ready', agent: agent.name });
    })
    .all(methodNotAllowed(['GET']));
  return router;
}
