/**
 * The todo MCP server: stdio, one todo list per process. Same tools and result strings as the
 * reference server; failures are JSON-RPC errors (-32603), never isError results.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { TodoStore } from './todo-store.js';
import { createTodoServer } from './todo-server.js';
import { warmUp } from './warm-up.js';

const log = (line: string): void => {
  process.stderr.write(`${new Date().toISOString()} DEBUG todo-mcp: ${line}\n`);
};

// Before stdin is read, so that the first real call does not pay for compiling the call path.
await warmUp();

const server = createTodoServer(new TodoStore(), log);
const transport = new StdioServerTransport();
transport.onclose = () => process.exit(0);
process.stdin.on('end', () => process.exit(0));
await server.connect(transport);
log('todo-mcp ready on stdio');
