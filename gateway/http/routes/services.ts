/** `GET /services` and `GET /services/:name/tools`. */
import type { Router, RequestHandler } from 'express';
import { MCP_SESSION_PREFIX } from '../../mcp-server/session-info.js';
import type { ServiceCatalog } from '../../services/service-catalog.js';
import type { SessionStore } from '../../sessions/session-store.js';
import { methodNotAllowed } from '../error-handler.js';
import { parseServiceName } from '../validation.js';

export function servicesRoutes(router: Router, catalog: ServiceCatalog, toolsLimit: RequestHandler, sessions: SessionStore): void {
  router
    .route('/services')
    .get((_req, res) => {
      const counts = sessions.countsBy(MCP_SESSION_PREFIX);
      const body = Object.fromEntries(
        Object.entries(catalog.describe()).map(([name, d]) => [name, { ...d, sessions: counts.get(name) ?? { call: 0, mcp: 0 } }]),
      );
      res.json(body);
    })
    .all(methodNotAllowed(['GET', 'HEAD']));
  router
    .route('/services/:name/tools')
    .get(toolsLimit, async (req, res) => {
      const name = parseServiceName(req.params.name);
      catalog.require(name);
      const { json } = await catalog.listTools(name);
      // The list's JSON is made once per refresh; each listing only wraps it.
      res.type('json').send(`{"service":${JSON.stringify(name)},"tools":${json}}`);
    })
    .all(methodNotAllowed(['GET', 'HEAD']));
}
