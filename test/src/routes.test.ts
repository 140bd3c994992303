import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { Agent, type SwmlRequestContext } from '../../src/index.js';
import { AUTH, fixture, silentLogger } from './helpers/agent.js';
import { expectValidSwml } from '../helpers/swml-schema.js';

function makeAgent(opts: Record<string, unknown> = {}) {
  const seen: SwmlRequestContext[] = [];
  const agent = new Agent({ name: 'routes', basicAuth: AUTH, logger: silentLogger(), ...opts })
    .setPrompt('Hello')
    .defineTool('echo', 'Echo the text', { type: 'object', properties: { text: { type: 'string' } } }, (args) => `echo:${String(args.text)}`);
  agent.onSwmlRequest((ctx) => {
    seen.push(ctx);
  });
  return { agent, seen, app: agent.app() };
}

const authed = (t: request.Test) => t.auth(AUTH.user, AUTH.password);

describe('root route (SWML)', () => {
  it('GET / returns SWML', async () => {
    const { app } = makeAgent();
    const res = await authed(request(app).get('/'));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(expectValidSwml(res.body).sections.main[0]).toEqual({ answer: {} });
  });

  it('POST with the platform SWML-fetch body passes call.call_id to onSwmlRequest', async () => {
    const { app, seen } = makeAgent();
    const body = fixture('swml-fetch.json');
    const res = await authed(request(app).post('/')).send(body);
    expect(res.status).toBe(200);
    expectValidSwml(res.body);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.callId).toBe('c2d3e4f5-0000-4a1b-9c2d-swmlfetch0001');
    expect(seen[0]!.body).toEqual(body);
  });

  it('falls back to body.call_id, then the call_id query parameter', async () => {
    const { app, seen } = makeAgent();
    expectValidSwml((await authed(request(app).post('/')).send({ call_id: 'top-level' })).body);
    expectValidSwml((await authed(request(app).get('/?call_id=from-query'))).body);
    expectValidSwml((await authed(request(app).post('/')).send({})).body);
    expect(seen.map((c) => c.callId)).toEqual(['top-level', 'from-query', undefined]);
  });

  it('still serves SWML when an onSwmlRequest handler throws', async () => {
    const { agent, app } = makeAgent();
    agent.onSwmlRequest(() => {
      throw new Error('warm-up failed');
    });
    const res = await authed(request(app).post('/')).send(fixture('swml-fetch.json'));
    expect(res.status).toBe(200);
    expectValidSwml(res.body);
  });

  it('serves the root with and without a trailing slash under a route', async () => {
    const { app } = makeAgent({ route: '/sales' });
    for (const path of ['/sales', '/sales/']) {
      const res = await authed(request(app).get(path));
      expect(res.status).toBe(200);
      expectValidSwml(res.body);
    }
    expect((await authed(request(app).get('/other'))).status).toBe(404);
  });

  it('answers 405 with Allow for other methods', async () => {
    const res = await authed(request(makeAgent().app).put('/')).send({});
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, POST');
    expect(res.body).toEqual({ error: expect.stringContaining('PUT'), code: 'method_not_allowed' });
  });
});

describe('health and ready', () => {
  it('GET /health and /ready need no auth, at the app root and under the route', async () => {
    const { app } = makeAgent({ route: '/sales' });
    for (const path of ['/health', '/sales/health']) {
      const res = await request(app).get(path);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'healthy', agent: 'routes' });
    }
    for (const path of ['/ready', '/sales/ready']) expect((await request(app).get(path)).body).toEqual({ status: 'ready', agent: 'routes' });
  });

  it('405 for POST /health', async () => {
    const res = await request(makeAgent().app).post('/health');
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET');
  });

  it('sets security headers', async () => {
    const res = await request(makeAgent().app).get('/health');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBeDefined();
    expect(res.headers['x-powered-by']).toBeUndefined();
  });
});

describe('request errors', () => {
  it('404 JSON for an unknown route', async () => {
    const res = await authed(request(makeAgent().app).get('/nope'));
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'not_found' });
  });

  it('400 naming the body for bad JSON', async () => {
    const res = await authed(request(makeAgent().app).post('/swaig')).set('Content-Type', 'application/json').send('{"function": ');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'Request body is not valid JSON', code: 'invalid_json', field: 'body' });
  });

  it('415 for a non-JSON POST body', async () => {
    const res = await authed(request(makeAgent().app).post('/swaig')).set('Content-Type', 'application/x-www-form-urlencoded').send('function=echo');
    expect(res.status).toBe(415);
    expect(res.body.code).toBe('unsupported_media_type');
  });

  it('413 for a body over the limit (default 10 MiB, as the Python SDK)', async () => {
    const { app } = makeAgent();
    const nine = await authed(request(app).post('/swaig')).send({ function: 'echo', argument: { parsed: [{ text: 'hi' }], raw: 'x'.repeat(9 * 1024 * 1024) } });
    expect(nine.status).toBe(200);
    const big = { function: 'echo', argument: { raw: 'x'.repeat(10 * 1024 * 1024) } };
    const res = await authed(request(makeAgent().app).post('/swaig')).send(big);
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('payload_too_large');
  });

  it('413 honours a configured limit', async () => {
    const { app } = makeAgent({ maxBodyBytes: 200 });
    const ok = await authed(request(app).post('/swaig')).send({ function: 'echo', argument: { parsed: [{ text: 'hi' }] } });
    expect(ok.status).toBe(200);
    const res = await authed(request(app).post('/swaig')).send({ function: 'echo', argument: { raw: 'y'.repeat(300) } });
    expect(res.status).toBe(413);
  });

  it('405 for GET /swaig and GET /post_prompt', async () => {
    const { app } = makeAgent();
    for (const path of ['/swaig', '/post_prompt']) {
      const res = await authed(request(app).get(path));
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('POST');
    }
  });
});

describe('post_prompt', () => {
  it('passes the parsed summary and the full body to every onSummary handler and replies {success:true}', async () => {
    const { agent, app } = makeAgent();
    const got: Array<[unknown, unknown]> = [];
    agent.onSummary((summary, body) => {
      got.push([summary, body]);
    });
    agent.onSummary(() => {
      throw new Error('second handler broke');
    });
    const body = fixture('post-prompt.json');
    for (const path of ['/post_prompt', '/post_prompt/']) {
      const res = await authed(request(app).post(path)).send(body);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ success: true });
    }
    expect(got).toHaveLength(2);
    expect(got[0]).toEqual([{ resolved: true }, body]);
  });

  it('falls back to raw (JSON or plain text)', async () => {
    const { agent, app } = makeAgent();
    const got: unknown[] = [];
    agent.onSummary((s) => {
      got.push(s);
    });
    await authed(request(app).post('/post_prompt')).send({ post_prompt_data: { raw: '{"a":1}' } });
    await authed(request(app).post('/post_prompt')).send({ post_prompt_data: { raw: 'plain words', parsed: [] } });
    await authed(request(app).post('/post_prompt')).send({});
    expect(got).toEqual([{ a: 1 }, 'plain words', null]);
  });

  it('advertises /post_prompt only when a post prompt exists (a summary handler alone gets no summary)', async () => {
    const { agent, app } = makeAgent();
    agent.onSummary(() => undefined);
    const without = expectValidSwml((await authed(request(app).get('/'))).body).sections.main[1].ai;
    expect(without.post_prompt_url).toBeUndefined();
    agent.setPostPrompt('Summarize the call.');
    const ai = expectValidSwml((await authed(request(app).get('/'))).body).sections.main[1].ai;
    expect(ai.post_prompt_url).toMatch(/\/post_prompt$/);
  });
});
