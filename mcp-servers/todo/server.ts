/**
 * The todo MCP server: stdio, one todo list per process. Same tools and result strings as the
 * reference server; failures are JSON-RPC errors (-32603), never isError results.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { TodoError, TodoStore } from './todo-store.js';
import { TODO_TOOLS } from './tools.js';

const log = (line: string): void => {
  process.stderr.write(`${new Date().toISOString()} DEBUG todo-mcp: ${line}\n`);
};

const store = new TodoStore();
const server = new Server({ name: 'todo-mcp', version: '1.0.0' }, { capabilities: { tools: {} } });

server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: TODO_TOOLS }));

server.setRequestHandler(CallToolRequestSchema, async (request) => {
  const { name, arguments: args = {} } = request.params;
  log(`Calling tool: ${name} with ${JSON.stringify(args)}`);
  // A thrown Error becomes the JSON-RPC error {code: -32603, message} the reference server sends.
  const text = runTool(name, args);
  return { content: [{ type: 'text', text }] };
});

const ShutdownRequestSchema = z.object({ method: z.literal('shutdown'), params: z.optional(z.object({}).loose()) });
server.setRequestHandler(ShutdownRequestSchema, async () => {
  setImmediate(() => process.exit(0));
  return {};
});

function runTool(name: string, args: Record<string, unknown>): string {
  switch (name) {
    case 'add_todo':
      return store.add(args.text, args.priority);
    case 'list_todos':
      return store.list(args.status);
    case 'complete_todo':
      return store.complete(args.id);
    case 'delete_todo':
      return store.delete(args.id);
    case 'clear_todos':
      return store.clear();
    default:
      throw new TodoError(`Unknown tool: ${name}`);
  }
}

const transport = new StdioServerTransport();
transport.onclose = () => process.exit(0);
process.stdin.on('end', () => process.exit(0));
await server.connect(transport);
log('todo-mcp ready on stdio');
