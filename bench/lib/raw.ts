/** The floor: an SDK Client talking straight to dist/todo-server.js over stdio, no gateway. */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';

/** A connected raw client; `call` is one tools/call round trip. */
/** A connected raw client. */
export interface RawClient {
  call(tool: string, args?: Record<string, unknown>): Promise<unknown>;
  listTools(): Promise<unknown>;
  close(): Promise<void>;
}

export async function rawTodoClient(serverPath: string): Promise<RawClient> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [serverPath], stderr: 'ignore' });
  const client = new Client({ name: 'bench-raw', version: '1.0.0' }, { capabilities: {} });
  await client.connect(transport);
  return {
    // client.request, as the gateway does (no output-schema validation).
    call: (tool, args = {}) => client.request({ method: 'tools/call', params: { name: tool, arguments: args } }, CallToolResultSchema),
    listTools: () => client.listTools(),
    close: () => client.close(),
  };
}
