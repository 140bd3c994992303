/**
 * The example agents, run as a user runs them (`tsx agents/<name>.ts`, a real process) and driven over HTTP the
 * way the platform does: SWML fetch with a call, then function calls to the web_hook_url the SWML gave.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCollecting, type CollectingChild } from '../helpers/processes.js';
import { expectValidSwml } from '../helpers/swml-schema.js';
import { ROOT, webhookPaths } from './helpers.js';

const TSX_CLI = join(ROOT, 'node_modules/tsx/dist/cli.mjs');
const AUTH = { user: 'example', password: 'example-secret' };
type Doc = { sections: { main: Array<Record<string, any>> } };

function start(file: string, extraEnv: Record<string, string> = {}): CollectingChild {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    SWML_BASIC_AUTH_USER: AUTH.user,
    SWML_BASIC_AUTH_PASSWORD: AUTH.password,
    ...extraEnv,
  };
  delete env.SWAIG_CLI_MODE;
  return spawnCollecting(process.execPath, [TSX_CLI, file], { env, detached: true });
}

/** The base URL and credentials from the `… SWML URL: http://user:pass@host:port/route` line. */
async function printedUrl(child: CollectingChild, name: string): Promise<{ url: URL; creds: { user: string; password: string } }> {
  const m = await child.waitForOutput(new RegExp(`${name} is ready\\. SWML URL: (http://\\S+)`), 40_000);
  const url = new URL(m[1] as string);
  const creds = { user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
  url.username = '';
  url.password = '';
  return { url, creds };
}

function client(url: URL, creds: { user: string; password: string }) {
  const authorization = `Basic ${Buffer.from(`${creds.user}:${creds.password}`).toString('base64')}`;
  return async (path: string, body?: unknown): Promise<{ status: number; json: any }> => {
    const res = await fetch(new URL(path, url), {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, json: await res.json() };
  };
}

const fetchBody = (callId: string, from = '+15550001111') => ({
  call: { call_id: callId, from, to: '+15559990000', direction: 'inbound', type: 'phone', headers: [] },
  vars: {},
  params: {},
});
const envelope = (fn: string, callId: string, args: Record<string, unknown> = {}) => ({
  function: fn,
  call_id: callId,
  content_type: 'text/swaig',
  argument: { parsed: [args], raw: JSON.stringify(args), substituted: '' },
});
const aiOf = (doc: Doc) => doc.sections.main.find((v) => v.ai)?.ai as Record<string, any>;

describe('example agents over real HTTP', () => {
  const children: CollectingChild[] = [];
  let dynamic: ReturnType<typeof client>;
  let contexts: ReturnType<typeof client>;
  let datamap: ReturnType<typeof client>;
  let multi: { url: URL; sales: ReturnType<typeof client>; support: ReturnType<typeof client> };

  beforeAll(async () => {
    const d = start('agents/dynamic-agent.ts');
    const c = start('agents/contexts-agent.ts');
    const m = start('agents/datamap-agent.ts', { TICKETS_WEBHOOK_URL: 'https://bot:pw@tickets.example.com/swaig' });
    const s = start('agents/multi-agent-server.ts', { SALES_AUTH: 'sales:sales-pw', SUPPORT_AUTH: 'support:support-pw' });
    children.push(d, c, m, s);
    const [pd, pc, pm, ps, pp] = await Promise.all([
      printedUrl(d, 'Concierge'),
      printedUrl(c, 'Front Desk'),
      printedUrl(m, 'Weather Desk'),
      printedUrl(s, 'Sales'),
      printedUrl(s, 'Support'),
    ]);
    dynamic = client(pd.url, pd.creds);
    contexts = client(pc.url, pc.creds);
    datamap = client(pm.url, pm.creds);
    multi = { url: new URL('/', ps.url), sales: client(ps.url, ps.creds), support: client(pp.url, pp.creds) };
  }, 90_000);
  afterAll(async () => {
    await Promise.all(children.map((c) => c.stop()));
  });

  it('dynamic-agent: each caller gets their own tier, caller number and language; the base is untouched', async () => {
    const gold = await dynamic('/?tier=gold&lang=es', fetchBody('dyn-gold', '+15550002222'));
    const ai = aiOf(expectValidSwml(gold.json));
    expect(ai.global_data).toEqual({ brand: 'acme', tier: 'gold', caller: '+15550002222' });
    expect(ai.prompt.pom.find((s: { title?: string }) => s.title === 'Caller').body).toBe('The caller (+15550002222) is a gold member.');
    expect(ai.languages.map((l: { code: string }) => l.code)).toEqual(['en-US', 'es-ES']);
    const lounge = webhookPaths(gold.json)('book_lounge');
    expect(lounge).toMatch(/tier=gold/);
    const booked = await dynamic(lounge, envelope('book_lounge', 'dyn-gold', { time: '18:00' }));
    expect(booked.json).toEqual({ response: 'The lounge is booked for 18:00.', action: [{ set_global_data: { lounge: '18:00' } }] });

    const plain = aiOf(expectValidSwml((await dynamic('/', fetchBody('dyn-plain'))).json));
    expect(plain.global_data).toEqual({ brand: 'acme', tier: 'standard', caller: '+15550001111' });
    expect(plain.languages).toHaveLength(1);
    expect(plain.SWAIG.functions.map((f: { function: string }) => f.function)).toEqual(['opening_hours']);
  });

  it('contexts-agent: a two-context flow rendered under prompt.contexts; functions switch context and step', async () => {
    const swml = await contexts('/', fetchBody('ctx-1'));
    const ai = aiOf(expectValidSwml(swml.json));
    expect(Object.keys(ai.prompt.contexts)).toEqual(['default', 'billing']);
    expect(ai.prompt.contexts.default.steps.map((s: { name: string }) => s.name)).toEqual(['greet', 'triage']);
    expect(ai.prompt.contexts.billing.steps[0]).toMatchObject({ name: 'verify', functions: ['lookup_invoice'], valid_steps: ['resolve'] });
    const path = webhookPaths(swml.json);
    expect((await contexts(path('to_billing'), envelope('to_billing', 'ctx-1'))).json).toEqual({
      response: 'Moving you to billing.',
      action: [{ change_context: 'billing' }],
    });
    expect((await contexts(path('lookup_invoice'), envelope('lookup_invoice', 'ctx-1', { invoice: 'inv-1002' }))).json).toEqual({
      response: 'Invoice inv-1002: $75.50, due on the 30th.',
      action: [{ change_step: 'resolve' }],
    });
  });

  it('datamap-agent: a data_map function and an external web_hook_url, no token on either; the local one runs here', async () => {
    const swml = await datamap('/', fetchBody('dm-1'));
    const fns = aiOf(expectValidSwml(swml.json)).SWAIG.functions as Array<Record<string, any>>;
    const byName = Object.fromEntries(fns.map((f) => [f.function, f]));
    expect(byName.get_weather.data_map.webhooks[0]).toMatchObject({ method: 'GET', url: expect.stringContaining('${enc:args.city}') });
    expect(byName.get_weather.web_hook_url).toBeUndefined();
    expect(byName.open_ticket.web_hook_url).toBe('https://bot:pw@tickets.example.com/swaig');
    expect((await datamap(webhookPaths(swml.json)('store_hours'), envelope('store_hours', 'dm-1'))).json).toEqual({
      response: 'The store is open 9 to 5, Monday to Saturday.',
    });
  });

  it('multi-agent-server: /sales and /support on one server with their own credentials, shared health, SIP routing', async () => {
    const sales = await multi.sales('/sales', fetchBody('ms-1'));
    expect(aiOf(expectValidSwml(sales.json)).prompt.text).toMatch(/sales agent/);
    const quote = await multi.sales(webhookPaths(sales.json)('quote'), envelope('quote', 'ms-1', { plan: 'pro' }));
    expect(quote.json).toEqual({ response: 'Pro costs $40 a month.' });
    expect((await multi.sales('/support', fetchBody('ms-2'))).status).toBe(401);
    const support = await multi.support('/support', fetchBody('ms-2'));
    expect(aiOf(expectValidSwml(support.json)).prompt.text).toMatch(/Acme support/);
    const health = await (await fetch(new URL('/health', multi.url))).json();
    expect(health).toEqual({
      status: 'healthy',
      agents: [
        { route: '/sales', name: 'Sales' },
        { route: '/support', name: 'Support' },
      ],
    });
    const sip = await multi.support('/sip', { call: { call_id: 'ms-3', to: 'sip:support@acme.sip.signalwire.com', from: 'sip:bob@example.com' } });
    expect(aiOf(expectValidSwml(sip.json)).prompt.text).toMatch(/Acme support/);
  });
});
