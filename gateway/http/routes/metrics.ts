/** `GET /metrics`: this gateway's Prometheus registry in the text exposition format (behind auth). */
import type { Router } from 'express';
import type { GatewayMetrics } from '../../metrics/gateway-metrics.js';
import { methodNotAllowed } from '../error-handler.js';

export function metricsRoutes(router: Router, metrics: GatewayMetrics): void {
  router
    .route('/metrics')
    .get(async (_req, res) => {
      const text = await metrics.registry.metrics();
      res.set('Cache-Control', 'no-store').type(metrics.registry.contentType).send(text);
    })
    .all(methodNotAllowed(['GET', 'HEAD']));
}
