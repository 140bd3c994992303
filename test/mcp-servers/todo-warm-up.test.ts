/**
 * The todo server warms its call path at start-up on a throw-away store: the real store starts empty with
 * ids from 1, and the warm-up writes nothing to stdout or stderr.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';
import { warmUp } from '../../mcp-servers/todo/warm-up.js';
import { waitFor } from '../helpers/net.js';
import { TODO_SERVER } from '../helpers/paths.js';

const text = (result: { content: Array<{ type: string; text?: string }> }): string => result.content.map((c) => c.text ?? '').join('\n');

describe('todo server warm-up', () => {
  let client: Client | undefined;
  afterEach(async () => {
    await client?.close();
    client = undefined;
  });

  it('resolves once every warm-up call has been answered', async () => {
    await expect(warmUp()).resolves.toBeUndefined();
  });

  it('leaves the real store empty and prints nothing of its own', async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: [TODO_SERVER], stderr: 'pipe' });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    client = new Client({ name: 'warm-up-test', version: '1.0.0' }, { capabilities: {} });
    await client.connect(transport);
    const call = async (name: string, args: Record<string, unknown> = {}) =>
      text(await client!.request({ method: 'tools/call', params: { name, arguments: args } }, CallToolResultSchema));

    expect(await call('list_todos')).toBe('No all todos found');
    expect(await call('add_todo', { text: 'buy milk' })).toBe('Added todo #1: buy milk (priority: medium)');
    expect(await call('list_todos')).toBe('Todo List (all):\n○ #1 [medium] buy milk');

    // stderr is a separate pipe: its lines may arrive after the answers.
    await waitFor(() => (stderr.match(/Calling tool/g)?.length ?? 0) >= 3, 'three call lines on stderr');
    const lines = stderr.trim().split('\n');
    expect(lines[0]).toMatch(/DEBUG todo-mcp: todo-mcp ready on stdio$/);
    expect(lines.slice(1).map((l) => l.replace(/^\S+ /, ''))).toEqual([
      'DEBUG todo-mcp: Calling tool: list_todos with {}',
      'DEBUG todo-mcp: Calling tool: add_todo with {"text":"buy milk"}',
      'DEBUG todo-mcp: Calling tool: list_todos with {}',
    ]);
    expect(stderr).not.toContain('warm-up');
  });
});
