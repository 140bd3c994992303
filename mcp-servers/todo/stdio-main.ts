/** Serves one todo list over stdio until stdin closes. Shared by the plain entry and the startup-snapshot entry. */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { TodoStore } from './todo-store.js';
import { createTodoServer } from './todo-server.js';

const log = (line: string): void => {
  process.stderr.write(`${new Date().toISOString()} DEBUG todo-mcp: ${line}\n`);
};

export async function serveStdio(): Promise<void> {
  const server = createTodoServer(new TodoStore(), log);
  const transport = new StdioServerTransport();
  transport.onclose = () => process.exit(0);
  process.stdin.on('end', () => process.exit(0));
  await server.connect(transport);
  log('todo-mcp ready on stdio');
}
