/** Runs a prompt or resource request on this MCP session's own server of a service (started on first use). */
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { CallOptions, UpstreamPassthrough } from '../upstream/types.js';
import { learnCapabilities, type McpContext } from './context.js';
import type { DownstreamSession } from './downstream-session.js';
import { toMcpError } from './errors.js';

/**
 * Leases the session's server of `service`, hands its pass-through and the call options (the service's
 * `tool_timeout`, the client's cancel signal and progress) to `work`, and releases it. Gateway errors become
 * JSON-RPC errors; a server's own JSON-RPC error passes through with its code.
 */
export async function onSessionServer<T>(
  ctx: McpContext,
  session: DownstreamSession,
  service: string,
  opts: Omit<CallOptions, 'timeoutMs'>,
  work: (server: UpstreamPassthrough, opts: CallOptions) => Promise<T>,
): Promise<T> {
  try {
    const svc = ctx.catalog.require(service);
    const lease = await ctx.sessions.acquire(session.gatewaySessionId, service, ctx.idleSeconds);
    try {
      session.watch(lease.upstream);
      learnCapabilities(ctx, service, lease.upstream);
      const passthrough = lease.upstream.passthrough;
      if (!passthrough) throw new McpError(ErrorCode.MethodNotFound, `Service ${service} does not pass prompts or resources through`);
      return await work(passthrough, { ...opts, timeoutMs: svc.tool_timeout * 1000 });
    } finally {
      lease.release();
    }
  } catch (err) {
    throw toMcpError(err);
  }
}

/** Runs `work` for each service; a service that fails is logged and left out of the merged answer. */
export async function fromEachService<T>(
  ctx: McpContext,
  services: string[],
  what: string,
  work: (service: string) => Promise<T[]>,
): Promise<Array<{ service: string; item: T }>> {
  const lists = await Promise.all(
    services.map(async (service) => {
      try {
        return (await work(service)).map((item) => ({ service, item }));
      } catch (err) {
        ctx.logger.warn({ service, err: (err as Error).message }, `mcp ${what}: service left out`);
        return [];
      }
    }),
  );
  return lists.flat();
}
