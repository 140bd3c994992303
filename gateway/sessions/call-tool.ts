/**
 * One tool call on the (session_id, service) session: the path every caller shares (`POST /services/:name/call`
 * and `/mcp`): tool check against the cache, session lease (start, limits, reset), the service's `tool_timeout`,
 * dropping a broken server, and the call metrics. The raw MCP result is returned; presenting it is the caller's job.
 */
import type { ProgressCallback } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { GatewayError } from '../errors.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { ServiceCatalog } from '../services/service-catalog.js';
import type { Upstream } from '../upstream/types.js';
import type { SessionLease, SessionStore } from './session-store.js';

/** What a tool call needs from the gateway. */
export interface CallToolDeps {
  catalog: ServiceCatalog;
  sessions: SessionStore;
  metrics: GatewayMetrics;
}

/** One tool call. */
export interface ToolCallRequest {
  sessionId: string;
  service: string;
  tool: string;
  arguments: Record<string, unknown>;
  /** Replaces the session's idle timeout, seconds. */
  idleSeconds?: number | undefined;
  /** The caller's metadata, kept with the session from its first call (shown by `GET /sessions`). */
  metadata?: Record<string, unknown> | undefined;
  /** Cancels the call (the server is sent notifications/cancelled). */
  signal?: AbortSignal | undefined;
  /** Receives the server's progress notifications. */
  onprogress?: ProgressCallback | undefined;
}

/** The server's answer, plus whether the session's earlier server had died. */
export interface ToolCallOutcome {
  result: CallToolResult;
  /** True when an earlier server of this session died and this call ran on a fresh one. */
  reset: boolean;
  /** From validated request to answer, ms. */
  ms: number;
  /** The server that answered (to watch its notifications; the lease is already released). */
  upstream: Upstream;
}

function unknownTool(service: string, tool: string): GatewayError {
  return new GatewayError('unknown_tool', `Service ${service} has no tool ${tool}`, { field: 'tool' });
}

/**
 * Calls `tool` on the session's server of `service`. Throws 404 unknown_service / unknown_tool, 503
 * service_disabled, 429 session_limit, 504 tool_timeout, 502/409 upstream failures; a tool-level failure resolves
 * with `isError: true`.
 */
export async function callToolOnSession(deps: CallToolDeps, req: ToolCallRequest): Promise<ToolCallOutcome> {
  const { catalog, sessions, metrics } = deps;
  const { service, tool } = req;
  const svc = catalog.require(service);
  const started = performance.now();
  let failure: string | undefined = 'internal_error';
  let lease: SessionLease | undefined;
  let toolStarted: number | undefined;
  try {
    // Checked against the cache before a session is started for an unknown tool, and again after a cold start.
    if (catalog.hasTool(service, tool) === false) throw unknownTool(service, tool);
    lease = await sessions.acquire(req.sessionId, service, req.idleSeconds, req.metadata);
    if (catalog.hasTool(service, tool) === false) throw unknownTool(service, tool);
    toolStarted = performance.now();
    const result = await lease.upstream.callTool(tool, req.arguments, {
      timeoutMs: svc.tool_timeout * 1000,
      ...(req.signal === undefined ? {} : { signal: req.signal }),
      ...(req.onprogress === undefined ? {} : { onprogress: req.onprogress }),
    });
    failure = result.isError === true ? 'tool_error' : undefined;
    return { result, reset: lease.reset, ms: Math.round(performance.now() - started), upstream: lease.upstream };
  } catch (err) {
    // A call its caller cancelled leaves a healthy server behind: the session stays.
    if (req.signal?.aborted === true) failure = 'cancelled';
    else if (err instanceof GatewayError) failure = err.code;
    if (err instanceof GatewayError && err.upstream && req.signal?.aborted !== true) lease?.discard();
    throw err;
  } finally {
    lease?.release();
    // Only tools the service has become label values (bounded cardinality).
    const known = catalog.hasTool(service, tool) === true ? tool : undefined;
    const now = performance.now();
    metrics.recordCall(service, known, now - started, failure, toolStarted === undefined ? undefined : now - toolStarted);
  }
}
