/**
 * Voice behaviour of the mcp_gateway skill against a fake gateway on loopback: fillers decided per render from
 * the latency the gateway reports (per language, bounded wait, cached), destructive tools confirmed before any
 * request, retries only for tools that say a repeat is harmless, and the voice params' validation.
 */
import type { ServerResponse } from 'node:http';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent, SkillError } from '../../../src/index.js';
import '../../../skills/mcp_gateway/index.js';
import { DEFAULT_FILLERS, fillerKey } from '../../../skills/mcp_gateway/voice/fillers.js';
import { expectValidSwml } from '../../helpers/swml-schema.js';
import { captureLogger } from './helpers/capture-logger.js';
import { callAnswer, json, startFakeGateway, type FakeGateway } from './helpers/fake-gateway.js';

const TOKEN = 'fake-gateway-token-123';
const AUTH = { user: 'agent', password: 'agent-pass' };
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const TOOLS = [
  { name: 'report', description: 'Build a report', inputSchema: { type: 'object', properties: {} }, annotations: { readOnlyHint: true } },
  {
    name: 'search',
    description: 'Search the web',
    inputSchema: { type: 'object', properties: { q: { type: 'string' } } },
    annotations: { openWorldHint: true, readOnlyHint: true },
  },
  { name: 'add', description: 'Add an item', inputSchema: { type: 'object', properties: { text: { type: 'string' } }, required: ['text'] } },
  {
    name: 'purge',
    title: 'Purge items',
    description: 'Remove items for good',
    inputSchema: { type: 'object', properties: { confirmed: { type: 'string', description: 'their own field' } } },
    annotations: { destructiveHint: true },
  },
  { name: 'reset', description: 'Reset settings', inputSchema: { type: 'object', properties: {} }, annotations: { destructiveHint: true } },
];

async function fakeGateway(latency: Array<{ tool: string; count: number; p95_ms: number }> = []): Promise<FakeGateway> {
  const tools = latency.map((t) => ({ ...t, p50_ms: t.p95_ms }));
  const gw = await startFakeGateway();
  cleanups.push(() => gw.close());
  gw.on('GET /services', (_r, res) => json(res, 200, { shop: { description: 'Shop', enabled: true, type: 'stdio' } }));
  gw.on('GET /services/shop/tools', (_r, res) => json(res, 200, { service: 'shop', tools: TOOLS }));
  gw.on('GET /services/shop/latency?window=600', (_r, res) => json(res, 200, { service: 'shop', window_seconds: 600, tools }));
  return gw;
}

async function agentWith(params: Record<string, unknown>, language?: string) {
  const { logger, lines } = captureLogger();
  const agent = new Agent({ name: 'Voice Test', basicAuth: AUTH, logger });
  cleanups.push(() => agent.close());
  if (language !== undefined) agent.addLanguage({ name: 'Lang', code: language, voice: 'rime.spore' });
  await agent.addSkill('mcp_gateway', params);
  return { agent, lines };
}

async function renderFunctions(agent: Agent, callId: string): Promise<Record<string, Record<string, unknown>>> {
  const res = await request(agent.app())
    .post('/')
    .auth(AUTH.user, AUTH.password)
    .send({ call: { call_id: callId } });
  expect(res.status).toBe(200);
  expectValidSwml(res.body);
  const ai = (res.body.sections.main as Array<Record<string, any>>).find((v) => v.ai)?.ai;
  return Object.fromEntries((ai.SWAIG.functions as Array<Record<string, unknown>>).map((f) => [f.function as string, f]));
}

const swaig = (fn: string, args: Record<string, unknown>) => ({
  function: fn,
  call_id: 'call-1',
  content_type: 'text/swaig',
  argument: { parsed: [args], raw: JSON.stringify(args), substituted: '' },
});

