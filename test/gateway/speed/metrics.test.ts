import { pino } from 'pino';
import { Pool } from 'undici';
import { GatewayClient } from '../../../skills/mcp_gateway/gateway-client.js';
import { afterEach, describe, expect, it } from 'vitest';
import { AUTH, startGateway, testConfig, TOKEN, type TestGateway } from '../helpers.js';
import { dynamicService, metricValue, scrape, toolsFile } from './helpers.js';

const open: TestGateway[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((g) => g.close()));
});

async function gateway(extra: Record<string, unknown> = {}): Promise<TestGateway> {
  const file = toolsFile(['alpha']);
  const gw = await startGateway(testConfig({ dyn: dynamicService(file.path) }, extra));
  open.push(gw);
  return gw;
}

describe('GET /metrics', () => {
  it('needs auth (bearer or basic) and speaks the Prometheus text format', async () => {
    const gw = await gateway();
    const anonymous = await fetch(`${gw.url}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/Bearer/);
    const basic = await fetch(`${gw.url}/metrics`, { headers: { authorization: `Basic ${Buffer.from('admin:secret').toString('base64')}` } });
    expect(basic.status).toBe(200);
    const res = await gw.get('/metrics', AUTH);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    for (const name of ['mcp_gateway_call_duration_seconds', 'mcp_gateway_live_sessions', 'mcp_gateway_spawns_total', 'mcp_gateway_tool_cache_hits_total']) {
      expect(text).toContain(`# TYPE ${name}`);
    }
  });

  it('counts calls per service/tool with ms-to-s buckets, failures by kind, live sessions and spawns', async () => {
    const gw = await gateway();
    for (let i = 0; i < 3; i++) expect((await gw.call('dyn', { tool: 'alpha', session_id: 's1' })).status).toBe(200);
    expect((await gw.call('dyn', { tool: 'fail', session_id: 's1' })).status).toBe(200);
    expect((await gw.call('dyn', { tool: 'pid', session_id: 's2' })).status).toBe(200);
    expect((await gw.call('dyn', { tool: 'no_such_tool', session_id: 's1' })).status).toBe(404);
    const text = await scrape(gw);
    expect(metricValue(text, 'mcp_gateway_call_duration_seconds_count', { service: 'dyn', tool: 'alpha' })).toBe(3);
    expect(metricValue(text, 'mcp_gateway_call_duration_seconds_count', { service: 'dyn', tool: 'fail', outcome: 'error' })).toBe(1);
    expect(metricValue(text, 'mcp_gateway_call_duration_seconds_bucket', { tool: 'alpha', le: '0.0005' })).toBeGreaterThanOrEqual(0);
    expect(text).toMatch(/mcp_gateway_call_duration_seconds_bucket\{le="0\.001",service="dyn",tool="alpha",outcome="ok"\}/);
    expect(metricValue(text, 'mcp_gateway_call_failures_total', { service: 'dyn', kind: 'tool_error' })).toBe(1);
    expect(metricValue(text, 'mcp_gateway_call_failures_total', { service: 'dyn', kind: 'unknown_tool' })).toBe(1);
    // A made-up tool name never becomes a label value.
    expect(text).not.toContain('no_such_tool');
    expect(metricValue(text, 'mcp_gateway_live_sessions', { service: 'dyn' })).toBe(2);
    expect(metricValue(text, 'mcp_gateway_spawns_total', { service: 'dyn', purpose: 'session' })).toBe(2);
    expect(metricValue(text, 'mcp_gateway_resident_memory_bytes')).toBeGreaterThan(1024 * 1024);
    await gw.del('/sessions/s1');
    expect(metricValue(await scrape(gw), 'mcp_gateway_live_sessions', { service: 'dyn' })).toBe(1);
  });

  it('gives every gateway its own registry: two in one process do not clash or mix', async () => {
    const a = await gateway();
    const b = await gateway();
    expect((await a.call('dyn', { tool: 'alpha', session_id: 'x' })).status).toBe(200);
    expect(metricValue(await scrape(a), 'mcp_gateway_call_duration_seconds_count', { tool: 'alpha' })).toBe(1);
    expect(metricValue(await scrape(b), 'mcp_gateway_call_duration_seconds_count', { tool: 'alpha' })).toBe(0);
  });

  it('is not counted against the API rate limits (a scraper polls all day)', async () => {
    const gw = await gateway({ rate_limiting: { default_limits: ['2 per hour'] } });
    for (let i = 0; i < 5; i++) expect((await gw.get('/metrics', AUTH)).status).toBe(200);
    for (let i = 0; i < 2; i++) expect((await gw.get('/services', AUTH)).status).toBe(200);
    expect((await gw.get('/services', AUTH)).status).toBe(429);
  });
});

describe('keep-alive between agent and gateway', () => {
  it('advertises a long keep-alive and serves many calls over one pooled connection', async () => {
    const gw = await gateway();
    const { server } = await gw.gateway.listen(0, '127.0.0.1');
    let connections = 0;
    server.on('connection', () => connections++);
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const pool = new Pool(url, { connections: 1 });
    try {
      for (let i = 0; i < 20; i++) {
        const res = await pool.request({
          method: 'POST',
          path: '/services/dyn/call',
          headers: { ...AUTH, 'content-type': 'application/json' },
          body: JSON.stringify({ tool: 'alpha', session_id: 'ka' }),
        });
        expect(res.statusCode).toBe(200);
        expect(res.headers['keep-alive']).toBe('timeout=65');
        await res.body.text();
      }
    } finally {
      await pool.close();
    }
    expect(connections).toBe(1);
  });

  it("the mcp_gateway skill's client reuses its keep-alive connections (13 requests, at most 2 sockets)", async () => {
    const gw = await gateway();
    const { server } = await gw.gateway.listen(0, '127.0.0.1');
    let connections = 0;
    server.on('connection', () => connections++);
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const client = new GatewayClient({
      url,
      headers: { authorization: `Bearer ${TOKEN}` },
      timeoutMs: 10_000,
      retries: 0,
      verifyTls: true,
      logger: pino({ level: 'silent' }),
    });
    try {
      expect((await client.listTools('dyn')).map((t) => t.name)).toContain('alpha');
      expect(await client.warmSession('ka-skill', ['dyn'], 60)).toBe(true);
      for (let i = 0; i < 10; i++) {
        const answer = await client.callTool('dyn', { tool: 'alpha', arguments: {}, session_id: 'ka-skill' }, true);
        expect(answer.result).toBe('alpha ok');
      }
      expect(await client.deleteSession('ka-skill')).toBe(1);
    } finally {
      await client.close();
    }
    // undici's pool may open a second socket when a request is sent in the same tick the previous one
    // frees its socket; after that both are reused. A socket per request would be 13.
    expect(connections).toBeGreaterThanOrEqual(1);
    expect(connections).toBeLessThanOrEqual(2);
  });
});
