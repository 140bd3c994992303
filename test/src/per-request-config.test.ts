/**
 * Per-request configuration works on a copy: one caller's changes never reach another caller's SWML, concurrent
 * renders never mix, and the agent's base config is untouched (issue 12, item 1).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, type SwmlRequestContext } from '../../src/index.js';
import { expectValidSwml } from '../helpers/swml-schema.js';
import { AUTH, silentLogger, TOKEN_SECRET } from './helpers/agent.js';

type Ai = Record<string, any>;
const aiOf = (doc: { sections: { main: Array<Record<string, unknown>> } }): Ai => doc.sections.main.find((v) => 'ai' in v)?.ai as Ai;
const basic = `Basic ${Buffer.from(`${AUTH.user}:${AUTH.password}`).toString('base64')}`;
const pause = () => new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 4)));

function baseAgent(): Agent {
  return new Agent({ name: 'dynamic', basicAuth: AUTH, tokenSecret: TOKEN_SECRET, port: 0, logger: silentLogger() })
    .setPrompt('You are a concierge.')
    .promptAddSection({ title: 'Rules', body: 'Be brief.' })
    .addHints(['concierge'])
    .setParams({ end_of_speech_timeout: 700 })
    .setGlobalData({ brand: 'acme', prefs: { lang: 'en' } })
    .defineTool('lookup', 'Look something up', undefined, () => 'found');
}

/** Per caller: tier from the query, caller number from body.call.from; awaits between edits so renders interleave. */
async function tailor(ctx: SwmlRequestContext): Promise<void> {
  const tier = typeof ctx.query.tier === 'string' ? ctx.query.tier : undefined;
  if (tier === undefined) return;
  const c = ctx.config;
  c.updateGlobalData({ tier, caller: ctx.call.from, prefs: { lang: String(ctx.query.lang) } });
  await pause();
  c.promptAddSection({ title: 'Caller', body: `Caller ${ctx.call.from} has tier ${tier}.` });
  await pause();
  c.addHints([tier]).setParam('request_tag', `${tier}-${ctx.call.from}`);
  c.removeTool('lookup');
  c.defineTool({ name: `perk_${tier}`, description: `Perk for ${tier}`, secure: false, handler: () => tier });
}

/** What one request must contain, and nothing of any other request. Returns the mismatches (empty = clean). */
function mismatches(ai: Ai, i: number): string[] {
  const tier = `t${i}`;
  const from = `+1555000${String(i).padStart(4, '0')}`;
  const problems: string[] = [];
  const expectedGlobal = { brand: 'acme', prefs: { lang: `l${i}` }, tier, caller: from };
  if (JSON.stringify(ai.global_data) !== JSON.stringify(expectedGlobal)) problems.push(`${i}: global_data ${JSON.stringify(ai.global_data)}`);
  const callerSections = (ai.prompt.pom as Array<{ title?: string; body?: string }>).filter((s) => s.title === 'Caller');
  if (callerSections.length !== 1 || callerSections[0]?.body !== `Caller ${from} has tier ${tier}.`)
    problems.push(`${i}: sections ${JSON.stringify(callerSections)}`);
  if (JSON.stringify(ai.hints) !== JSON.stringify(['concierge', tier])) problems.push(`${i}: hints ${JSON.stringify(ai.hints)}`);
  if (ai.params.request_tag !== `${tier}-${from}`) problems.push(`${i}: params ${JSON.stringify(ai.params)}`);
  const fns = (ai.SWAIG.functions as Array<{ function: string }>).map((f) => f.function);
  if (JSON.stringify(fns) !== JSON.stringify([`perk_${tier}`])) problems.push(`${i}: functions ${JSON.stringify(fns)}`);
  return problems;
}

