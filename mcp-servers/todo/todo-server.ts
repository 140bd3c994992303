/** The todo MCP server's request handlers on an SDK `Server`, bound to one store and one log function. */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { TodoError, type TodoStore } from './todo-store.js';
import { TODO_TOOLS } from './tools.js';

const ShutdownRequestSchema = z.object({ method: z.literal('shutdown'), params: z.optional(z.object({}).loose()) });

function runTool(store: TodoStore, name: string, args: Record<string, unknown>): string {
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

/** A server answering tools/list, tools/call (on `store`) and shutdown (exits the process). */
export function createTodoServer(store: TodoStore, log: (line: string) => void): Server {
  const server = new Server({ name: 'todo-mcp', version: '1.0.0' }, { capabilities: { tools: {} } });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: TODO_TOOLS }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const { name, arguments: args = {} } = request.params;
    log(`Calling tool: ${name} with ${JSON.stringify(args)}`);
    // A thrown Error becomes the JSON-RPC error {code: -32603, message} the reference server sends.
    const text = runTool(store, name, args);
    return { content: [{ type: 'text', text }] };
  });
  server.setRequestHandler(ShutdownRequestSchema, async () => {
    setImmediate(() => process.exit(0));
    return {};
  });
  return server;
}
