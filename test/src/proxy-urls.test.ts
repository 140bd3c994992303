import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Agent } from '../../src/index.js';
import { buildWebhookUrl, parseForwarded, publicHost, resolveBaseUrl } from '../../src/swml/urls.js';
import { AUTH, silentLogger } from './helpers/agent.js';
import { expectValidSwml } from '../helpers/swml-schema.js';

const ENV_KEYS = ['SWML_PROXY_URL_BASE', 'SWML_TRUST_PROXY_HEADERS'] as const;
const saved: Record<string, string | undefined> = {};
beforeEach(() => {
  for (const k of ENV_KEYS) {
    saved[k] = process.env[k];
    delete process.env[k];
  }
});
afterEach(() => {
  for (const k of ENV_KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

function agentWithTool(opts: Record<string, unknown> = {}): Agent {
  return new Agent({ name: 'proxy', basicAuth: AUTH, logger: silentLogger(), port: 3000, ...opts })
    .defineTool('ping', 'Ping', undefined, () => 'pong')
    .setPostPrompt('Summarize');
}

async function fetchUrls(agent: Agent, path: string, headers: Record<string, string> = {}): Promise<{ swaig: string; post: string }> {
  const res = await request(agent.app())
    .post(path)
    .auth(AUTH.user, AUTH.password)
    .set(headers)
    .send({ call: { call_id: 'c1' } });
  expect(res.status).toBe(200);
  const ai = expectValidSwml(res.body).sections.main.find((v: Record<string, unknown>) => 'ai' in v).ai;
  // Every webhook carries the call id as its routing key; the assertions below are about the rest of the URL.
  const withoutKey = (url: string): string => {
    expect(url).toMatch(/\?call_id=c1$/);
    return url.replace(/\?call_id=c1$/, '');
  };
  return { swaig: withoutKey(ai.SWAIG.defaults.web_hook_url), post: withoutKey(ai.post_prompt_url) };
}

const CREDS = 'agent_user:p%40ss%3Aw%2Frd%25secret';

describe('webhook URLs', () => {
  it('percent-encodes credentials so they survive URL parsing', () => {
    const doc = expectValidSwml(agentWithTool().renderSwml()) as any;
    const url = new URL(doc.sections.main[1].ai.SWAIG.defaults.web_hook_url);
    expect(decodeURIComponent(url.username)).toBe(AUTH.user);
    expect(decodeURIComponent(url.password)).toBe(AUTH.password);
    expect(url.host).toBe('localhost:3000');
    expect(url.pathname).toBe('/swaig');
  });

  it('maps 0.0.0.0 / 127.0.0.1 / :: to localhost and keeps ports', () => {
    expect(publicHost('0.0.0.0:3000')).toBe('localhost:3000');
    expect(publicHost('127.0.0.1')).toBe('localhost');
    expect(publicHost('[::1]:8080')).toBe('localhost:8080');
    expect(publicHost('::')).toBe('localhost');
    expect(publicHost('agent.example.com:8443')).toBe('agent.example.com:8443');
  });

  it('uses the request Host header (loopback → localhost) and keeps the route', async () => {
    const agent = agentWithTool({ route: '/sales' });
    const urls = await fetchUrls(agent, '/sales', { Host: '127.0.0.1:4567' });
    expect(urls.swaig).toBe(`http://${CREDS}@localhost:4567/sales/swaig`);
    expect(urls.post).toBe(`http://${CREDS}@localhost:4567/sales/post_prompt`);
  });

  it('honours SWML_PROXY_URL_BASE and keeps the agent route (and the base path)', async () => {
    process.env.SWML_PROXY_URL_BASE = 'https://public.example.com/agents/';
    const agent = agentWithTool({ route: '/sales' });
    const urls = await fetchUrls(agent, '/sales/', { 'X-Forwarded-Host': 'ignored.example.org' });
    expect(urls.swaig).toBe(`https://${CREDS}@public.example.com/agents/sales/swaig`);
    expect(urls.post).toBe(`https://${CREDS}@public.example.com/agents/sales/post_prompt`);
    const offline = JSON.stringify(expectValidSwml(agent.renderSwml()));
    expect(offline).toContain('https://agent_user:');
    expect(offline).toContain('@public.example.com/agents/sales/swaig');
  });

  it('honours X-Forwarded-Host / X-Forwarded-Proto by default', async () => {
    const urls = await fetchUrls(agentWithTool({ route: '/bot' }), '/bot', {
      'X-Forwarded-Host': 'abc123.ngrok.app, internal.proxy',
      'X-Forwarded-Proto': 'https',
    });
    expect(urls.swaig).toBe(`https://${CREDS}@abc123.ngrok.app/bot/swaig`);
  });

  it('honours the standard Forwarded header (RFC 7239) like X-Forwarded-*', async () => {
    const urls = await fetchUrls(agentWithTool({ route: '/bot' }), '/bot', {
      Forwarded: 'for=203.0.113.7;host="abc123.ngrok.app";proto=https, for=10.0.0.2;host=internal.proxy',
      Host: 'agent.internal:3000',
    });
    expect(urls.swaig).toBe(`https://${CREDS}@abc123.ngrok.app/bot/swaig`);
    expect(urls.post).toBe(`https://${CREDS}@abc123.ngrok.app/bot/post_prompt`);
    const xWins = await fetchUrls(agentWithTool(), '/', { 'X-Forwarded-Host': 'x.example.com', Forwarded: 'host=f.example.com;proto=https' });
    expect(xWins.swaig).toBe(`http://${CREDS}@x.example.com/swaig`);
    const badHost = await fetchUrls(agentWithTool(), '/', { Forwarded: 'host="bad host/x";proto=https', Host: 'agent.internal:3000' });
    expect(badHost.swaig).toBe(`http://${CREDS}@agent.internal:3000/swaig`);
    expect(parseForwarded('For="[2001:db8::1]";Proto=HTTPS;Host=a.example.com:8443')).toEqual({ proto: 'https', host: 'a.example.com:8443' });
  });

  it('ignores forwarded headers when SWML_TRUST_PROXY_HEADERS=false', async () => {
    process.env.SWML_TRUST_PROXY_HEADERS = 'false';
    const urls = await fetchUrls(agentWithTool(), '/', { 'X-Forwarded-Host': 'evil.example.com', Host: 'agent.internal:3000' });
    expect(urls.swaig).toBe(`http://${CREDS}@agent.internal:3000/swaig`);
    const std = await fetchUrls(agentWithTool(), '/', { Forwarded: 'host=evil.example.com;proto=https', Host: 'agent.internal:3000' });
    expect(std.swaig).toBe(`http://${CREDS}@agent.internal:3000/swaig`);
  });

  it('ignores a malformed X-Forwarded-Host', async () => {
    const urls = await fetchUrls(agentWithTool(), '/', { 'X-Forwarded-Host': 'bad host/with@stuff', Host: 'agent.internal:3000' });
    expect(urls.swaig).toBe(`http://${CREDS}@agent.internal:3000/swaig`);
  });

  it('resolves without a request: configured host and port', () => {
    expect(resolveBaseUrl({ host: '0.0.0.0', port: 8080, trustProxyHeaders: true })).toBe('http://localhost:8080');
    expect(resolveBaseUrl({ host: 'agent.example.com', port: 443, trustProxyHeaders: true })).toBe('http://agent.example.com:443');
    expect(buildWebhookUrl('https://x.example.com', '/', 'swaig', { user: 'u', password: 'p' })).toBe('https://u:p@x.example.com/swaig');
  });

  it('reads SWML_PROXY_URL_BASE once, at construction: a bad value stops new Agent() naming it, not the first call', () => {
    process.env.SWML_PROXY_URL_BASE = 'not a url';
    expect(() => agentWithTool()).toThrow(/SWML_PROXY_URL_BASE is not a valid URL: 'not a url'/);
    process.env.SWML_PROXY_URL_BASE = 'ftp://files.example.com';
    expect(() => agentWithTool()).toThrow(/SWML_PROXY_URL_BASE must be an http\(s\) URL/);
    process.env.SWML_PROXY_URL_BASE = 'https://one.example.com';
    const agent = agentWithTool();
    process.env.SWML_PROXY_URL_BASE = 'https://two.example.com';
    expect(JSON.stringify(agent.renderSwml())).toContain('@one.example.com/swaig');
  });

  it('rejects a proxy base that is not http(s)', () => {
    expect(() => resolveBaseUrl({ proxyUrlBase: 'ftp://x', host: 'h', port: 1, trustProxyHeaders: true })).toThrow(/SWML_PROXY_URL_BASE/);
  });
});

describe('routing key', () => {
  it('puts the call id in the query of every webhook URL on this agent (never in external ones), so a balancer can pin the call', async () => {
    const agent = agentWithTool()
      .defineTool({ name: 'crm', description: 'CRM', webHookUrl: 'https://crm.example.com/swaig?k=1' })
      .defineTool({ name: 'vault', description: 'Vault', secure: true, handler: () => 'ok' })
      .onDebugEvent(() => undefined);
    const res = await request(agent.app())
      .post('/')
      .auth(AUTH.user, AUTH.password)
      .send({ call: { call_id: 'call-42' } });
    const ai = expectValidSwml(res.body).sections.main.find((v: Record<string, unknown>) => 'ai' in v).ai;
    const local = [
      ai.SWAIG.defaults.web_hook_url,
      ai.post_prompt_url,
      ai.params.debug_webhook_url,
      ai.SWAIG.functions.find((f: { function: string }) => f.function === 'vault').web_hook_url,
    ];
    for (const url of local) expect(new URL(url).searchParams.get('call_id')).toBe('call-42');
    expect(ai.SWAIG.functions.find((f: { function: string }) => f.function === 'crm').web_hook_url).toBe('https://crm.example.com/swaig?k=1');
  });

  it('leaves the key out when the SWML fetch names no call', async () => {
    const res = await request(agentWithTool().app()).post('/').auth(AUTH.user, AUTH.password).send({});
    const ai = expectValidSwml(res.body).sections.main.find((v: Record<string, unknown>) => 'ai' in v).ai;
    expect(ai.SWAIG.defaults.web_hook_url).not.toContain('call_id');
  });
});
