/** prompts/list and prompts/get of `/mcp`: the prompts of this session's servers, named `{service}_{prompt}`. */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  McpError,
  type GetPromptResult,
  type Prompt,
  type ServerNotification,
  type ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import { servicesWith, type McpContext } from './context.js';
import type { DownstreamSession } from './downstream-session.js';
import { relayProgress } from './progress.js';
import { fromEachService, onSessionServer } from './session-server.js';

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

async function listPrompts(ctx: McpContext, session: DownstreamSession, extra: Extra): Promise<Prompt[]> {
  const all = await fromEachService(ctx, servicesWith(ctx, 'prompts'), 'prompts/list', (service) =>
    onSessionServer(ctx, session, service, { signal: extra.signal }, (server, opts) =>
      server.capabilities()?.prompts === undefined ? Promise.resolve([]) : server.listPrompts(opts),
    ),
  );
  const names = session.prompts.build(all.map(({ service, item }) => ({ service, name: item.name })));
  return all.map(({ item }, i) => ({ ...item, name: names[i] as string }));
}

async function getPrompt(
  ctx: McpContext,
  session: DownstreamSession,
  params: { name: string; arguments?: Record<string, string> | undefined },
  extra: Extra,
): Promise<GetPromptResult> {
  let origin = session.prompts.resolve(params.name);
  if (!origin) {
    await listPrompts(ctx, session, extra);
    origin = session.prompts.resolve(params.name);
  }
  if (!origin) throw new McpError(ErrorCode.InvalidParams, `Unknown prompt: ${params.name}`);
  const { service, name } = origin;
  const progress = relayProgress(extra);
  const onprogress = progress.onprogress;
  const result = await onSessionServer(ctx, session, service, { signal: extra.signal, ...(onprogress ? { onprogress } : {}) }, (server, opts) =>
    server.getPrompt(name, params.arguments, opts),
  );
  await progress.settled();
  return result;
}

/** Registers prompts/list and prompts/get on a session's server. */
export function registerPrompts(server: Server, session: DownstreamSession, ctx: McpContext): void {
  server.setRequestHandler(ListPromptsRequestSchema, (_request, extra) => session.during(async () => ({ prompts: await listPrompts(ctx, session, extra) })));
  server.setRequestHandler(GetPromptRequestSchema, (request, extra) => session.during(() => getPrompt(ctx, session, request.params, extra)));
}
