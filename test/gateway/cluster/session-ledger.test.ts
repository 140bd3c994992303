/** `cluster.redis_uri`: two gateways share which sessions are live, so a session moved to the other one comes back reset. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDIS_SERVER, startRedis, type TestRedis } from '../hardening/redis-server.js';
import { fixtureService, startGateway, testConfig, type TestGateway } from '../helpers.js';

interface Answer {
  result: string;
  session_reset?: boolean;
}

describe.skipIf(REDIS_SERVER === undefined)('session ledger on Redis', () => {
  let redis: TestRedis;
  let a: TestGateway;
  let b: TestGateway;
  beforeAll(async () => {
    redis = await startRedis();
    const config = () => testConfig({ fx: fixtureService() }, { cluster: { redis_uri: redis.url } });
    [a, b] = await Promise.all([startGateway(config()), startGateway(config())]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await redis?.stop();
  });

  const call = async (gw: TestGateway, session: string): Promise<Answer> => {
    const res = await gw.call('fx', { tool: 'echo', arguments: { text: 'x' }, session_id: session });
    expect(res.status).toBe(200);
    return (await res.json()) as Answer;
  };

  it('a session first seen on A and then handed to B is reset on B, never on A', async () => {
    expect((await call(a, 'moved-1')).session_reset).toBeUndefined();
    expect((await call(a, 'moved-1')).session_reset).toBeUndefined();
    expect((await call(b, 'moved-1')).session_reset).toBe(true);
    // Only the first call on the new owner says so.
    expect((await call(b, 'moved-1')).session_reset).toBeUndefined();
  });

  it('a new session is not reset on either, and a hung-up call leaves no mark behind', async () => {
    expect((await call(b, 'fresh-1')).session_reset).toBeUndefined();
    expect((await b.del('/sessions/fresh-1')).status).toBe(200);
    expect((await call(a, 'fresh-1')).session_reset).toBeUndefined();
    await a.del('/sessions/fresh-1');
  });

  it('refuses to start when cluster.redis_uri cannot be reached, naming the field', async () => {
    const config = testConfig({ fx: fixtureService() }, { cluster: { redis_uri: 'redis://127.0.0.1:1' } });
    await expect(startGateway(config)).rejects.toMatchObject({ field: 'cluster.redis_uri' });
  });
});
