/** /mcp at the HTTP level: auth, session ids, wrong requests (gateway error shape), rate limits, disabled. */
import { describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../../../gateway/index.js';
import { AUTH, testConfig, TODO_SERVER, type TestGateway } from '../helpers.js';
import { mcpTestBed } from './helpers.js';

const todo = { command: ['node', TODO_SERVER], description: 'Todo list' };
const BASIC = { authorization: `Basic ${Buffer.from('admin:secret').toString('base64')}` };
const STREAMABLE = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
const initialize = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
};

let gw: TestGateway | undefined;
const bed = mcpTestBed();

const post = (body: unknown, headers: Record<string, string> = {}): Promise<Response> =>
  fetch(`${gw!.url}/mcp`, { method: 'POST', headers: { ...AUTH, ...STREAMABLE, ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('/mcp over HTTP', () => {
  it('opens a session with an unguessable id behind the same auth, and answers mistakes in the gateway error shape', async () => {
    gw = await bed.start(testConfig({ todo }));
    const unauthenticated = await fetch(`${gw.url}/mcp`, { method: 'POST', headers: STREAMABLE, body: JSON.stringify(initialize) });
    expect(unauthenticated.status).toBe(401);
    expect(unauthenticated.headers.get('www-authenticate')).toMatch(/Bearer/);

    const opened = await post(initialize);
    expect(opened.status).toBe(200);
    const id = opened.headers.get('mcp-session-id') ?? '';
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/); // 256 random bits, base64url
    await opened.body?.cancel();
    const other = await post(initialize);
    expect(other.headers.get('mcp-session-id')).not.toBe(id);
    await other.body?.cancel();

    const list = { jsonrpc: '2.0', id: 2, method: 'tools/list' };
    expect(await (await post(list)).json()).toEqual({
      error: expect.stringMatching(/Mcp-Session-Id header is required/),
      code: 'invalid_request',
      field: 'Mcp-Session-Id',
    });
    const unknown = await post(list, { 'mcp-session-id': 'not-a-session' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'unknown_mcp_session', field: 'Mcp-Session-Id' });
    // A session belongs to the credential that opened it.
    expect((await post(list, { ...BASIC, 'mcp-session-id': id })).status).toBe(404);
    expect((await post(list, { 'mcp-session-id': id, 'mcp-protocol-version': '2025-11-25' })).status).toBe(200);

    expect((await post('{"jsonrpc":', { 'mcp-session-id': id })).status).toBe(400);
    const text = await post('hello', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    expect(await text.json()).toMatchObject({ code: 'unsupported_media_type' });
    const put = await fetch(`${gw.url}/mcp`, { method: 'PUT', headers: AUTH });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, POST, DELETE');
    expect((await fetch(`${gw.url}/mcp`, { headers: AUTH })).status).toBe(400);
    // DNS rebinding: a page from another origin is refused even with valid credentials.
    const foreign = await post(list, { 'mcp-session-id': id, origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ code: 'forbidden_origin' });
    expect((await post(list, { 'mcp-session-id': id, origin: gw.url, 'mcp-protocol-version': '2025-11-25' })).status).toBe(200);

    const deleted = await fetch(`${gw.url}/mcp`, { method: 'DELETE', headers: { ...AUTH, 'mcp-session-id': id } });
    expect(deleted.status).toBe(200);
    expect((await post(list, { 'mcp-session-id': id })).status).toBe(404);
  });

  it('counts tools/call against call_limit per MCP session', async () => {
    const raw = testConfig({ todo });
    (raw.rate_limiting as Record<string, unknown>).call_limit = '2 per minute';
    gw = await bed.start(raw);
    const a = await bed.open(gw);
    for (let i = 0; i < 2; i++) await a.client.callTool({ name: 'todo_list_todos', arguments: {} });
    await expect(a.client.callTool({ name: 'todo_list_todos', arguments: {} })).rejects.toThrow(/Rate limit exceeded \(2 per minute\)/);
    // Listing is not a call; another session has its own budget.
    expect((await a.client.listTools()).tools.length).toBeGreaterThan(0);
    const b = await bed.open(gw);
    await expect(b.client.callTool({ name: 'todo_list_todos', arguments: {} })).resolves.toBeTruthy();
  });

  it('is off with mcp.enabled false, and names tools with mcp.tool_separator', async () => {
    gw = await bed.start(testConfig({ todo }, { mcp: { enabled: false } }));
    const off = await post(initialize);
    expect(off.status).toBe(404);
    expect(await off.json()).toMatchObject({ code: 'not_found' });
    await gw.close();

    gw = await bed.start(testConfig({ todo }, { mcp: { tool_separator: '.' } }));
    const c = await bed.open(gw);
    expect((await c.client.listTools()).tools[0]?.name).toBe('todo.add_todo');
    expect(() => parseGatewayConfig(testConfig({ todo }, { mcp: { tool_separator: '/' } }), { env: {} })).toThrow(/mcp\.tool_separator/);
  });
});
