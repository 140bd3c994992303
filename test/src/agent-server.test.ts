/** Several agents on one server with shared health/ready, and SIP routing by username (item 5). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, AgentConfigError, AgentServer, sipUsername } from '../../src/index.js';
import { expectValidSwml } from '../helpers/swml-schema.js';
import { silentLogger, TOKEN_SECRET } from './helpers/agent.js';

const SALES = { user: 'sales', password: 'sales-secret-1' };
const SUPPORT = { user: 'support', password: 'support-secret-2' };
const basic = (c: { user: string; password: string }) => `Basic ${Buffer.from(`${c.user}:${c.password}`).toString('base64')}`;
type Doc = { sections: { main: Array<Record<string, any>> } };

describe('AgentServer over real HTTP', () => {
  let url: string;
  let close: () => Promise<void>;
  let server: AgentServer;

  beforeAll(async () => {
    const sales = new Agent({ name: 'Sales', route: '/sales', basicAuth: SALES, tokenSecret: TOKEN_SECRET, logger: silentLogger() })
      .setPrompt('You sell.')
      .defineTool('quote', 'Quote a price', undefined, () => 'It costs 10.');
    const support = new Agent({ name: 'Support', route: '/support', basicAuth: SUPPORT, logger: silentLogger() })
      .setPrompt('You help.')
      .defineTool('ticket', 'Open a ticket', undefined, () => 'Ticket 42 opened.');
    server = new AgentServer({ host: '127.0.0.1', port: 0, logger: silentLogger() }).register(sales).register(support);
    server.enableSipRouting().mapSipUsername('helpdesk', '/support');
    ({ url, close } = await server.serve({ handleSignals: false }));
  });
  afterAll(() => close());

  const post = (path: string, body: unknown, creds: { user: string; password: string }) =>
    fetch(new URL(path, url), { method: 'POST', headers: { authorization: basic(creds), 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('serves each agent under its route with its own credentials, and its webhooks keep the route', async () => {
    const res = await post('/sales', { call: { call_id: 'c-s' } }, SALES);
    const ai = expectValidSwml((await res.json()) as Doc).sections.main[1]!.ai;
    expect(ai.prompt.text).toBe('You sell.');
    const hook = new URL(ai.SWAIG.functions[0].web_hook_url);
    expect(hook.pathname).toBe('/sales/swaig');
    const call = await post(hook.pathname + hook.search, { function: 'quote', call_id: 'c-s' }, SALES);
    expect(await call.json()).toEqual({ response: 'It costs 10.' });
    expect((await post('/sales', {}, SUPPORT)).status).toBe(401);
    const support = await post('/support', {}, SUPPORT);
    expect(expectValidSwml((await support.json()) as Doc).sections.main[1]!.ai.prompt.text).toBe('You help.');
  });

  it('shares /health and /ready at the root; each agent keeps its own under its route', async () => {
    expect(await (await fetch(new URL('/health', url))).json()).toEqual({
      status: 'healthy',
      agents: [
        { route: '/sales', name: 'Sales' },
        { route: '/support', name: 'Support' },
      ],
    });
    expect((await fetch(new URL('/ready', url))).status).toBe(200);
    expect(await (await fetch(new URL('/support/health', url))).json()).toEqual({ status: 'healthy', agent: 'Support' });
    expect((await fetch(new URL('/nowhere', url))).status).toBe(404);
  });

  it('routes a SIP SWML fetch by the username in call.to (route name, agent name, explicit mapping)', async () => {
    for (const [to, creds, prompt] of [
      ['sip:sales@example.sip.signalwire.com', SALES, 'You sell.'],
      ['sip:Support@example.sip.signalwire.com', SUPPORT, 'You help.'],
      ['<sip:helpdesk@example.com;transport=tls>', SUPPORT, 'You help.'],
    ] as const) {
      const res = await post('/sip', { call: { call_id: `sip-${to}`, to, from: 'sip:alice@example.com' } }, creds);
      expect(res.status, to).toBe(200);
      const ai = expectValidSwml((await res.json()) as Doc).sections.main[1]!.ai;
      expect(ai.prompt.text).toBe(prompt);
    }
    const wrongCreds = await post('/sip', { call: { to: 'sip:sales@example.com' } }, SUPPORT);
    expect(wrongCreds.status).toBe(401);
    const unknown = await post('/sip', { call: { to: 'sip:nobody@example.com' } }, SALES);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: "No agent for SIP user 'nobody'", code: 'unknown_sip_user', field: 'call.to' });
  });
});

describe('AgentServer configuration', () => {
  const agent = (route: string) => new Agent({ name: `a${route.replace('/', '_')}`, route, logger: silentLogger() });
  it('refuses a shared route, the root route and late registration', () => {
    const server = new AgentServer({ port: 0, logger: silentLogger() }).register(agent('/a'));
    expect(() => server.register(agent('/a'))).toThrow(AgentConfigError);
    expect(() => server.register(agent('/'))).toThrow(/route/);
    server.app();
    expect(() => server.register(agent('/b'))).toThrow(/before app/);
    expect(() => server.mapSipUsername('x', '/nope')).toThrow(/No agent/);
  });

  it('reads SIP usernames', () => {
    expect(sipUsername('sip:Sales@x.com')).toBe('sales');
    expect(sipUsername('sips:a.b@x.com:5061')).toBe('a.b');
    expect(sipUsername('+15551234567')).toBeUndefined();
    expect(sipUsername(undefined)).toBeUndefined();
  });
});