async function fetchSwml(url: string, i: number): Promise<Ai> {
  const body = { call: { call_id: `call-${i}`, from: `+1555000${String(i).padStart(4, '0')}`, to: '+15559990000', headers: [] }, vars: {}, params: {} };
  const res = await fetch(`${url}?tier=t${i}&lang=l${i}`, {
    method: 'POST',
    headers: { authorization: basic, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return aiOf(expectValidSwml((await res.json()) as { sections: { main: Array<Record<string, unknown>> } }));
}

/** 200 SWML fetches at once over real HTTP, each with its own query and caller. */
async function storm(url: string): Promise<string[]> {
  const ais = await Promise.all(Array.from({ length: 200 }, (_, i) => fetchSwml(url, i)));
  return ais.flatMap((ai, i) => mismatches(ai, i));
}

describe('per-request configuration over real HTTP', () => {
  let agent: Agent;
  let url: string;
  let close: () => Promise<void>;
  let before: unknown;

  beforeAll(async () => {
    agent = baseAgent();
    agent.onSwmlRequest(tailor);
    before = agent.renderSwml({ baseUrl: 'http://agent.test' });
    ({ url, close } = await agent.serve({ handleSignals: false }));
  });
  afterAll(() => close());

  it('200 parallel fetches with distinct query params and callers: each response carries only its own values', async () => {
    expect(await storm(url)).toEqual([]);
  });

  it('leaves the base config untouched: same SWML as before, and a plain request sees none of the tailoring', async () => {
    expect(agent.renderSwml({ baseUrl: 'http://agent.test' })).toEqual(before);
    const res = await fetch(url, { headers: { authorization: basic } });
    const ai = aiOf((await res.json()) as { sections: { main: Array<Record<string, unknown>> } });
    expect(ai.global_data).toEqual({ brand: 'acme', prefs: { lang: 'en' } });
    expect(ai.hints).toEqual(['concierge']);
    expect(ai.params).toEqual({ end_of_speech_timeout: 700 });
    expect(ai.SWAIG.functions.map((f: { function: string }) => f.function)).toEqual(['lookup']);
  });

  it('?tier=gold does not reach the next caller', async () => {
    const gold = await fetchSwml(url, 7);
    expect(gold.global_data.tier).toBe('t7');
    const next = await fetch(url, {
      method: 'POST',
      headers: { authorization: basic, 'content-type': 'application/json' },
      body: '{"call":{"call_id":"c-next"}}',
    });
    expect(aiOf((await next.json()) as never).global_data).toEqual({ brand: 'acme', prefs: { lang: 'en' } });
  });
});

describe('the storm check can fail', () => {
  it('detects the old leak: handlers that change the shared agent mix callers and change the base', async () => {
    const agent = baseAgent();
    // The only option before per-request copies: mutate the agent itself.
    agent.onSwmlRequest(async (ctx) => {
      const tier = String(ctx.query.tier);
      agent.updateGlobalData({ tier, caller: ctx.call.from, prefs: { lang: String(ctx.query.lang) } });
      await pause();
      agent.promptAddSection({ title: 'Caller', body: `Caller ${ctx.call.from} has tier ${tier}.` });
    });
    const before = agent.renderSwml({ baseUrl: 'http://agent.test' });
    const { url, close } = await agent.serve({ handleSignals: false });
    try {
      expect((await storm(url)).length).toBeGreaterThan(0);
      expect(agent.renderSwml({ baseUrl: 'http://agent.test' })).not.toEqual(before);
    } finally {
      await close();
    }
  });
});

describe('AgentConfig copies', () => {
  it('clone() is deep: nested global_data, params, sections, hints and tools of the copy are independent', () => {
    const base = baseAgent();
    const copy = base.clone();
    copy
      .updateGlobalData({ prefs: { lang: 'fr' } })
      .setParam('end_of_speech_timeout', 900)
      .addHints(['copy']);
    copy.promptAddSection({ title: 'Copy', body: 'only here' }).removeTool('lookup');
    copy.defineTool('extra', 'Extra', undefined, () => 'x');
    expect(base.getGlobalData()).toEqual({ brand: 'acme', prefs: { lang: 'en' } });
    expect(base.getParams()).toEqual({ end_of_speech_timeout: 700 });
    expect(base.promptSectionTitles()).toEqual(['Rules']);
    expect(base.listTools().map((t) => t.name)).toEqual(['lookup']);
    expect(copy.listTools().map((t) => t.name)).toEqual(['extra']);
    const got = base.getGlobalData();
    (got.prefs as Record<string, unknown>).lang = 'xx';
    expect(base.getGlobalData()).toEqual({ brand: 'acme', prefs: { lang: 'en' } });
  });

  it('updateSwaigFields changes one function of a copy only: keys replaced, undefined removes, bad values named', () => {
    const base = baseAgent();
    base.updateSwaigFields('lookup', { wait_for_fillers: true });
    const copy = base.clone();
    expect(copy.updateSwaigFields('lookup', { fillers: { 'en-US': ['One moment'] }, wait_for_fillers: undefined, skip_fillers: false })).toBe(true);
    expect(copy.getTool('lookup')?.fields).toEqual({ fillers: { 'en-US': ['One moment'] }, skip_fillers: false });
    expect(base.getTool('lookup')?.fields).toEqual({ wait_for_fillers: true });
    expect(copy.updateSwaigFields('nope', { skip_fillers: true })).toBe(false);
    expect(() => copy.updateSwaigFields('lookup', { fillers: { en: ['a'], fr: ['b'] } })).toThrow(/swaigFields\.fillers/);
    expect(() => copy.updateSwaigFields('lookup', { wait_file: 'not a url' })).toThrow(/swaigFields\.wait_file/);
    expect(copy.getTool('lookup')?.fields).toEqual({ fillers: { 'en-US': ['One moment'] }, skip_fillers: false });
    const fn = aiOf(expectValidSwml(base.renderSwml())).SWAIG.functions[0];
    expect(fn.wait_for_fillers).toBe(true);
  });

  it('a handler that only reads the request costs no copy and still sees call facts and headers', async () => {
    const agent = baseAgent();
    const seen: Array<Pick<SwmlRequestContext, 'callId' | 'call'> & { ua: unknown }> = [];
    agent.onSwmlRequest((ctx) => void seen.push({ callId: ctx.callId, call: ctx.call, ua: ctx.headers['x-test'] }));
    const { url, close } = await agent.serve({ handleSignals: false });
    try {
      const body = {
        call: {
          call_id: 'c-9',
          from: 'sip:alice@example.com',
          to: 'sip:support@example.com',
          direction: 'inbound',
          type: 'sip',
          headers: [{ name: 'X-Account', value: '42' }],
        },
      };
      await fetch(url, { method: 'POST', headers: { authorization: basic, 'content-type': 'application/json', 'x-test': 'yes' }, body: JSON.stringify(body) });
    } finally {
      await close();
    }
    expect(seen).toEqual([
      {
        callId: 'c-9',
        call: {
          callId: 'c-9',
          from: 'sip:alice@example.com',
          to: 'sip:support@example.com',
          direction: 'inbound',
          type: 'sip',
          headers: { 'x-account': '42' },
        },
        ua: 'yes',
      },
    ]);
  });
});

describe('setDynamicConfigCallback (Python SDK style)', () => {
  it('runs for SWML and again for SWAIG requests, so a function added per request is callable with its query params', async () => {
    const agent = baseAgent();
    const kinds: string[] = [];
    agent.setDynamicConfigCallback((query, _body, _headers, config) => {
      kinds.push(typeof query.tier === 'string' ? `tier:${query.tier}` : 'none');
      if (query.tier !== 'gold') return;
      config.addSwaigQueryParams({ tier: 'gold' });
      config.defineTool('gold_lounge', 'Book the gold lounge', undefined, () => 'Lounge booked.');
    });
    const { url, close } = await agent.serve({ handleSignals: false });
    try {
      const swml = await fetch(`${url}?tier=gold`, {
        method: 'POST',
        headers: { authorization: basic, 'content-type': 'application/json' },
        body: '{"call":{"call_id":"gold-call"}}',
      });
      const ai = aiOf(expectValidSwml((await swml.json()) as never));
      const hook = new URL(ai.SWAIG.functions.find((f: { function: string }) => f.function === 'gold_lounge').web_hook_url);
      expect(hook.searchParams.get('tier')).toBe('gold');
      expect(hook.searchParams.get('__token')).toBeTruthy();
      expect(new URL(ai.SWAIG.defaults.web_hook_url).searchParams.get('tier')).toBe('gold');
      const envelope = JSON.stringify({ function: 'gold_lounge', call_id: 'gold-call', argument: { parsed: [{}] } });
      const call = (path: string) =>
        fetch(new URL(path, url), { method: 'POST', headers: { authorization: basic, 'content-type': 'application/json' }, body: envelope });
      expect(await (await call(hook.pathname + hook.search)).json()).toEqual({ response: 'Lounge booked.' });
      const withoutTier = new URL(hook.href);
      withoutTier.searchParams.delete('tier');
      expect(((await (await call(withoutTier.pathname + withoutTier.search)).json()) as { response: string }).response).toMatch(/gold_lounge is not available/);
      expect(kinds).toEqual(['tier:gold', 'tier:gold', 'none']);
      expect(agent.getTool('gold_lounge')).toBeUndefined();
    } finally {
      await close();
    }
  });
});
