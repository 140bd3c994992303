/**
 * Start-up warm-up: Node compiles code on first use, and the first tools/call of a fresh server spends about
 * a millisecond compiling the SDK's request validation (zod) and the tool code. That first call is often the
 * caller's first question, so the server pays it before it reads stdin instead: every tool runs once on a
 * throw-away server and store, over an in-memory transport. Nothing is written to stdout or stderr and the
 * real store is untouched.
 */
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { TodoStore } from './todo-store.js';
import { createTodoServer } from './todo-server.js';

/** One call per tool, plus failures (unknown id, unknown tool), so the error paths are compiled too. */
const WARM_UP_CALLS: Array<[string, Record<string, unknown>]> = [
  ['add_todo', { text: 'warm-up', priority: 'low' }],
  ['list_todos', {}],
  ['list_todos', { status: 'pending' }],
  ['complete_todo', { id: 1 }],
  ['delete_todo', { id: 1 }],
  ['delete_todo', { id: 1 }],
  ['clear_todos', {}],
  ['no_such_tool', {}],
];

/** Runs every tool once against a scratch store; resolves when all answers are in. */
export async function warmUp(): Promise<void> {
  const server = createTodoServer(new TodoStore(), () => undefined);
  const [client, end] = InMemoryTransport.createLinkedPair();
  let pending = WARM_UP_CALLS.length;
  const done = new Promise<void>((resolve) => {
    client.onmessage = () => {
      if (--pending === 0) resolve();
    };
  });
  await server.connect(end);
  await client.start();
  for (const [i, [name, args]] of WARM_UP_CALLS.entries()) {
    const request: JSONRPCMessage = { jsonrpc: '2.0', id: i, method: 'tools/call', params: { name, arguments: args } };
    await client.send(request);
  }
  await done;
  await server.close();
}
