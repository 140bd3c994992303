import { describe, expect, it } from 'vitest';
import { expectGroupGone, testConfig, TODO_SERVER, waitFor, type TestGateway } from '../helpers.js';
import { firstText, mcpServers, mcpTestBed, type McpTestClient } from './helpers.js';

const todo = { command: ['node', TODO_SERVER], description: 'Todo list' };

let gw: TestGateway | undefined;
const bed = mcpTestBed();

const open = (): Promise<McpTestClient> => bed.open(gw!);

describe('/mcp with the todo server (SDK client, Streamable HTTP)', () => {
  it('lists {service}_{tool} tools, keeps state per MCP session, and DELETE leaves no process', async () => {
    gw = await bed.start(testConfig({ todo }));
    const a = await open();
    expect(a.client.getServerVersion()?.name).toBe('mcp-gateway');

    const { tools } = await a.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['todo_add_todo', 'todo_list_todos', 'todo_complete_todo', 'todo_delete_todo', 'todo_clear_todos']);
    const add = tools.find((t) => t.name === 'todo_add_todo');
    expect(add?.description).toBe('Add a new todo item');
    expect(add?.inputSchema).toMatchObject({ type: 'object', required: ['text'], properties: { priority: { enum: ['low', 'medium', 'high'] } } });

    const added = await a.client.callTool({ name: 'todo_add_todo', arguments: { text: 'Buy milk', priority: 'high' } });
    expect(added.isError).toBeFalsy();
    expect(firstText(added)).toBe('Added todo #1: Buy milk (priority: high)');
    expect(firstText(await a.client.callTool({ name: 'todo_list_todos', arguments: {} }))).toBe('Todo List (all):\n○ #1 [high] Buy milk');

    // A second MCP session has its own server, so its own empty list.
    const b = await open();
    expect(firstText(await b.client.callTool({ name: 'todo_list_todos', arguments: {} }))).toBe('No all todos found');
    expect(firstText(await a.client.callTool({ name: 'todo_list_todos', arguments: {} }))).toContain('Buy milk');

    const servers = await mcpServers(gw);
    expect(servers).toHaveLength(2);
    expect(new Set(servers.map((s) => s.session_id)).size).toBe(2);

    // A tool's own failure reaches the client as an isError result.
    const failed = await a.client.callTool({ name: 'todo_add_todo', arguments: {} });
    expect(failed.isError).toBe(true);
    expect(firstText(failed)).toBe('Text is required');

    // Ending session A (DELETE /mcp) ends its server and only its server.
    const before = await mcpServers(gw);
    const ids = new Set(before.map((s) => s.session_id));
    await a.end();
    await waitFor(async () => (await mcpServers(gw!)).length === 1, 'session A servers to be closed');
    const [left] = await mcpServers(gw);
    const gone = before.find((s) => s.session_id !== left?.session_id);
    await expectGroupGone(gone!.pid);
    expect(ids.has(left!.session_id)).toBe(true);
    expect(firstText(await b.client.callTool({ name: 'todo_list_todos', arguments: {} }))).toBe('No all todos found');
  });
});
