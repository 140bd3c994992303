/** The SDK server of one downstream MCP session, with the gateway's tools, prompts and resources. */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { McpContext } from './context.js';
import type { DownstreamSession } from './downstream-session.js';
import { registerPrompts } from './prompts.js';
import { registerResources } from './resources.js';
import { registerTools } from './tools.js';

/** Name and version the gateway gives in initialize. */
export const GATEWAY_SERVER_INFO = { name: 'mcp-gateway', version: '0.1.0' };

export function createMcpServer(ctx: McpContext, session: DownstreamSession): Server {
  const services = ctx.catalog.enabledNames();
  const server = new Server(GATEWAY_SERVER_INFO, {
    capabilities: { tools: { listChanged: true }, prompts: { listChanged: true }, resources: { listChanged: true } },
    instructions:
      `Tools of the services ${services.join(', ') || '(none)'}, named {service}${ctx.separator}{tool}. ` +
      'Each MCP session has its own server per service, so state (a todo list, a browser page) is kept for the session.',
  });
  registerTools(server, session, ctx);
  registerPrompts(server, session, ctx);
  registerResources(server, session, ctx);
  return server;
}
