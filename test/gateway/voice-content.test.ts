/**
 * What voice agents read from the gateway: per-tool latency over a recent window, the prompts and resources of
 * services that opt in, resource reads on the call's session, and tool progress on /status. Real gateway, real
 * stdio server (test/fixtures/servers/voice-server.mjs), loopback HTTP.
 */
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { AUTH, ROOT, startGateway, testConfig, waitFor, type TestGateway } from './helpers.js';

const VOICE_SERVER = join(ROOT, 'test/fixtures/servers/voice-server.mjs');
const voiceService = (extra: Record<string, unknown> = {}) => ({
  command: ['node', VOICE_SERVER],
  description: 'voice fixture',
  sandbox: { isolation: 'none' },
  ...extra,
});

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

const post = (path: string, body: unknown) =>
  fetch(`${gw?.url}${path}`, { method: 'POST', headers: { ...AUTH, 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('GET /services/:name/latency', () => {
  it('gives p50/p95 per called tool over the window, and names a bad window or service', async () => {
    gw = await startGateway(testConfig({ voice: voiceService() }));
    expect(await (await gw.get('/services/voice/latency')).json()).toEqual({ service: 'voice', window_seconds: 600, tools: [] });
    for (const body of [
      { tool: 'store_hours', session_id: 'lat-1' },
      { tool: 'store_hours', session_id: 'lat-1' },
      { tool: 'lookup_order', session_id: 'lat-1', arguments: { order: '7' } },
    ])
      expect((await gw.call('voice', body)).status).toBe(200);
    const { tools } = (await (await gw.get('/services/voice/latency?window=60')).json()) as { tools: Array<{ tool: string; count: number; p95_ms: number }> };
    expect(tools.map((t) => [t.tool, t.count])).toEqual([
      ['lookup_order', 1],
      ['store_hours', 2],
    ]);
    // The tool sleeps 5 × 300 ms: its measured latency cannot be less.
    expect(tools[0]?.p95_ms).toBeGreaterThanOrEqual(1500);

    const bad = await gw.get('/services/voice/latency?window=abc');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ field: 'window' });
    expect((await gw.get('/services/voice/latency?window=0')).status).toBe(400);
    expect((await gw.get('/services/nope/latency')).status).toBe(404);
    expect((await gw.get('/services/voice/latency', {})).status).toBe(401);
  });
});

describe('prompts and resources of a service', () => {
  it('are 404 until the service opts in', async () => {
    gw = await startGateway(testConfig({ voice: voiceService() }));
    for (const [path, code] of [
      ['/services/voice/prompts', 'prompts_not_exposed'],
      ['/services/voice/resources', 'resources_not_exposed'],
    ]) {
      const res = await gw.get(path as string);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ code, field: 'service' });
    }
    const read = await post('/services/voice/resources/read', { session_id: 's1', uri: 'voice://faq' });
    expect(read.status).toBe(404);
    expect((await gw.get('/services/voice/prompts', {})).status).toBe(401);
  });

  it('lists prompts (argument-free ones with their messages) and resources, and reads them on the session, capped', async () => {
    gw = await startGateway(testConfig({ voice: voiceService({ expose_prompts: true, expose_resources: true, max_result_bytes: 1000 }) }));
    const prompts = (await (await gw.get('/services/voice/prompts')).json()) as { service: string; prompts: Array<Record<string, any>> };
    expect(prompts.service).toBe('voice');
    const rules = prompts.prompts.find((p) => p.name === 'house_rules');
    expect(rules?.title).toBe('House rules');
    expect(JSON.stringify(rules?.messages)).toContain('Welcome to Voice Corp');
    const greet = prompts.prompts.find((p) => p.name === 'greet');
    expect(greet?.arguments?.[0]).toMatchObject({ name: 'who', required: true });
    expect(greet?.messages).toBeUndefined();

    const listing = (await (await gw.get('/services/voice/resources')).json()) as { resources: Array<{ uri: string }>; resource_templates: unknown[] };
    expect(listing.resources.map((r) => r.uri).sort()).toEqual(['voice://big', 'voice://faq', 'voice://logo']);

    const faq = await post('/services/voice/resources/read', { session_id: 'read-1', uri: 'voice://faq' });
    expect(faq.status).toBe(200);
    expect(await faq.json()).toEqual({
      session_id: 'read-1',
      service: 'voice',
      uri: 'voice://faq',
      contents: [{ uri: 'voice://faq', mime_type: 'text/plain', text: 'Q: Do you ship abroad? A: Yes, to 40 countries.' }],
    });
    const big = (await (await post('/services/voice/resources/read', { session_id: 'read-1', uri: 'voice://big' })).json()) as Record<string, any>;
    expect(big.truncated).toBe(true);
    expect(big.contents[0].text).toContain('[truncated: showed 1000 of 100000 bytes]');
    const logo = (await (await post('/services/voice/resources/read', { session_id: 'read-1', uri: 'voice://logo' })).json()) as Record<string, any>;
    expect(logo.contents).toEqual([{ uri: 'voice://logo', mime_type: 'image/png', blob_bytes: 16 }]);
    // The read ran on the session's own server.
    const sessions = (await (await gw.get('/sessions')).json()) as { sessions: Array<{ session_id: string }> };
    expect(sessions.sessions.map((s) => s.session_id)).toContain('read-1');

    const missing = await post('/services/voice/resources/read', { session_id: 'read-1', uri: 'voice://nope' });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'resource_not_found', field: 'uri' });
    for (const [body, field] of [
      [{ uri: 'voice://faq' }, 'session_id'],
      [{ session_id: 'a:b', uri: 'voice://faq' }, 'session_id'],
      [{ session_id: 's', uri: '' }, 'uri'],
      [{ session_id: 's', uri: 'x'.repeat(3000) }, 'uri'],
    ] as const) {
      const res = await post('/services/voice/resources/read', body);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: 'invalid_request', field });
    }
    expect((await fetch(`${gw.url}/services/voice/resources/read`, { headers: AUTH })).status).toBe(405);
  });
});

