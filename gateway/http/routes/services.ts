/** `GET /services` and `GET /services/:name/tools`. */
import { Router, type RequestHandler } from 'express';
import type { ServiceCatalog } from '../../services/service-catalog.js';
import { methodNotAllowed } from '../error-handler.js';
import { parseServiceName } from '../validation.js';

export function servicesRoutes(catalog: ServiceCatalog, toolsLimit: RequestHandler): Router {
  const router = Router();
  router
    .route('/services')
    .get((_req, res) => {
      res.json(catalog.describe());
    })
    .all(methodNotAllowed(['GET', 'HEAD']));
  router
    .route('/services/:name/tools')
    .get(toolsLimit, async (req, res) => {
      const name = parseServiceName(req.params.name);
      catalog.require(name);
      res.json({ service: name, tools: await catalog.listTools(name) });
    })
    .all(methodNotAllowed(['GET', 'HEAD']));
  return router;
}
