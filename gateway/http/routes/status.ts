/** `GET /status`: a small server-rendered HTML page (behind auth) with services, tools, sessions and latency. */
import type { Router } from 'express';
import type { McpSessionInfo } from '../../mcp-server/session-info.js';
import type { GatewayMetrics } from '../../metrics/gateway-metrics.js';
import type { ServiceCatalog } from '../../services/service-catalog.js';
import type { SessionStore } from '../../sessions/session-store.js';
import { methodNotAllowed } from '../error-handler.js';
import { renderStatusPage, STATUS_CSP, type StatusService } from '../status-page.js';

/** Dependencies of the status route. */
export interface StatusRouteDeps {
  catalog: ServiceCatalog;
  sessions: SessionStore;
  metrics: GatewayMetrics;
  /** Open downstream MCP sessions (`/mcp`), when it is enabled. */
  mcpSessions?: () => McpSessionInfo[];
}

export function statusRoutes(router: Router, deps: StatusRouteDeps): void {
  const { catalog, sessions, metrics } = deps;
  const startedAt = Date.now();
  router
    .route('/status')
    .get((_req, res) => {
      const live = sessions.countsByService();
      const spares = sessions.spareCounts();
      const services: StatusService[] = Object.entries(catalog.describe()).map(([name, d]) => {
        const tools = catalog.cachedTools(name);
        return {
          name,
          ...d,
          ...(tools === undefined ? {} : { tools: tools.map((t) => ({ name: t.name, description: t.description })) }),
          liveSessions: live.get(name) ?? 0,
          spares: spares.get(name) ?? 0,
        };
      });
      const html = renderStatusPage({
        generatedAt: new Date(),
        uptimeSeconds: (Date.now() - startedAt) / 1000,
        services,
        sessions: sessions.list(),
        latency: metrics.recent.summaries(),
        progress: metrics.progress.list(),
        ...(deps.mcpSessions ? { mcpSessions: deps.mcpSessions() } : {}),
      });
      // Replaces the app-wide CSP for this page only: its inline stylesheet is allowed by hash, scripts stay blocked.
      res.set({ 'Content-Security-Policy': STATUS_CSP, 'Cache-Control': 'no-store' }).type('html').send(html);
    })
    .all(methodNotAllowed(['GET', 'HEAD']));
}
