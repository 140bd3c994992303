/** Graceful drain: not ready, no new calls, open calls served until their hangup (real HTTP on loopback). */
import { afterEach, describe, expect, it } from 'vitest';
import { Agent, AgentServer } from '../../src/index.js';
import { AUTH, fixture, silentLogger } from './helpers/agent.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

const authorization = `Basic ${Buffer.from(`${AUTH.user}:${AUTH.password}`).toString('base64')}`;

async function post(url: string, body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(url, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

const swaig = (fn: string, callId: string) => ({ ...fixture<Record<string, unknown>>('swaig-call.json'), function: fn, call_id: callId });

function drainAgent(route = '/'): Agent {
  const agent = new Agent({ name: 'drainer', route, host: '127.0.0.1', port: 0, basicAuth: AUTH, logger: silentLogger(), drainTimeoutSeconds: 20 });
  agent.defineTool({ name: 'ping', description: 'Ping', secure: false, handler: () => 'pong' });
  agent.onHangup(() => 'bye');
  return agent;
}

describe('Agent.drain()', () => {
  it('answers 503 draining to /ready, SWML fetches and unknown calls, serves its own call until hangup, then resolves', async () => {
    const agent = drainAgent();
    const { url, close } = await agent.serve({ handleSignals: false });
    closers.push(close);
    const base = url.replace('localhost', '127.0.0.1').replace(/\/$/, '');
    expect((await post(`${base}/swaig`, swaig('ping', 'owned-1'))).json).toEqual({ response: 'pong' });

    let drained = false;
    const draining = agent.drain().then(() => (drained = true));
    const ready = await fetch(`${base}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ code: 'draining' });
    expect(await post(`${base}/`, fixture('swml-fetch.json'))).toMatchObject({ status: 503, json: { code: 'draining' } });
    expect(await post(`${base}/swaig`, swaig('ping', 'new-call'))).toMatchObject({ status: 503, json: { code: 'draining' } });
    // Its own call goes on, as many times as it needs.
    expect(await post(`${base}/swaig`, swaig('ping', 'owned-1'))).toEqual({ status: 200, json: { response: 'pong' } });
    expect(await post(`${base}/swaig`, swaig('ping', 'owned-1'))).toEqual({ status: 200, json: { response: 'pong' } });
    expect(drained).toBe(false);
    expect((await post(`${base}/swaig`, swaig('hangup_hook', 'owned-1'))).status).toBe(200);
    await draining;
    expect(drained).toBe(true);
  });

  it('resolves at once with no open call, and after drainTimeoutSeconds with one that never hangs up', async () => {
    const idle = drainAgent();
    closers.push((await idle.serve({ handleSignals: false })).close);
    const started = Date.now();
    await idle.drain();
    expect(Date.now() - started).toBeLessThan(5000);

    const stuck = new Agent({ name: 'stuck', host: '127.0.0.1', port: 0, basicAuth: AUTH, logger: silentLogger(), drainTimeoutSeconds: 0.3 });
    stuck.defineTool({ name: 'ping', description: 'Ping', secure: false, handler: () => 'pong' });
    const { url, close } = await stuck.serve({ handleSignals: false });
    closers.push(close);
    await post(`${url.replace('localhost', '127.0.0.1')}swaig`, swaig('ping', 'never-hangs-up'));
    let done = false;
    const drain = stuck.drain().then(() => (done = true));
    await new Promise((r) => setTimeout(r, 50));
    expect(done).toBe(false);
    await drain;
  });

  it('refuses a bad drain timeout naming the option or the variable', () => {
    expect(() => new Agent({ name: 'x', drainTimeoutSeconds: -1 })).toThrow(/drainTimeoutSeconds/);
    const saved = process.env.SWML_DRAIN_TIMEOUT;
    process.env.SWML_DRAIN_TIMEOUT = 'soon';
    try {
      expect(() => new Agent({ name: 'x' })).toThrow(/SWML_DRAIN_TIMEOUT/);
    } finally {
      if (saved === undefined) delete process.env.SWML_DRAIN_TIMEOUT;
      else process.env.SWML_DRAIN_TIMEOUT = saved;
    }
  });
});

describe('AgentServer.drain()', () => {
  it('drains every agent on the server together', async () => {
    const server = new AgentServer({ host: '127.0.0.1', port: 0, logger: silentLogger(), drainTimeoutSeconds: 20 });
    server.register(drainAgent('/a'));
    const { url, close } = await server.serve({ handleSignals: false });
    closers.push(close);
    const base = url.replace('localhost', '127.0.0.1');
    await post(`${base}/a/swaig`, swaig('ping', 'owned-2'));
    const draining = server.drain();
    expect((await fetch(`${base}/ready`)).status).toBe(503);
    expect((await post(`${base}/a`, fixture('swml-fetch.json'))).status).toBe(503);
    expect((await post(`${base}/a/swaig`, swaig('ping', 'owned-2'))).status).toBe(200);
    await post(`${base}/a/swaig`, swaig('hangup_hook', 'owned-2'));
    await draining;
  });
});
