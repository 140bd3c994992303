/**
 * The todo server started from its V8 startup snapshot (`node --snapshot-blob dist/todo-server.blob`) is the
 * same server: same tools, a fresh empty store per process (the warm-up's scratch store is not in it), and it
 * runs under the gateway's sandbox like the plain bundle.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { startGateway, testConfig, type TestGateway } from '../gateway/helpers.js';
import { TODO_SERVER, TODO_SNAPSHOT } from '../helpers/paths.js';

const text = (result: { content: Array<{ type: string; text?: string }> }): string => result.content.map((c) => c.text ?? '').join('\n');

describe('todo server from its startup snapshot', () => {
  let client: Client | undefined;
  let gw: TestGateway | undefined;
  afterEach(async () => {
    await client?.close();
    await gw?.close();
    client = undefined;
    gw = undefined;
  });

  it('lists the same tools as the bundle and starts with an empty store', async () => {
    const list = async (args: string[]): Promise<string[]> => {
      const c = new Client({ name: 'snapshot-test', version: '1.0.0' }, { capabilities: {} });
      await c.connect(new StdioClientTransport({ command: process.execPath, args, stderr: 'ignore' }));
      try {
        return (await c.listTools()).tools.map((t) => t.name);
      } finally {
        await c.close();
      }
    };
    expect(await list(['--snapshot-blob', TODO_SNAPSHOT])).toEqual(await list([TODO_SERVER]));

    client = new Client({ name: 'snapshot-test', version: '1.0.0' }, { capabilities: {} });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: ['--snapshot-blob', TODO_SNAPSHOT], stderr: 'ignore' }));
    const call = async (name: string, args: Record<string, unknown> = {}) =>
      text(await client!.request({ method: 'tools/call', params: { name, arguments: args } }, CallToolResultSchema));
    expect(await call('list_todos')).toBe('No all todos found');
    expect(await call('add_todo', { text: 'milk' })).toBe('Added todo #1: milk (priority: medium)');
  });

  it('serves gateway sessions inside the default sandbox, one list per call', async () => {
    gw = await startGateway(testConfig({ todo: { command: ['node', '--snapshot-blob', TODO_SNAPSHOT] } }));
    const call = async (session: string, tool: string, args: Record<string, unknown> = {}): Promise<string> => {
      const res = await gw!.call('todo', { tool, arguments: args, session_id: session });
      expect(res.status).toBe(200);
      return ((await res.json()) as { result: string }).result;
    };
    expect(await call('a', 'add_todo', { text: 'only in a' })).toBe('Added todo #1: only in a (priority: medium)');
    expect(await call('b', 'list_todos')).toBe('No all todos found');
    expect(await call('a', 'list_todos')).toContain('only in a');
  });
});
