/**
 * `session_scope: "shared"`: one real server process serves every call's session, in one sandbox of its own,
 * restarted when it dies, its list_changed followed; the sessions stay per call (listing, limits, logs).
 */
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { processExists, startGateway, testConfig, waitFor, type TestGateway } from './helpers.js';
import { dynamicService, metric, toolsFile } from './speed/helpers.js';

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

const shared = (file: string, extra: Record<string, unknown> = {}): Record<string, unknown> => dynamicService(file, { session_scope: 'shared', ...extra });

async function call(tool: string, sessionId: string): Promise<{ status: number; result: string; code?: string }> {
  const res = await gw!.call('dyn', { tool, arguments: {}, session_id: sessionId });
  const body = (await res.json()) as { result: string; code?: string };
  return { status: res.status, ...body };
}

const pidOf = async (sessionId: string): Promise<number> => Number((await call('pid', sessionId)).result);

function environ(pid: number): Record<string, string> {
  const raw = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
  return Object.fromEntries(raw.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
}

describe('session_scope "shared"', () => {
  it('serves several call sessions from one sandboxed server; each session stays listed, counted and closable on its own', async () => {
    const file = toolsFile(['echo']);
    const raw = testConfig({ dyn: shared(file.path) });
    gw = await startGateway(raw);
    const pids = await Promise.all(['call-a', 'call-b', 'call-c'].map(pidOf));
    expect(new Set(pids).size).toBe(1);
    const pid = pids[0]!;
    expect(await metric(gw, 'mcp_gateway_spawns_total', { service: 'dyn' })).toBe(1);
    expect(await metric(gw, 'mcp_gateway_live_sessions', { service: 'dyn' })).toBe(3);

    const listed = ((await (await gw.get('/sessions')).json()) as { sessions: Array<{ session_id: string; pid?: number; state: string }> }).sessions;
    expect(listed.map((s) => s.session_id).sort()).toEqual(['call-a', 'call-b', 'call-c']);
    expect(listed.every((s) => s.pid === pid && s.state === 'ready')).toBe(true);

    // The sandbox applies once, to the shared server: its own private folder as HOME, a restricted env.
    const env = environ(pid);
    const sandboxDir = (raw.session as { sandbox_dir: string }).sandbox_dir;
    expect(env.HOME).toMatch(new RegExp(`^${sandboxDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/\\d+\\.dyn-shared-`));
    expect(Object.keys(env)).not.toContain('VITEST');

    // Hanging up one call closes its session, not the server the others use.
    expect(((await (await gw.del('/sessions/call-a')).json()) as { closed: number }).closed).toBe(1);
    expect(await pidOf('call-b')).toBe(pid);
    expect(await metric(gw, 'mcp_gateway_live_sessions', { service: 'dyn' })).toBe(2);

    await gw.close();
    gw = undefined;
    await waitFor(() => !processExists(pid), 'the shared server to end with the gateway');
  });

  it('still applies max_sessions_per_service to the call sessions', async () => {
    const file = toolsFile(['echo']);
    gw = await startGateway(testConfig({ dyn: shared(file.path) }, { session: { max_sessions_per_service: 2 } }));
    expect((await call('echo', 's1')).status).toBe(200);
    expect((await call('echo', 's2')).status).toBe(200);
    const third = await call('echo', 's3');
    expect(third.status).toBe(429);
    expect(third.code).toBe('session_limit');
    expect(await metric(gw, 'mcp_gateway_spawns_total', { service: 'dyn' })).toBe(1);
  });

  it('restarts the server when it dies, and the sessions carry on', async () => {
    const file = toolsFile(['echo']);
    gw = await startGateway(testConfig({ dyn: shared(file.path) }));
    const first = await pidOf('s1');
    expect(await pidOf('s2')).toBe(first);
    process.kill(first, 'SIGKILL');
    await waitFor(() => !processExists(first), 'the killed server to be gone');
    let next = first;
    await waitFor(async () => {
      const answer = await call('pid', 's1');
      if (answer.status === 200) next = Number(answer.result);
      return next !== first;
    }, 'a call answered by a fresh server');
    expect(processExists(next)).toBe(true);
    expect(await pidOf('s2')).toBe(next);
    expect(await metric(gw, 'mcp_gateway_spawns_total', { service: 'dyn', purpose: 'shared' })).toBe(2);
  });

  it("follows the shared server's notifications/tools/list_changed", async () => {
    const file = toolsFile(['alpha']);
    gw = await startGateway(testConfig({ dyn: shared(file.path) }));
    expect((await call('alpha', 's1')).status).toBe(200);
    file.set(['beta']);
    expect((await call('notify', 's2')).status).toBe(200);
    await waitFor(async () => {
      const body = (await (await gw!.get('/services/dyn/tools')).json()) as { tools: Array<{ name: string }> };
      return body.tools.some((t) => t.name === 'beta');
    }, 'the re-listed tools');
    expect((await call('beta', 's3')).status).toBe(200);
    expect((await call('alpha', 's3')).status).toBe(404);
  });

  it('logs each call with its own session id', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    const file = toolsFile(['echo']);
    gw = await startGateway(testConfig({ dyn: shared(file.path) }), { logger: pino({ level: 'info' }, sink) });
    await call('echo', 'log-1');
    await call('echo', 'log-2');
    await waitFor(() => lines.filter((l) => l.msg === 'tool call').length === 2, 'two tool-call lines');
    expect(lines.filter((l) => l.msg === 'tool call').map((l) => l.session_id)).toEqual(['log-1', 'log-2']);
    expect(
      lines
        .filter((l) => l.msg === 'session started')
        .map((l) => l.session_id)
        .sort(),
    ).toEqual(['log-1', 'log-2']);
  });

  it('refuses a warm_pool for a shared service, naming the field, and leaves it out of a pool for every service', async () => {
    const file = toolsFile(['echo']);
    const err = await startGateway(testConfig({ dyn: shared(file.path) }, { session: { warm_pool: { dyn: 1 } } })).catch((e: unknown) => e);
    expect((err as { field?: string }).field).toBe('session.warm_pool.dyn');
    gw = await startGateway(testConfig({ dyn: shared(file.path), own: dynamicService(file.path) }, { session: { warm_pool: 1 } }));
    await waitFor(async () => (await metric(gw!, 'mcp_gateway_warm_pool_spares', { service: 'own' })) === 1, 'the per-call service spare');
    expect(await metric(gw, 'mcp_gateway_spawns_total', { service: 'dyn' })).toBe(0);
  });
});
