/** `X-MCP-Session-Id`: the session id where a balancer can hash on it, accepted alongside the body and the path. */
import { afterEach, describe, expect, it } from 'vitest';
import { AUTH, fixtureService, startGateway, testConfig, type TestGateway } from '../helpers.js';

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(gw!.url + path, { method: 'POST', headers: { ...AUTH, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

describe('X-MCP-Session-Id', () => {
  it('names the session of a call whose body has no session_id, and agrees with one that has', async () => {
    gw = await startGateway(testConfig({ fx: fixtureService() }));
    const byHeader = await post('/services/fx/call', { tool: 'echo', arguments: { text: 'a' } }, { 'x-mcp-session-id': 'hdr-1' });
    expect(byHeader.status).toBe(200);
    expect(((await byHeader.json()) as { session_id: string }).session_id).toBe('hdr-1');
    const both = await post('/services/fx/call', { tool: 'echo', arguments: { text: 'b' }, session_id: 'hdr-1' }, { 'x-mcp-session-id': 'hdr-1' });
    expect(both.status).toBe(200);
    const rows = ((await (await gw.get('/sessions')).json()) as { sessions: Array<{ session_id: string }> }).sessions;
    expect(rows.map((r) => r.session_id)).toEqual(['hdr-1']);
  });

  it('refuses a header that differs from the body, the path or is sent twice: 400 naming session_id', async () => {
    gw = await startGateway(testConfig({ fx: fixtureService() }));
    const call = await post('/services/fx/call', { tool: 'echo', session_id: 'body-id' }, { 'x-mcp-session-id': 'other-id' });
    expect(call.status).toBe(400);
    expect(await call.json()).toMatchObject({ code: 'invalid_request', field: 'session_id', error: expect.stringContaining('X-MCP-Session-Id') });
    const warm = await post('/sessions/path-id/warm', {}, { 'x-mcp-session-id': 'other-id' });
    expect(warm.status).toBe(400);
    expect(await warm.json()).toMatchObject({ field: 'session_id' });
    const del = await fetch(`${gw.url}/sessions/path-id`, { method: 'DELETE', headers: { ...AUTH, 'x-mcp-session-id': 'other-id' } });
    expect(del.status).toBe(400);
    expect(await del.json()).toMatchObject({ field: 'session_id' });
    const twice = await fetch(`${gw.url}/services/fx/call`, {
      method: 'POST',
      headers: [
        ['authorization', AUTH.authorization],
        ['content-type', 'application/json'],
        ['x-mcp-session-id', 'a'],
        ['x-mcp-session-id', 'b'],
      ],
      body: JSON.stringify({ tool: 'echo' }),
    });
    expect(twice.status).toBe(400);
    // Nothing was started for any of them.
    expect(((await (await gw.get('/sessions')).json()) as { sessions: unknown[] }).sessions).toEqual([]);
  });

  it('a bad header value is refused like a bad body field', async () => {
    gw = await startGateway(testConfig({ fx: fixtureService() }));
    const res = await post('/services/fx/call', { tool: 'echo' }, { 'x-mcp-session-id': 'bad id!' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ field: 'session_id' });
  });
});