describe('fillers per render', () => {
  it('follows the measured p95 (with enough calls), else the hints; phrases in the agent language', async () => {
    const gw = await fakeGateway([
      { tool: 'report', count: 5, p95_ms: 2400 },
      { tool: 'search', count: 5, p95_ms: 120 },
      { tool: 'add', count: 2, p95_ms: 5000 },
    ]);
    const { agent } = await agentWith({ gateway_url: gw.url, auth_token: TOKEN, latency_max_age: 0 }, 'es');
    // The base config already follows what addSkill read.
    expect(agent.getTool('mcp_shop_report')?.fields).toMatchObject({ fillers: { es: [...(DEFAULT_FILLERS.es ?? [])] } });
    expect(agent.getTool('mcp_shop_search')?.fields).toEqual({ skip_fillers: true });
    const fns = await renderFunctions(agent, 'call-r1');
    expect(fns.mcp_shop_report).toMatchObject({ fillers: { es: [...(DEFAULT_FILLERS.es ?? [])] } });
    expect(fns.mcp_shop_report?.skip_fillers).toBeUndefined();
    expect(fns.mcp_shop_search).toMatchObject({ skip_fillers: true });
    expect(fns.mcp_shop_search?.fillers).toBeUndefined();
    // Two calls are too few to trust (filler_min_samples 3): the hint (none) still decides.
    expect(fns.mcp_shop_add).toMatchObject({ skip_fillers: true });
    expect(gw.requests.filter((r) => r.url.startsWith('/services/shop/latency')).length).toBe(2);
  });

  it('uses the hints before any measurement: openWorldHint or a slow override gets fillers', async () => {
    const gw = await fakeGateway();
    const { agent } = await agentWith({ gateway_url: gw.url, auth_token: TOKEN, tool_overrides: { 'shop.add': { slow: true } } }, 'es');
    expect(agent.getTool('mcp_shop_search')?.fields).toMatchObject({ fillers: { es: [...(DEFAULT_FILLERS.es ?? [])] } });
    expect(agent.getTool('mcp_shop_add')?.fields).toMatchObject({ fillers: { es: [...(DEFAULT_FILLERS.es ?? [])] } });
    expect(agent.getTool('mcp_shop_report')?.fields).toEqual({ skip_fillers: true });
  });

  it('keeps the snapshot for latency_max_age, and a gateway without the route leaves the hints in charge', async () => {
    const gw = await fakeGateway([{ tool: 'report', count: 9, p95_ms: 900 }]);
    const { agent } = await agentWith({
      gateway_url: gw.url,
      auth_token: TOKEN,
      latency_max_age: 3600,
      tool_overrides: { 'shop.report': { fillers: ['Building it now'] } },
    });
    const first = await renderFunctions(agent, 'call-m1');
    expect(first.mcp_shop_report).toMatchObject({ fillers: { default: ['Building it now'] } });
    await renderFunctions(agent, 'call-m2');
    expect(gw.requests.filter((r) => r.url.startsWith('/services/shop/latency')).length).toBe(1);

    const old = await startFakeGateway();
    cleanups.push(() => old.close());
    old.on('GET /services', (_r, res) => json(res, 200, { shop: { description: 'Shop', enabled: true } }));
    old.on('GET /services/shop/tools', (_r, res) => json(res, 200, { service: 'shop', tools: TOOLS }));
    const { agent: other } = await agentWith({ gateway_url: old.url, auth_token: TOKEN, latency_max_age: 0, filler_threshold_ms: 100 });
    const fns = await renderFunctions(other, 'call-m3');
    expect(fns.mcp_shop_search).toMatchObject({ fillers: { default: [...(DEFAULT_FILLERS.en ?? [])] } });
    expect(fns.mcp_shop_report).toMatchObject({ skip_fillers: true });
  });

  it('does not hold up a render when the gateway does not answer the latency request', async () => {
    const gw = await fakeGateway();
    const stuck: ServerResponse[] = [];
    // A render that waited for this answer would outlast the test timeout (request_timeout is longer).
    const { agent } = await agentWith({ gateway_url: gw.url, auth_token: TOKEN, latency_max_age: 0, request_timeout: 120 }, 'de-CH');
    gw.on('GET /services/shop/latency?window=600', (_r, res) => void stuck.push(res));
    cleanups.push(() => stuck.forEach((res) => res.destroy()));
    const fns = await renderFunctions(agent, 'call-s1');
    expect(stuck.length).toBe(1);
    expect(fns.mcp_shop_search).toMatchObject({ fillers: { 'de-CH': [...(DEFAULT_FILLERS.de ?? [])] } });
    expect(fns.mcp_shop_report).toMatchObject({ skip_fillers: true });
  });

  it('picks a fillers key the SWML schema allows', () => {
    expect(fillerKey('en-US')).toBe('en-US');
    expect(fillerKey('en-ZA')).toBe('en');
    expect(fillerKey('xx-YY')).toBeUndefined();
    expect(fillerKey(undefined)).toBe('default');
  });

  it('leaves the language fillers to a slow function when there are no phrases for the agent language', async () => {
    const gw = await fakeGateway();
    const { agent } = await agentWith({ gateway_url: gw.url, auth_token: TOKEN }, 'tr');
    expect(agent.getTool('mcp_shop_search')?.fields).toEqual({});
  });
});

describe('prompts as sections', () => {
  it('adds argument-free prompts with text at each render, unless skip_prompt or services[].prompts is false', async () => {
    const gw = await fakeGateway();
    gw.on('GET /services/shop/prompts', (_r, res) =>
      json(res, 200, {
        service: 'shop',
        prompts: [
          {
            name: 'tone',
            title: 'Tone of voice',
            messages: [
              { role: 'user', content: { type: 'text', text: 'Be warm.' } },
              { role: 'assistant', content: { type: 'image', data: 'AA==' } },
            ],
          },
          { name: 'needs_args', arguments: [{ name: 'x', required: true }] },
        ],
      }),
    );
    const pomOf = async (params: Record<string, unknown>) => {
      const { agent } = await agentWith({ gateway_url: gw.url, auth_token: TOKEN, latency_max_age: 0, ...params });
      const res = await request(agent.app())
        .post('/')
        .auth(AUTH.user, AUTH.password)
        .send({ call: { call_id: 'call-p' } });
      expectValidSwml(res.body);
      const ai = (res.body.sections.main as Array<Record<string, any>>).find((v) => v.ai)?.ai;
      return { pom: (ai.prompt.pom ?? []) as Array<{ title?: string; body?: string }>, base: agent.promptSectionTitles() };
    };
    const shown = await pomOf({});
    expect(shown.pom.filter((s) => s.title?.startsWith('shop: '))).toEqual([{ title: 'shop: Tone of voice', body: 'Be warm.' }]);
    expect(shown.base).toEqual(['MCP tools']);
    expect((await pomOf({ skip_prompt: true })).pom.some((s) => s.title?.startsWith('shop: '))).toBe(false);
    expect((await pomOf({ services: [{ name: 'shop', prompts: false }] })).pom.some((s) => s.title?.startsWith('shop: '))).toBe(false);
  });
});