describe('prompt cache', () => {
  it('lists again after the server announces prompts/list_changed', async () => {
    gw = await startGateway(testConfig({ voice: voiceService({ expose_prompts: true }) }));
    // A live session: listings run on its server, so its change notices reach the cache.
    expect((await gw.call('voice', { tool: 'store_hours', session_id: 'pc-1' })).status).toBe(200);
    const names = async () => ((await (await gw?.get('/services/voice/prompts'))?.json()) as { prompts: Array<{ name: string }> }).prompts.map((p) => p.name);
    expect(await names()).toEqual(['house_rules', 'greet']);
    expect(await (await gw.call('voice', { tool: 'add_prompt', session_id: 'pc-1' })).json()).toMatchObject({ result: 'added extra_rule_1' });
    // tools_ttl is 300 s: only the notice can make the new prompt appear within the wait.
    await waitFor(async () => (await names()).includes('extra_rule_1'), 'the new prompt to be listed');
  });
});

describe('tool progress', () => {
  it('logs it and shows the latest progress of a running call for its session on /status', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    gw = await startGateway(testConfig({ voice: voiceService() }), { logger: pino({ level: 'info' }, sink) });
    const call = gw.call('voice', { tool: 'lookup_order', session_id: 'progress-1', arguments: { order: '9' } });
    const page = await waitFor(async () => {
      const html = await (await gw?.get('/status'))?.text();
      return html?.includes('searching archive') ? html : undefined;
    }, 'progress on /status');
    expect(page).toContain('progress-1');
    expect(page).toContain('running');
    expect((await call).status).toBe(200);
    const after = await (await gw.get('/status')).text();
    expect(after).toMatch(/5 \/ 5/);
    expect(after).toContain('finished');
    const logged = lines.filter((l) => l.msg === 'tool progress');
    expect(logged[0]).toMatchObject({
      session_id: 'progress-1',
      service: 'voice',
      tool: 'lookup_order',
      progress: 1,
      total: 5,
      progress_message: 'searching archive 1',
    });
    // Five notifications 300 ms apart, logged at most once a second.
    expect(logged.length).toBeGreaterThanOrEqual(1);
    expect(logged.length).toBeLessThan(5);
  });
});
