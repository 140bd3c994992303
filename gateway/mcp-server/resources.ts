/**
 * resources/list, resources/templates/list and resources/read of `/mcp`: the resources of this session's
 * servers with their URIs unchanged (tool results link to them). A read goes to the service that listed the
 * URI or linked it in a tool result, else to the service whose template prefix matches it best.
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  type ReadResourceResult,
  type Resource,
  type ResourceTemplate,
  type ServerNotification,
  type ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import { servicesWith, type McpContext } from './context.js';
import type { DownstreamSession } from './downstream-session.js';
import { RESOURCE_NOT_FOUND } from './errors.js';
import { relayProgress } from './progress.js';
import { fromEachService, onSessionServer } from './session-server.js';

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

async function listResources(ctx: McpContext, session: DownstreamSession, extra: Extra): Promise<Resource[]> {
  const all = await fromEachService(ctx, servicesWith(ctx, 'resources'), 'resources/list', (service) =>
    onSessionServer(ctx, session, service, { signal: extra.signal }, (server, opts) =>
      server.capabilities()?.resources === undefined ? Promise.resolve([]) : server.listResources(opts),
    ),
  );
  // On a clash the first service (config order) keeps the URI.
  for (const { service, item } of [...all].reverse()) session.resourceOwners.set(item.uri, service);
  return all.map(({ item }) => item);
}

async function listTemplates(ctx: McpContext, session: DownstreamSession, extra: Extra): Promise<ResourceTemplate[]> {
  const all = await fromEachService(ctx, servicesWith(ctx, 'resources'), 'resources/templates/list', (service) =>
    onSessionServer(ctx, session, service, { signal: extra.signal }, (server, opts) =>
      server.capabilities()?.resources === undefined ? Promise.resolve([]) : server.listResourceTemplates(opts),
    ),
  );
  session.templatePrefixes.clear();
  for (const { service, item } of all) {
    const prefix = item.uriTemplate.split('{')[0] ?? '';
    if (prefix !== '') session.templatePrefixes.set(service, [...(session.templatePrefixes.get(service) ?? []), prefix]);
  }
  return all.map(({ item }) => item);
}

/** The service a URI belongs to, from what this session has seen; undefined when nothing fits. */
function ownerOf(session: DownstreamSession, uri: string): string | undefined {
  const listed = session.resourceOwners.get(uri);
  if (listed !== undefined) return listed;
  let best: { service: string; length: number } | undefined;
  for (const [service, prefixes] of session.templatePrefixes) {
    for (const prefix of prefixes) if (uri.startsWith(prefix) && prefix.length > (best?.length ?? 0)) best = { service, length: prefix.length };
  }
  return best?.service;
}

async function readResource(ctx: McpContext, session: DownstreamSession, uri: string, extra: Extra): Promise<ReadResourceResult> {
  let service = ownerOf(session, uri);
  if (service === undefined) {
    await Promise.all([listResources(ctx, session, extra), listTemplates(ctx, session, extra)]);
    service = ownerOf(session, uri);
  }
  if (service === undefined) {
    // With one resource service there is only one place to ask.
    const candidates = servicesWith(ctx, 'resources').filter((s) => ctx.capabilities.get(s)?.resources !== undefined);
    if (candidates.length === 1) service = candidates[0];
  }
  if (service === undefined) throw new McpError(RESOURCE_NOT_FOUND, `Resource not found: ${uri}`, { uri });
  const progress = relayProgress(extra);
  const onprogress = progress.onprogress;
  const result = await onSessionServer(ctx, session, service, { signal: extra.signal, ...(onprogress ? { onprogress } : {}) }, (server, opts) =>
    server.readResource(uri, opts),
  );
  await progress.settled();
  return result;
}

/** Registers the resource requests on a session's server. */
export function registerResources(server: Server, session: DownstreamSession, ctx: McpContext): void {
  server.setRequestHandler(ListResourcesRequestSchema, (_request, extra) =>
    session.during(async () => ({ resources: await listResources(ctx, session, extra) })),
  );
  server.setRequestHandler(ListResourceTemplatesRequestSchema, (_request, extra) =>
    session.during(async () => ({ resourceTemplates: await listTemplates(ctx, session, extra) })),
  );
  server.setRequestHandler(ReadResourceRequestSchema, (request, extra) => session.during(() => readResource(ctx, session, request.params.uri, extra)));
}
