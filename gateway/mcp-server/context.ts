/** What the `/mcp` request handlers share: the gateway's parts and the tool names every session sees. */
import type { ServerCapabilities } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from 'pino';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { ServiceCatalog } from '../services/service-catalog.js';
import type { SessionStore } from '../sessions/session-store.js';
import type { Upstream } from '../upstream/types.js';
import type { NameTable } from './names.js';

export interface McpContext {
  catalog: ServiceCatalog;
  sessions: SessionStore;
  metrics: GatewayMetrics;
  logger: Logger;
  /** Idle timeout of an MCP session and of its servers, seconds. */
  idleSeconds: number;
  /** Between service and tool/prompt name. */
  separator: string;
  /** Exposed tool names; one table for all sessions, since every session lists the same tools. */
  tools: NameTable;
  /** What each service's servers declared in initialize, once one was seen (prompts and resources skip services without them). */
  capabilities: Map<string, ServerCapabilities>;
}

/** Records what a started server of `service` can do. */
export function learnCapabilities(ctx: McpContext, service: string, upstream: Upstream): void {
  const caps = upstream.passthrough?.capabilities();
  if (caps !== undefined) ctx.capabilities.set(service, caps);
}

/** Enabled services that have (or may have, not seen yet) `kind`. */
export function servicesWith(ctx: McpContext, kind: 'prompts' | 'resources'): string[] {
  return ctx.catalog.enabledNames().filter((service) => {
    const caps = ctx.capabilities.get(service);
    return caps === undefined || caps[kind] !== undefined;
  });
}
