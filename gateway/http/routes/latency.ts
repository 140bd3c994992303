/**
 * `GET /services/:name/latency?window=<seconds>`: p50/p95 per tool over the calls of the last `window` seconds
 * (default 600). Agents read it to give slow functions spoken fillers; only tools the service has appear.
 */
import type { Router } from 'express';
import { z } from 'zod';
import type { GatewayMetrics } from '../../metrics/gateway-metrics.js';
import type { ServiceCatalog } from '../../services/service-catalog.js';
import { methodNotAllowed } from '../error-handler.js';
import { parseOr400, parseServiceName } from '../validation.js';

/** Default and longest window, seconds. */
export const DEFAULT_LATENCY_WINDOW_SECONDS = 600;
const MAX_WINDOW_SECONDS = 86_400;

const querySchema = z.object({
  window: z.coerce
    .number({ error: 'must be a number of seconds' })
    .positive('must be a positive number of seconds')
    .max(MAX_WINDOW_SECONDS, `must be at most ${MAX_WINDOW_SECONDS} seconds`)
    .default(DEFAULT_LATENCY_WINDOW_SECONDS),
});

export function latencyRoutes(router: Router, catalog: ServiceCatalog, metrics: GatewayMetrics): void {
  router
    .route('/services/:name/latency')
    .get((req, res) => {
      const name = parseServiceName(req.params.name);
      catalog.require(name);
      const { window } = parseOr400(querySchema, { window: req.query.window });
      const tools = metrics.recent
        .recent(name, window * 1000)
        .map((s) => ({ tool: s.tool, count: s.count, p50_ms: Math.round(s.p50), p95_ms: Math.round(s.p95) }));
      res.json({ service: name, window_seconds: window, tools });
    })
    .all(methodNotAllowed(['GET', 'HEAD']));
}
