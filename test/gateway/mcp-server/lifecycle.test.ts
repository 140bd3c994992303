/** MCP sessions next to call sessions: /services, /status, /metrics; the idle timeout and shutdown end their servers. */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { expectGroupGone, tempDir, testConfig, TODO_SERVER, waitFor, type TestGateway } from '../helpers.js';
import { mcpServers, mcpTestBed } from './helpers.js';

const todo = { command: ['node', TODO_SERVER], description: 'Todo list' };

let gw: TestGateway | undefined;
const bed = mcpTestBed();

const metricsText = async (): Promise<string> => (await gw!.get('/metrics')).text();

describe('MCP session lifecycle', () => {
  it('shows MCP sessions next to call sessions on /services, /status and /metrics', async () => {
    gw = await bed.start(testConfig({ todo }));
    const c = await bed.open(gw, undefined, 'status-client');
    await c.client.callTool({ name: 'todo_add_todo', arguments: { text: 'x' } });
    expect((await gw.call('todo', { tool: 'list_todos', session_id: 'call-1' })).status).toBe(200);

    const services = (await (await gw.get('/services')).json()) as Record<string, { sessions: unknown }>;
    expect(services.todo?.sessions).toEqual({ call: 1, mcp: 1 });

    const [server] = await mcpServers(gw);
    const page = await (await gw.get('/status')).text();
    expect(page).toContain('MCP sessions at /mcp (1)');
    expect(page).toContain('status-client/1.0.0');
    expect(page).toContain(server!.session_id);
    // The Mcp-Session-Id is the client's key to the session: it is never shown.
    expect(page).not.toContain(c.transport.sessionId);

    expect(await metricsText()).toMatch(/^mcp_gateway_mcp_sessions 1$/m);
    expect(await metricsText()).toMatch(/^mcp_gateway_mcp_sessions_opened_total 1$/m);
    await c.end();
    await expectGroupGone(server!.pid);
    expect(await metricsText()).toMatch(/^mcp_gateway_mcp_sessions 0$/m);
    expect(await metricsText()).toMatch(/^mcp_gateway_mcp_sessions_closed_total\{reason="deleted"\} 1$/m);
    expect(((await (await gw.get('/services')).json()) as Record<string, { sessions: unknown }>).todo?.sessions).toEqual({ call: 1, mcp: 0 });
  });

  it('closes an idle MCP session and its servers; the client then gets 404', async () => {
    gw = await bed.start(testConfig({ todo }, { mcp: { session_timeout: 0.5 }, session: { cleanup_interval: 0.2, sandbox_dir: join(tempDir(), 'sandbox') } }));
    const c = await bed.open(gw);
    await c.client.callTool({ name: 'todo_add_todo', arguments: { text: 'x' } });
    const [server] = await mcpServers(gw);
    await waitFor(async () => /^mcp_gateway_mcp_sessions_closed_total\{reason="idle"\} 1$/m.test(await metricsText()), 'the idle session to be closed');
    await expectGroupGone(server!.pid);
    expect(await mcpServers(gw)).toEqual([]);
    await expect(c.client.listTools()).rejects.toThrow(/unknown_mcp_session/);
  });

  it('ends every MCP session and server when the gateway closes', async () => {
    gw = await bed.start(testConfig({ todo }));
    for (let i = 0; i < 2; i++) {
      const c = await bed.open(gw);
      await c.client.callTool({ name: 'todo_list_todos', arguments: {} });
    }
    const servers = await mcpServers(gw);
    expect(servers).toHaveLength(2);
    await gw.close();
    gw = undefined;
    for (const s of servers) await expectGroupGone(s.pid);
  });
});
