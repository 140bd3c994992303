import express from 'express';
import helmet from 'helmet';
import { basicAuth } from '../auth/basic-auth.js';
import type { CallDrain } from './drain.js';
import { errorHandler, jsonBody, notFound } from './middleware.js';
import { healthRoutes } from './routes/health.js';
import { debugEventsRoute } from './routes/debug-events.js';
import { postPromptRoute } from './routes/post-prompt.js';
import { rootRoute } from './routes/root.js';
import { swaigRoute } from './routes/swaig.js';
import type { AgentHost } from './types.js';

/**
 * The agent's routes without security headers or the final error handler, mountable elsewhere.
 * `/health` and `/ready` are open; everything else needs Basic auth.
 */
export function createAgentRouter(agent: AgentHost, drain?: CallDrain): express.Router {
  const router = express.Router();
  router.use(healthRoutes(agent, drain));
  router.use(basicAuth({ ...agent.credentials, realm: agent.name }));
  router.use(jsonBody(agent.maxBodyBytes));
  if (drain) router.use(drain.track());
  router.use(rootRoute(agent), swaigRoute(agent), postPromptRoute(agent), debugEventsRoute(agent));
  return router;
}

/**
 * Complete app: helmet headers, `/health` + `/ready` at the app root and under the route,
 * the agent router under its route, 404 and the JSON error handler.
 */
export function createAgentApp(agent: AgentHost, drain?: CallDrain): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(helmet());
  if (agent.route !== '/') app.use(healthRoutes(agent, drain));
  app.use(agent.route, createAgentRouter(agent, drain));
  app.use(notFound);
  app.use(errorHandler(agent.logger, agent.maxBodyBytes));
  return app;
}
