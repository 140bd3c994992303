/**
 * Rate limits from config: keyed by credential (+ session id for calls), 429 with Retry-After, and with
 * `storage_uri: redis://…` shared by every gateway instance using that Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateway, testConfig, TOKEN, type TestGateway } from '../helpers.js';
import { startRedis, REDIS_SERVER, type TestRedis } from './redis-server.js';
import { tinyService } from './helpers.js';

const basic = { authorization: `Basic ${Buffer.from('admin:secret').toString('base64')}` };
const bearer = { authorization: `Bearer ${TOKEN}` };

function limited(limits: Record<string, unknown>, storage = 'memory://'): Record<string, unknown> {
  const raw = testConfig({ tiny: tinyService() });
  return { ...raw, rate_limiting: { ...(raw.rate_limiting as object), ...limits, storage_uri: storage } };
}

const call = (gw: TestGateway, sessionId: string, headers: Record<string, string> = bearer) =>
  fetch(`${gw.url}/services/tiny/call`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ tool: 'ping', session_id: sessionId }),
  });

describe('memory:// limits', () => {
  it('count calls per credential and session id, answering 429 rate_limited with Retry-After', async () => {
    const gw = await startGateway(limited({ call_limit: '2 per minute' }));
    try {
      expect((await call(gw, 'call-a')).status).toBe(200);
      expect((await call(gw, 'call-a')).status).toBe(200);
      const over = await call(gw, 'call-a');
      expect(over.status).toBe(429);
      expect(await over.json()).toEqual({ error: 'Rate limit exceeded (2 per minute)', code: 'rate_limited' });
      const retry = Number(over.headers.get('retry-after'));
      expect(retry).toBeGreaterThan(0);
      expect(retry).toBeLessThanOrEqual(60);
      // Same IP, other call (session) or other credential: their own budget.
      expect((await call(gw, 'call-b')).status).toBe(200);
      expect((await call(gw, 'call-a', basic)).status).toBe(200);
    } finally {
      await gw.close();
    }
  });

  it('default_limits apply per credential across routes', async () => {
    const gw = await startGateway(limited({ default_limits: ['3 per hour'] }));
    try {
      for (let i = 0; i < 3; i++) expect((await gw.get('/services')).status).toBe(200);
      const over = await gw.get('/sessions');
      expect(over.status).toBe(429);
      expect(over.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await gw.get('/services', basic)).status).toBe(200);
      expect((await gw.get('/health', {})).status).toBe(200);
    } finally {
      await gw.close();
    }
  });
});

// Skipped only when the redis-server binary is absent (Debian: apt-get install redis-server; .ci/run installs it).
describe.skipIf(REDIS_SERVER === undefined)('redis:// limits (a private redis-server; skipped when redis-server is not installed)', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('two gateway instances share one limit', async () => {
    const a = await startGateway(limited({ default_limits: ['4 per minute'], call_limit: '2 per minute' }, redis.url));
    const b = await startGateway(limited({ default_limits: ['4 per minute'], call_limit: '2 per minute' }, redis.url));
    try {
      // Calls: 1 on A, 1 on B, the third (on either) is over the shared per-session limit.
      expect((await call(a, 'shared')).status).toBe(200);
      expect((await call(b, 'shared')).status).toBe(200);
      const over = await call(a, 'shared');
      expect(over.status).toBe(429);
      expect(over.headers.get('retry-after')).toMatch(/^\d+$/);
      expect((await call(b, 'shared')).status).toBe(429);
      // The global limit (4/min per credential) saw those 4 requests from both instances too.
      const global = await b.get('/services');
      expect(global.status).toBe(429);
      expect(await global.json()).toMatchObject({ code: 'rate_limited', error: 'Rate limit exceeded (4 per minute)' });
      expect((await a.get('/services', basic)).status).toBe(200);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('when Redis goes away mid-run, requests pass unlimited instead of failing or hanging', async () => {
    const own = await startRedis();
    const gw = await startGateway(limited({ default_limits: ['1000 per minute'] }, own.url));
    try {
      expect((await gw.get('/services')).status).toBe(200);
      await own.stop();
      const res = await gw.get('/services');
      expect(res.status).toBe(200);
      expect(await res.json()).toHaveProperty('tiny');
    } finally {
      await gw.close();
    }
  });

  it('start-up fails with a clear error naming storage_uri when Redis cannot be reached', async () => {
    const stopped = await startRedis();
    await stopped.stop();
    await expect(startGateway(limited({}, stopped.url))).rejects.toThrow(/rate_limiting\.storage_uri: cannot connect to redis:\/\/127\.0\.0\.1:\d+/);
  });
});
