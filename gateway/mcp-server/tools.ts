/**
 * tools/list and tools/call of `/mcp`. The list is every enabled service's cached tool list, renamed
 * `{service}_{tool}`; a call runs on this MCP session's own server of that service through the same path as
 * `POST /services/:name/call` and returns the server's result untouched (all content, structuredContent, isError).
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type CallToolResult,
  type ServerNotification,
  type ServerRequest,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { callToolOnSession } from '../sessions/call-tool.js';
import type { UpstreamTool } from '../upstream/types.js';
import { learnCapabilities, type McpContext } from './context.js';
import type { DownstreamSession } from './downstream-session.js';
import { META_SESSION_RESET, toolFailure } from './errors.js';
import type { NameOrigin } from './names.js';
import { relayProgress } from './progress.js';

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

function toMcpTool(name: string, tool: UpstreamTool): Tool {
  const out: Tool = { name, description: tool.description, inputSchema: tool.inputSchema as Tool['inputSchema'] };
  if (tool.title !== undefined) out.title = tool.title;
  if (tool.annotations !== undefined) out.annotations = tool.annotations;
  if (tool.outputSchema !== undefined) out.outputSchema = tool.outputSchema as Tool['outputSchema'];
  if (tool._meta !== undefined) out._meta = tool._meta;
  return out;
}

/** Every enabled service's tools under their exposed names; a service that cannot list is left out (and logged). */
export async function listGatewayTools(ctx: McpContext): Promise<Tool[]> {
  const perService = await Promise.all(
    ctx.catalog.enabledNames().map(async (service) => {
      try {
        return (await ctx.catalog.listTools(service)).tools.map((tool) => ({ service, tool }));
      } catch (err) {
        ctx.logger.warn({ service, err: (err as Error).message }, 'mcp tools/list: service left out, it could not list its tools');
        return [];
      }
    }),
  );
  const all = perService.flat();
  const names = ctx.tools.build(all.map(({ service, tool }) => ({ service, name: tool.name })));
  return all.map(({ tool }, i) => toMcpTool(names[i] as string, tool));
}

async function resolveTool(ctx: McpContext, name: string): Promise<NameOrigin | undefined> {
  const known = ctx.tools.resolve(name);
  if (known) return known;
  // A client may call without listing first, or after the list changed: list once more.
  await listGatewayTools(ctx);
  return ctx.tools.resolve(name);
}

/** Remembers which service a resource in a tool result came from, so resources/read can find it. */
function rememberResources(session: DownstreamSession, service: string, result: CallToolResult): void {
  for (const block of result.content ?? []) {
    if (block.type === 'resource_link') session.resourceOwners.set(block.uri, service);
    else if (block.type === 'resource') session.resourceOwners.set(block.resource.uri, service);
  }
}

async function callTool(
  ctx: McpContext,
  session: DownstreamSession,
  params: { name: string; arguments?: Record<string, unknown> | undefined },
  extra: Extra,
): Promise<CallToolResult> {
  const origin = await resolveTool(ctx, params.name);
  if (!origin) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${params.name}`);
  const progress = relayProgress(extra);
  const board = ctx.metrics.progress.track(session.gatewaySessionId, origin.service, origin.name, ctx.logger);
  const relay = progress.onprogress;
  try {
    const outcome = await callToolOnSession(ctx, {
      sessionId: session.gatewaySessionId,
      service: origin.service,
      tool: origin.name,
      arguments: params.arguments ?? {},
      idleSeconds: ctx.idleSeconds,
      signal: extra.signal,
      onprogress: (p) => {
        board.onprogress(p);
        relay?.(p);
      },
    });
    await progress.settled();
    session.watch(outcome.upstream);
    learnCapabilities(ctx, origin.service, outcome.upstream);
    rememberResources(session, origin.service, outcome.result);
    const { result } = outcome;
    ctx.logger.info(
      { session_id: session.gatewaySessionId, service: origin.service, tool: origin.name, ms: outcome.ms, is_error: result.isError === true },
      'mcp tool call',
    );
    return outcome.reset ? { ...result, _meta: { ...result._meta, [META_SESSION_RESET]: true } } : result;
  } catch (err) {
    return toolFailure(err);
  } finally {
    board.finish();
  }
}

/** Registers tools/list and tools/call on a session's server. */
export function registerTools(server: Server, session: DownstreamSession, ctx: McpContext): void {
  server.setRequestHandler(ListToolsRequestSchema, () => session.during(async () => ({ tools: await listGatewayTools(ctx) })));
  server.setRequestHandler(CallToolRequestSchema, (request, extra) => session.during(() => callTool(ctx, session, request.params, extra)));
}
