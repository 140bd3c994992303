/** `/mcp`: the gateway as an MCP server (Streamable HTTP), one sandboxed server per MCP session and service. */
import type { Router } from 'express';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/schema.js';
import type { RateLimiters } from '../http/rate-limits.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { ServiceCatalog } from '../services/service-catalog.js';
import type { SessionStore } from '../sessions/session-store.js';
import type { McpContext } from './context.js';
import { createMcpServer } from './create-server.js';
import type { McpSessionInfo } from './session-info.js';
import { NameTable } from './names.js';
import { mcpRoutes } from './route.js';
import { McpSessionRegistry } from './session-registry.js';

export { MCP_SESSION_PREFIX, type McpSessionInfo } from './session-info.js';

/** What {@link createMcpEndpoint} needs. */
export interface McpEndpointDeps {
  config: GatewayConfig;
  catalog: ServiceCatalog;
  sessions: SessionStore;
  metrics: GatewayMetrics;
  logger: Logger;
  limiters: RateLimiters;
  bodyLimit: string;
}

/** The running `/mcp` endpoint. */
export interface McpEndpoint {
  router: Router;
  /** Open MCP sessions, for `/status`. */
  list(): McpSessionInfo[];
  /** Closes every MCP session (and its servers). */
  close(): Promise<void>;
}

export function createMcpEndpoint(deps: McpEndpointDeps): McpEndpoint {
  const { config, catalog, sessions, metrics, logger } = deps;
  const idleSeconds = config.mcp.session_timeout ?? config.session.default_timeout;
  const separator = config.mcp.tool_separator;
  const ctx: McpContext = {
    catalog,
    sessions,
    metrics,
    logger,
    idleSeconds,
    separator,
    tools: new NameTable(separator),
    capabilities: new Map(),
  };
  const registry = new McpSessionRegistry({
    sessions,
    logger,
    metrics,
    separator,
    idleMs: idleSeconds * 1000,
    maxSessions: config.mcp.max_sessions,
    cleanupIntervalMs: config.session.cleanup_interval * 1000,
    createServer: (session) => createMcpServer(ctx, session),
  });
  // A service's tool list changed (list_changed, or a refresh found a new one): every client re-lists.
  catalog.onToolsChanged(() => registry.notifyToolsChanged());
  registry.start();
  return {
    router: mcpRoutes({ registry, limiters: deps.limiters, bodyLimit: deps.bodyLimit }),
    list: () => registry.list(),
    close: () => registry.closeAll(),
  };
}
