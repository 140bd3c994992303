import { Router, type RequestHandler } from 'express';
import { methodNotAllowed } from '../middleware.js';
import { incoming, type AgentHost } from '../types.js';

/** `GET|POST /` → the SWML document. The platform's POST body carries the call id in `call.call_id`. */
export function rootRoute(agent: AgentHost): Router {
  const router = Router();
  const serveSwml: RequestHandler = async (req, res) => {
    res.json(await agent.handleSwmlRequest(incoming(req)));
  };
  router
    .route('/')
    .get(serveSwml)
    .post(serveSwml)
    .all(methodNotAllowed(['GET', 'POST']));
  return router;
}
