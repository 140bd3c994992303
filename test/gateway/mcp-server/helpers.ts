/** MCP clients (the SDK's own, over Streamable HTTP) against a test gateway's `/mcp`. */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterEach } from 'vitest';
import type { GatewayOptions } from '../../../gateway/index.js';
import { AUTH, startGateway, type TestGateway } from '../helpers.js';

/** A connected SDK client and its transport (for the session id and terminateSession). */
export interface McpTestClient {
  client: Client;
  transport: StreamableHTTPClientTransport;
  /** Ends the MCP session with DELETE /mcp, then closes the client. */
  end(): Promise<void>;
}

/** Connects an SDK client to `gw`'s /mcp (initialize + initialized) with the test bearer token. */
export async function connectMcp(gw: TestGateway, headers: Record<string, string> = AUTH, name = 'vitest-client'): Promise<McpTestClient> {
  const transport = new StreamableHTTPClientTransport(new URL(`${gw.url}/mcp`), { requestInit: { headers } });
  const client = new Client({ name, version: '1.0.0' });
  await client.connect(transport);
  return {
    client,
    transport,
    end: async () => {
      await transport.terminateSession();
      await client.close();
    },
  };
}

/** The text of a tool result's first block. */
export function firstText(result: unknown): string {
  const block = (result as { content: Array<{ type: string; text?: string }> }).content[0];
  if (block?.type !== 'text' || block.text === undefined) throw new Error(`expected a text block first, got ${JSON.stringify(result)}`);
  return block.text;
}

/** The live servers GET /sessions shows whose session id is an MCP session's (`mcp:` prefix). */
export async function mcpServers(gw: TestGateway): Promise<Array<{ session_id: string; service: string; pid: number }>> {
  const { sessions } = (await (await gw.get('/sessions')).json()) as { sessions: Array<{ session_id: string; service: string; pid: number }> };
  return sessions.filter((s) => s.session_id.startsWith('mcp:'));
}

/** Gateways and MCP clients a test file starts; each test's are closed after it (the afterEach is registered here). */
export interface McpTestBed {
  start(raw: Record<string, unknown>, opts?: GatewayOptions): Promise<TestGateway>;
  open(gw: TestGateway, headers?: Record<string, string>, name?: string): Promise<McpTestClient>;
}

export function mcpTestBed(): McpTestBed {
  const gateways: TestGateway[] = [];
  const clients: McpTestClient[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.client.close().catch(() => undefined);
    for (const gw of gateways.splice(0)) await gw.close();
  });
  return {
    async start(raw, opts) {
      const gw = await startGateway(raw, opts);
      gateways.push(gw);
      return gw;
    },
    async open(gw, headers, name) {
      const c = await connectMcp(gw, headers, name);
      clients.push(c);
      return c;
    },
  };
}