describe('destructive tools', () => {
  it('need a confirmation argument (not clashing with their own) before anything reaches the gateway; opt-out per tool', async () => {
    const gw = await fakeGateway();
    gw.on('POST /services/shop/call', (r, res) =>
      json(res, 200, callAnswer(r, `ran ${(r.body as { tool: string }).tool} with ${JSON.stringify((r.body as { arguments: unknown }).arguments)}`)),
    );
    const { agent, lines } = await agentWith({ gateway_url: gw.url, auth_token: TOKEN, tool_overrides: { 'shop.reset': { confirm: false } } });
    const purge = agent.listTools().find((t) => t.name === 'mcp_shop_purge');
    expect(purge?.description).toMatch(/^\[shop\] Purge items: Remove items for good .*caller_confirmed set to true/);
    expect(purge?.parameters.required).toBeUndefined();
    expect(Object.keys(purge?.parameters.properties ?? {})).toEqual(['confirmed', 'caller_confirmed']);
    const reset = agent.listTools().find((t) => t.name === 'mcp_shop_reset');
    expect(reset?.description).not.toContain('confirm');
    expect(reset?.parameters.required).toBeUndefined();

    const calls = () => gw.requests.filter((r) => r.url === '/services/shop/call').length;
    for (const args of [{}, { caller_confirmed: false }, { confirmed: 'yes' }]) {
      expect((await agent.dispatchSwaig(swaig('mcp_shop_purge', args))).response).toMatch(
        /^I have not done that yet: to purge with the shop service I need the caller's confirmation/,
      );
    }
    // Not a boolean: the agent's argument check refuses it, naming the argument.
    expect((await agent.dispatchSwaig(swaig('mcp_shop_purge', { caller_confirmed: 'maybe' }))).response).toContain('caller_confirmed');
    expect(calls()).toBe(0);
    expect(lines.some((l) => l.includes('without the caller'))).toBe(true);
    expect((await agent.dispatchSwaig(swaig('mcp_shop_purge', { confirmed: 'own', caller_confirmed: true }))).response).toBe(
      'ran purge with {"confirmed":"own"}',
    );
    expect((await agent.dispatchSwaig(swaig('mcp_shop_reset', {}))).response).toBe('ran reset with {}');
    expect(calls()).toBe(2);
  });
});

describe('retries through the skill', () => {
  it('re-sends a 503 only for tools annotated readOnlyHint / idempotentHint', async () => {
    const gw = await fakeGateway();
    const seen: Record<string, number> = {};
    gw.on('POST /services/shop/call', (r, res) => {
      const tool = (r.body as { tool: string }).tool;
      seen[tool] = (seen[tool] ?? 0) + 1;
      if (seen[tool] === 1) json(res, 503, { error: 'busy', code: 'service_unavailable' });
      else json(res, 200, callAnswer(r, `${tool} done`));
    });
    const { agent } = await agentWith({ gateway_url: gw.url, auth_token: TOKEN, retry_attempts: 2 });
    expect((await agent.dispatchSwaig(swaig('mcp_shop_report', {}))).response).toBe('report done');
    expect((await agent.dispatchSwaig(swaig('mcp_shop_add', { text: 'x' }))).response).toBe('The shop service is unavailable right now.');
    expect(seen).toEqual({ report: 2, add: 1 });
  });
});

describe('voice params', () => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ filler_threshold_ms: -1 }, 'filler_threshold_ms'],
    [{ filler_wait_file: 'ftp://x/y.mp3' }, 'filler_wait_file'],
    [{ tool_overrides: { 'shop.add': { fillers: [] } } }, 'tool_overrides.shop.add.fillers'],
    [{ tool_overrides: { 'shop.add': { mute: true } } }, 'tool_overrides.shop.add.mute'],
    [{ tool_overrides: { 'shop.nope': { slow: true } } }, 'tool_overrides.shop.nope'],
    [{ services: [{ name: 'shop', global_data_resources: [''] }] }, 'services.0.global_data_resources.0'],
  ];
  it.each(cases)('rejects %j naming %s', async (params, field) => {
    const gw = await fakeGateway();
    const agent = new Agent({ name: 'P', basicAuth: AUTH, logger: captureLogger().logger });
    cleanups.push(() => agent.close());
    const err = await agent.addSkill('mcp_gateway', { gateway_url: gw.url, auth_token: TOKEN, ...params }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SkillError);
    expect((err as SkillError).field).toBe(field);
  });
});
