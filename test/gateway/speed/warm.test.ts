import { afterEach, describe, expect, it } from 'vitest';
import { createUpstream, type UpstreamFactory } from '../../../gateway/upstream/create-upstream.js';
import { startGateway, testConfig, waitFor, type TestGateway } from '../helpers.js';
import { dynamicService, metric, post, toolsFile } from './helpers.js';

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

interface SessionRow {
  session_id: string;
  service: string;
  pid?: number;
  state: 'queued' | 'starting' | 'ready';
  expires_at: string;
  last_used_at: string;
}

async function sessions(): Promise<SessionRow[]> {
  return ((await (await gw!.get('/sessions')).json()) as { sessions: SessionRow[] }).sessions;
}

async function expectError(res: Response, status: number, code: string, field?: string): Promise<void> {
  const body = (await res.json()) as { code: string; field?: string; error: string };
  expect({ status: res.status, code: body.code, field: body.field }).toEqual({ status, code, field });
  expect(body.error).toEqual(expect.any(String));
}

const twoServices = (): Record<string, unknown> => {
  const file = toolsFile(['alpha']);
  return { dyn: dynamicService(file.path), other: dynamicService(file.path), off: dynamicService(file.path, { enabled: false }) };
};

describe('POST /sessions/:id/warm', () => {
  it('starts every enabled service by default (202), and the first call reuses the warmed server', async () => {
    gw = await startGateway(testConfig(twoServices()));
    const res = await post(gw, '/sessions/call-1/warm');
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ session_id: 'call-1', warming: ['dyn', 'other'] });
    // Answered before the servers are up: at first they show as queued or starting (or already ready on a fast machine).
    expect((await sessions()).map((s) => s.state).every((st) => st === 'queued' || st === 'starting' || st === 'ready')).toBe(true);
    const rows = await waitFor(async () => {
      const list = await sessions();
      return list.length === 2 && list.every((s) => s.state === 'ready' && s.pid !== undefined) ? list : undefined;
    }, 'both warmed servers');
    const warmedPid = rows.find((s) => s.service === 'dyn')?.pid;
    const answer = (await (await gw.call('dyn', { tool: 'pid', session_id: 'call-1' })).json()) as { result: string };
    expect(Number(answer.result)).toBe(warmedPid);
    expect(await metric(gw, 'mcp_gateway_spawns_total', { purpose: 'session' })).toBe(2);
  });

  it('a call racing its warm-up joins it (single-flight): one server, not two', async () => {
    let spawned = 0;
    const counting: UpstreamFactory = (...args) => {
      spawned++;
      return createUpstream(...args);
    };
    gw = await startGateway(testConfig(twoServices()), { upstreamFactory: counting });
    const [warm, call] = await Promise.all([post(gw, '/sessions/race/warm', { services: ['dyn'] }), gw.call('dyn', { tool: 'pid', session_id: 'race' })]);
    expect(warm.status).toBe(202);
    expect(call.status).toBe(200);
    const pid = Number(((await call.json()) as { result: string }).result);
    expect((await sessions()).map((s) => s.pid)).toEqual([pid]);
    expect(spawned).toBe(1);
    // Warming a live session again is a no-op that still answers 202.
    expect(await (await post(gw, '/sessions/race/warm', { services: ['dyn'] })).json()).toEqual({ session_id: 'race', warming: ['dyn'] });
    expect(spawned).toBe(1);
  });

  it("applies timeout as the sessions' idle timeout", async () => {
    gw = await startGateway(testConfig(twoServices()));
    expect((await post(gw, '/sessions/t/warm', { services: ['dyn'], timeout: 5000 })).status).toBe(202);
    const [row] = await sessions();
    const idleMs = Date.parse(row!.expires_at) - Date.parse(row!.last_used_at);
    expect(idleMs).toBe(5_000_000);
  });

  it('validates like the other routes', async () => {
    gw = await startGateway(testConfig(twoServices()));
    await expectError(await post(gw, '/sessions/bad id/warm'), 400, 'invalid_request', 'session_id');
    await expectError(await post(gw, '/sessions/s/warm', { services: 'dyn' }), 400, 'invalid_request', 'services');
    await expectError(await post(gw, '/sessions/s/warm', { services: ['ok', 'b@d'] }), 400, 'invalid_request', 'services.1');
    await expectError(await post(gw, '/sessions/s/warm', { timeout: -1 }), 400, 'invalid_request', 'timeout');
    await expectError(await post(gw, '/sessions/s/warm', [1]), 400, 'invalid_request');
    await expectError(await post(gw, '/sessions/s/warm', '{"services":'), 400, 'invalid_json');
    await expectError(await post(gw, '/sessions/s/warm', 'services=dyn', 'application/x-www-form-urlencoded'), 415, 'unsupported_media_type');
    await expectError(await post(gw, '/sessions/s/warm', { services: ['dyn', 'ghost'] }), 404, 'unknown_service', 'services.1');
    await expectError(await post(gw, '/sessions/s/warm', { services: ['off'] }), 503, 'service_disabled');
    const get = await gw.get('/sessions/s/warm');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const anonymous = await fetch(`${gw.url}/sessions/s/warm`, { method: 'POST' });
    expect(anonymous.status).toBe(401);
    // Nothing was started by any of the rejected requests.
    expect(await sessions()).toEqual([]);
  });

  it('429 session_limit when every requested service is full; partial warm-ups list what was skipped', async () => {
    gw = await startGateway(testConfig(twoServices(), { session: { max_sessions_per_service: 1 } }));
    expect((await post(gw, '/sessions/a/warm', { services: ['dyn'] })).status).toBe(202);
    const full = await post(gw, '/sessions/b/warm', { services: ['dyn'] });
    await expectError(full, 429, 'session_limit');
    expect(Number(full.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    const partial = await post(gw, '/sessions/b/warm');
    expect(partial.status).toBe(202);
    expect(await partial.json()).toEqual({ session_id: 'b', warming: ['other'], skipped: [{ service: 'dyn', code: 'session_limit' }] });
  });
});
