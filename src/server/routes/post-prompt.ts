import { Router } from 'express';
import { methodNotAllowed } from '../middleware.js';
import type { AgentHost } from '../types.js';

/** `POST /post_prompt`: the end-of-call summary; runs onSummary handlers and replies `{success:true}`. */
export function postPromptRoute(agent: AgentHost): Router {
  const router = Router();
  router
    .route('/post_prompt')
    .post(async (req, res) => {
      await agent.handleSummary(req.body);
      res.json({ success: true });
    })
    .all(methodNotAllowed(['POST']));
  return router;
}
