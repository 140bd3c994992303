import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent, SwaigResult } from '../../src/index.js';
import { captureLogger, fixture } from './helpers/agent.js';
import { expectValidSwml } from '../helpers/swml-schema.js';

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

function basic(user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

/** Splits a webhook URL with embedded credentials into a plain URL + Authorization header, as the platform does. */
function asPlatformCall(webhook: string): { url: string; authorization: string } {
  const u = new URL(webhook);
  const authorization = basic(decodeURIComponent(u.username), decodeURIComponent(u.password));
  u.username = '';
  u.password = '';
  return { url: u.href, authorization };
}

describe('agent.serve() over real HTTP', () => {
  it('keeps idle connections 65 s (a client idling 5 s between webhooks must not race a closing socket)', async () => {
    const agent = new Agent({ name: 'keepalive', host: '127.0.0.1', port: 0, basicAuth: { user: 'u', password: 'p' } });
    agent.setPrompt('hi');
    const { url, close } = await agent.serve({ handleSignals: false });
    closers.push(close);
    const res = await fetch(url.replace('localhost', '127.0.0.1'), { method: 'POST', headers: { authorization: basic('u', 'p') } });
    await res.arrayBuffer();
    expect(res.headers.get('keep-alive')).toBe('timeout=65');
  });

  it('serves SWML whose webhook URL reaches the running agent and returns the handler result', async () => {
    const { logger, lines } = captureLogger();
    delete process.env.SWML_BASIC_AUTH_USER;
    delete process.env.SWML_BASIC_AUTH_PASSWORD;
    const agent = new Agent({ name: 'live', route: '/live', host: '127.0.0.1', port: 0, logger });
    agent
      .setPrompt('Weather bot')
      .defineTool(
        'get_weather',
        'Get weather for a city',
        { type: 'object', properties: { city: { type: 'string', description: 'City' } }, required: ['city'] },
        (args) => new SwaigResult(`Sunny in ${String(args.city)}`),
      );
    const { url, close } = await agent.serve({ handleSignals: false });
    closers.push(close);
    expect(url).toMatch(/^http:\/\/localhost:\d+\/live$/);

    // Generated credentials are announced exactly once.
    const announced = lines.filter((l) => typeof l.password === 'string');
    expect(announced).toHaveLength(1);
    expect(announced[0]).toMatchObject({ user: 'signalwire', password: agent.credentials.password, level: 40 });

    const port = new URL(url).port;
    const swmlRes = await fetch(`http://127.0.0.1:${port}/live`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: basic(agent.credentials.user, agent.credentials.password) },
      body: JSON.stringify(fixture('swml-fetch.json')),
    });
    expect(swmlRes.status).toBe(200);
    const doc = expectValidSwml((await swmlRes.json()) as { sections: { main: Array<Record<string, any>> } });
    const webhook: string = doc.sections.main[1]!.ai.SWAIG.functions[0].web_hook_url;
    expect(doc.sections.main[1]!.ai.SWAIG.defaults.web_hook_url).toBe(
      `http://signalwire:${agent.credentials.password}@localhost:${port}/live/swaig?call_id=${fixture<{ call: { call_id: string } }>('swml-fetch.json').call.call_id}`,
    );
    expect(webhook).toMatch(
      new RegExp(
        `^http://signalwire:${agent.credentials.password}@localhost:${port}/live/swaig\\?__token=[A-Za-z0-9_-]+&call_id=${fixture<{ call: { call_id: string } }>('swml-fetch.json').call.call_id}$`,
      ),
    );

    const call = asPlatformCall(webhook);
    const res = await fetch(call.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: call.authorization },
      // The same call the SWML was fetched for: the token in the webhook URL is bound to its call id.
      body: JSON.stringify({ ...fixture('swaig-call.json'), call_id: fixture<{ call: { call_id: string } }>('swml-fetch.json').call.call_id }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ response: 'Sunny in Tulsa' });

    const unauth = await fetch(call.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(unauth.status).toBe(401);
    expect(unauth.headers.get('www-authenticate')).toMatch(/^Basic /);

    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(await health.json()).toEqual({ status: 'healthy', agent: 'live' });
  });

  it('close() stops the listener and is safe to call twice', async () => {
    const { logger } = captureLogger();
    const agent = new Agent({ name: 'closing', host: '127.0.0.1', port: 0, basicAuth: { user: 'u', password: 'p' }, logger });
    const { url } = await agent.serve({ handleSignals: false });
    const port = new URL(url).port;
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
    await agent.close();
    await agent.close();
    await expect(fetch(`http://127.0.0.1:${port}/health`)).rejects.toThrow();
  });

  it('answers requests the HTTP parser rejects (oversized headers, garbage) with the JSON error shape', async () => {
    const { logger } = captureLogger();
    const agent = new Agent({ name: 'parser', host: '127.0.0.1', port: 0, basicAuth: { user: 'u', password: 'p' }, logger });
    const { url } = await agent.serve({ handleSignals: false });
    closers.push(() => agent.close());
    const port = Number(new URL(url).port);
    const raw = (request: string): Promise<string> =>
      new Promise((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => socket.end(request));
        let answer = '';
        socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
        socket.on('end', () => resolve(answer));
        socket.on('error', reject);
      });
    const oversized = await raw(`GET /health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(oversized).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(oversized.slice(oversized.indexOf('\r\n\r\n') + 4))).toEqual({ error: 'Request headers are too large', code: 'headers_too_large' });
    const garbage = await raw('NOT HTTP AT ALL\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
    expect(garbage).toContain('"code":"bad_request"');
  });

  it('does not listen under SWAIG_CLI_MODE=true, and says so (log line, listening: false)', async () => {
    const { logger, lines } = captureLogger();
    process.env.SWAIG_CLI_MODE = 'true';
    try {
      const agent = new Agent({ name: 'cli', host: '127.0.0.1', port: 0, basicAuth: { user: 'u', password: 'p' }, logger });
      const served = await agent.serve();
      expect(served.url).toBe('http://localhost:0/');
      expect(served.listening).toBe(false);
      expect(JSON.stringify(lines)).toContain('not listening, SWAIG_CLI_MODE=true');
      await served.close();
    } finally {
      delete process.env.SWAIG_CLI_MODE;
    }
  });
});
