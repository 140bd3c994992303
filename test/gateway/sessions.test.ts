import { afterEach, describe, expect, it } from 'vitest';
import { createUpstream, type UpstreamFactory } from '../../gateway/upstream/create-upstream.js';
import { expectGroupGone, fixtureService, groupMembers, processExists, startGateway, testConfig, waitFor, type TestGateway } from './helpers.js';

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

interface CallAnswer {
  result: string;
  is_error: boolean;
  session_reset?: boolean;
  structured_content?: unknown;
  truncated?: boolean;
  code?: string;
}

/** An upstream factory that counts the MCP servers the gateway starts through it. */
function countingUpstreams(): { factory: UpstreamFactory; started: () => number } {
  let started = 0;
  const factory: UpstreamFactory = (...args) => {
    started++;
    return createUpstream(...args);
  };
  return { factory, started: () => started };
}

async function call(service: string, body: Record<string, unknown>): Promise<{ status: number; json: CallAnswer; headers: Headers }> {
  const res = await gw!.call(service, body);
  return { status: res.status, json: (await res.json()) as CallAnswer, headers: res.headers };
}

describe('session lifecycle', () => {
  it('starts one server when two first calls of a session race (single-flight)', async () => {
    const counting = countingUpstreams();
    gw = await startGateway(testConfig({ fx: fixtureService() }), { upstreamFactory: counting.factory });
    const [a, b] = await Promise.all([call('fx', { tool: 'pid', session_id: 'race' }), call('fx', { tool: 'pid', session_id: 'race' })]);
    expect(a.status).toBe(200);
    expect(a.json.result).toBe(b.json.result);
    expect(counting.started()).toBe(1);
  });

  it('serves GET /tools from the cache: one probe server, none per later listing', async () => {
    const counting = countingUpstreams();
    gw = await startGateway(testConfig({ fx: fixtureService() }), { upstreamFactory: counting.factory });
    const listings = await Promise.all([gw.get('/services/fx/tools'), gw.get('/services/fx/tools')]);
    for (const res of listings) expect(((await res.json()) as { tools: Array<{ name: string }> }).tools.map((t) => t.name)).toContain('echo');
    expect(counting.started()).toBe(1);
    expect((await call('fx', { tool: 'echo', arguments: { text: 'x' }, session_id: 'c1' })).status).toBe(200);
    expect((await gw.get('/services/fx/tools')).status).toBe(200);
    // An unknown tool is refused from the warm cache, before any session is spawned for it.
    expect((await call('fx', { tool: 'missing', session_id: 'c2' })).status).toBe(404);
    expect(counting.started()).toBe(2);
  });

  it('checks max_sessions_per_service before spawning: 429 session_limit with Retry-After', async () => {
    const counting = countingUpstreams();
    gw = await startGateway(testConfig({ fx: fixtureService() }, { session: { max_sessions_per_service: 1 } }), { upstreamFactory: counting.factory });
    expect((await call('fx', { tool: 'counter', session_id: 'one' })).status).toBe(200);
    const full = await call('fx', { tool: 'counter', session_id: 'two' });
    expect(full.status).toBe(429);
    expect(full.json).toMatchObject({ code: 'session_limit' });
    expect(Number(full.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(counting.started()).toBe(1);
    // The existing session keeps working, and a slot frees once it is closed.
    expect((await call('fx', { tool: 'counter', session_id: 'one' })).json.result).toBe('2');
    await gw.del('/sessions/one');
    expect((await call('fx', { tool: 'counter', session_id: 'two' })).status).toBe(200);
  });

  it("closes idle sessions after their timeout (the call's timeout overrides the default)", async () => {
    gw = await startGateway(testConfig({ fx: fixtureService() }, { session: { cleanup_interval: 0.1, default_timeout: 300 } }));
    const short = await call('fx', { tool: 'pid', session_id: 'short', timeout: 0.3 });
    const long = await call('fx', { tool: 'pid', session_id: 'long' });
    const shortPid = Number(short.json.result);
    await expectGroupGone(shortPid);
    const { sessions } = (await (await gw.get('/sessions')).json()) as { sessions: Array<{ session_id: string }> };
    expect(sessions.map((s) => s.session_id)).toEqual(['long']);
    expect(processExists(Number(long.json.result))).toBe(true);
  });

  it('answers 502 when the server dies mid-call; the next call gets a fresh server and session_reset', async () => {
    gw = await startGateway(testConfig({ fx: fixtureService() }));
    const first = await call('fx', { tool: 'pid', session_id: 'crashy' });
    await call('fx', { tool: 'counter', session_id: 'crashy' });
    const crashed = await call('fx', { tool: 'crash', session_id: 'crashy' });
    expect(crashed.status).toBe(502);
    expect(crashed.json.code).toBe('upstream_failed');
    await expectGroupGone(Number(first.json.result));
    const after = await call('fx', { tool: 'counter', session_id: 'crashy' });
    expect(after.status).toBe(200);
    expect(after.json).toMatchObject({ result: '1', session_reset: true });
    const again = await call('fx', { tool: 'counter', session_id: 'crashy' });
    expect(again.json.session_reset).toBeUndefined();
  });

  it('fails fast with 502 upstream_start_failed and the stderr tail when a server dies during start-up', async () => {
    gw = await startGateway(
      testConfig({
        dies: { command: ['node', '-e', 'console.error("boom: missing API key"); process.exit(1)'], startup_timeout: 120 },
        absent: { command: ['/nonexistent/mcp-server'], sandbox: { resource_limits: false } },
      }),
    );
    const dies = await call('dies', { tool: 'x', session_id: 'd' });
    expect(dies.status).toBe(502);
    expect(dies.json.code).toBe('upstream_start_failed');
    expect((dies.json as unknown as { error: string }).error).toContain('boom: missing API key');
    const absent = await call('absent', { tool: 'x', session_id: 'd' });
    expect(absent.status).toBe(502);
    expect((absent.json as unknown as { error: string }).error).toMatch(/ENOENT/);
    expect((await (await gw.get('/sessions')).json()) as unknown).toEqual({ sessions: [] });
  });

  it('times out a slow tool with 504 tool_timeout and keeps the session usable', async () => {
    gw = await startGateway(testConfig({ fx: fixtureService({ tool_timeout: 0.5 }) }));
    const slow = await call('fx', { tool: 'sleep', arguments: { ms: 20_000 }, session_id: 'slow' });
    expect(slow.status).toBe(504);
    expect(slow.json.code).toBe('tool_timeout');
    const ok = await call('fx', { tool: 'echo', arguments: { text: 'still here' }, session_id: 'slow' });
    expect(ok.json.result).toBe('still here');
  });

  it('ends the whole process group, grandchildren included, on DELETE', async () => {
    gw = await startGateway(testConfig({ fx: fixtureService() }));
    const leader = Number((await call('fx', { tool: 'pid', session_id: 'tree' })).json.result);
    const grandchild = Number((await call('fx', { tool: 'spawn_child', session_id: 'tree' })).json.result);
    expect(groupMembers(leader).sort()).toEqual([leader, grandchild].sort());
    expect((await gw.del('/sessions/tree')).status).toBe(200);
    await expectGroupGone(leader);
    expect(processExists(grandchild)).toBe(false);
  });

  it('returns isError results that carry structuredContent (SDK outputSchema pitfall avoided)', async () => {
    gw = await startGateway(testConfig({ fx: fixtureService() }));
    const res = await call('fx', { tool: 'structured_error', session_id: 'se' });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ is_error: true, result: 'it failed', structured_content: { reason: 'nope' } });
  });

  it('caps large results with a visible marker', async () => {
    gw = await startGateway(testConfig({ fx: fixtureService({ max_result_bytes: 1000 }) }));
    const res = await call('fx', { tool: 'big', arguments: { bytes: 50_000 }, session_id: 'big' });
    expect(res.json.truncated).toBe(true);
    expect(res.json.result).toMatch(/^x{1000}\n\[truncated: showed 1000 of 50000 bytes\]$/);
  });

  it('refuses new calls with 503 while shutting down and leaves no process behind', async () => {
    gw = await startGateway(testConfig({ fx: fixtureService() }));
    const pids = await Promise.all(['a', 'b', 'c'].map(async (id) => Number((await call('fx', { tool: 'pid', session_id: id })).json.result)));
    const closing = gw.close();
    const late = await call('fx', { tool: 'pid', session_id: 'late' }).catch(() => undefined);
    if (late) expect(late.status).toBe(503);
    await closing;
    gw = undefined;
    for (const pid of pids) await expectGroupGone(pid);
    await waitFor(() => pids.every((pid) => !processExists(pid)), 'all servers gone');
  });
});
