import { afterEach, describe, expect, it } from 'vitest';
import { createGateway, parseGatewayConfig, type GatewayConfig } from '../../../gateway/index.js';
import { faultService } from '../hardening/helpers.js';
import { expectGroupGone, ROOT, startGateway, testConfig, waitFor, type TestGateway } from '../helpers.js';
import { childPids, DYNAMIC_SERVER, dynamicService, metric, post, toolsFile } from './helpers.js';

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

const spares = (): Promise<number> => metric(gw!, 'mcp_gateway_warm_pool_spares', { service: 'dyn' });
const spawns = (purpose: string): Promise<number> => metric(gw!, 'mcp_gateway_spawns_total', { service: 'dyn', purpose });

async function pidOf(sessionId: string): Promise<number> {
  const res = await gw!.call('dyn', { tool: 'pid', session_id: sessionId });
  expect(res.status).toBe(200);
  return Number(((await res.json()) as { result: string }).result);
}

function poolConfig(pool: unknown, session: Record<string, unknown> = {}): Record<string, unknown> {
  const file = toolsFile(['alpha']);
  const raw = testConfig({ dyn: dynamicService(file.path) });
  return { ...raw, session: { ...(raw.session as object), warm_pool: pool, ...session } };
}

describe('session.warm_pool', () => {
  it('keeps spares ready, hands each to exactly one session, never reuses one, refills in the background', async () => {
    gw = await startGateway(poolConfig(2));
    await waitFor(async () => (await spares()) === 2, 'two ready spares');
    const sparePids = childPids(DYNAMIC_SERVER);
    expect(sparePids).toHaveLength(2);
    // The first spare also filled the tool cache: listing needs no extra server.
    expect(((await (await gw.get('/services/dyn/tools')).json()) as { tools: unknown[] }).tools.length).toBeGreaterThan(0);
    expect(await metric(gw, 'mcp_gateway_spawns_total', { purpose: 'probe' })).toBe(0);

    const first = await pidOf('call-1');
    const second = await pidOf('call-2');
    expect(sparePids).toContain(first);
    expect(sparePids).toContain(second);
    expect(first).not.toBe(second);
    expect(await spawns('session')).toBe(0);
    expect(await metric(gw, 'mcp_gateway_warm_pool_hits_total', { service: 'dyn' })).toBe(2);

    await waitFor(async () => (await spares()) === 2, 'the pool to refill');
    expect(await spawns('pool')).toBe(4);
    // A closed session's server is ended, not returned to the pool.
    expect((await gw.del('/sessions/call-1')).status).toBe(200);
    await expectGroupGone(first);
    const third = await pidOf('call-3');
    expect([first, second]).not.toContain(third);
  });

  it('a warm-up takes a spare too', async () => {
    gw = await startGateway(poolConfig({ dyn: 1 }));
    await waitFor(async () => (await spares()) === 1, 'a ready spare');
    const [spare] = childPids(DYNAMIC_SERVER);
    expect((await post(gw, '/sessions/w/warm')).status).toBe(202);
    expect(await pidOf('w')).toBe(spare);
  });

  it('counts spares against max_sessions_per_service: sessions + spares never exceed it', async () => {
    gw = await startGateway(poolConfig(2, { max_sessions_per_service: 2 }));
    await waitFor(async () => (await spares()) === 2, 'two ready spares');
    await pidOf('a');
    await pidOf('b');
    // Both slots are sessions now: no spare may start, and a third session is refused before spawning.
    expect(await spares()).toBe(0);
    const third = await gw.call('dyn', { tool: 'pid', session_id: 'c' });
    expect(third.status).toBe(429);
    expect(childPids(DYNAMIC_SERVER)).toHaveLength(2);
    // Closing one frees a slot, which the pool fills again.
    await gw.del('/sessions/a');
    await waitFor(async () => (await spares()) === 1, 'the freed slot refilled');
    expect(await spares()).toBe(1);
  });

  it('closes every spare on shutdown', async () => {
    gw = await startGateway(poolConfig(3));
    await waitFor(async () => (await spares()) === 3, 'three ready spares');
    const pids = childPids(DYNAMIC_SERVER);
    expect(pids).toHaveLength(3);
    await gw.close();
    gw = undefined;
    for (const pid of pids) await expectGroupGone(pid);
  });

  it('backs off instead of spinning when spares cannot start', async () => {
    const raw = testConfig({ dyn: { command: ['node', '-e', 'process.exit(7)'], sandbox: { enabled: false } } });
    gw = await startGateway({ ...raw, session: { ...(raw.session as object), warm_pool: 1 } });
    await waitFor(async () => (await metric(gw!, 'mcp_gateway_spawn_failures_total', { purpose: 'pool' })) >= 2, 'a retried spare');
    // Retries wait 0.5 s, 1 s, 2 s, ...: a crash loop stays a handful of attempts.
    expect(await metric(gw, 'mcp_gateway_spawn_failures_total', { purpose: 'pool' })).toBeLessThan(5);
  });

  it('never counts a spare that died during its warm-up as ready', async () => {
    const raw = testConfig({ dyn: faultService({ env: { FAULT_MODE: 'exit-on-list' }, sandbox: { enabled: false } }) });
    gw = await startGateway({ ...raw, session: { ...(raw.session as object), warm_pool: 1 } });
    // Each spare answers initialize, then dies at its first listing: the pool starts another instead of keeping it.
    await waitFor(async () => (await spawns('pool')) >= 2, 'a replacement for the dead spare');
    expect(await spares()).toBe(0);
  });

  it('rejects a warm_pool entry for an unknown service, naming the field', async () => {
    const config: GatewayConfig = parseGatewayConfig(poolConfig({ nope: 1 }), { baseDir: ROOT, env: {} });
    await expect(createGateway(config)).rejects.toMatchObject({ name: 'ConfigError', field: 'session.warm_pool.nope' });
  });
});
