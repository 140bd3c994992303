/**
 * Fuzz test of the agent's HTTP surface, mostly `POST /swaig`: 10,000 malformed requests (broken envelopes,
 * wrong types, odd function names and call ids, prototype-pollution keys, path tricks, missing/wrong auth,
 * wrong methods, huge headers, odd content types) against an Agent with real tools, over real HTTP on
 * loopback. Deterministic seed. No 5xx, every error is JSON `{error, code}`, /health answers afterwards.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { Agent, SwaigResult } from '../../src/index.js';
import { Random } from './random.js';
import { fuzz, type FuzzRequest } from './runner.js';
import { authHeader, badJson, contentType, encode, extraHeaders, METHODS, ODD_STRINGS, oddValue } from './values.js';

const SEED = 0x5eed_a6e7;
const COUNT = 10_000;
const USER = 'fuzz';
const PASSWORD = 'fuzz-password-123';
const GOOD_AUTH = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

/** Tools are insecure here so the fuzzed envelopes reach their handlers (tokens have their own tests). */
function buildAgent(): Agent {
  const agent = new Agent({ name: 'fuzz-agent', basicAuth: { user: USER, password: PASSWORD }, maxBodyBytes: 1024 * 1024, logger: pino({ level: 'silent' }) });
  agent.setPrompt('You are a test agent.');
  agent.defineTool({
    name: 'get_weather',
    secure: false,
    description: 'Weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    handler: (args) => new SwaigResult(`Sunny in ${String(args.city)}`),
  });
  agent.defineTool({
    name: 'set_state',
    secure: false,
    description: 'Stores data',
    parameters: { type: 'object', properties: { key: { type: 'string' }, value: { type: 'string', description: 'Any value (the fuzz sends odd ones)' } } },
    handler: (args) => new SwaigResult('stored').setGlobalData({ [String(args.key)]: args.value }),
  });
  agent.defineTool({
    name: 'explode',
    secure: false,
    description: 'Always throws',
    handler: () => {
      throw new Error('kaboom with //user:pass@host and Bearer abc');
    },
  });
  return agent;
}

const FUNCTIONS = [
  'get_weather',
  'set_state',
  'explode',
  'nope',
  '',
  '1abc',
  'get-weather',
  'a'.repeat(129),
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'startup_hook',
  'hangup_hook',
];

function envelope(r: Random): unknown {
  switch (r.int(7)) {
    case 0:
      return {
        function: r.pick(['get_weather', 'set_state', 'explode']),
        call_id: String(oddValue(r)),
        argument: { parsed: [{ city: oddValue(r), key: r.pick(ODD_STRINGS), value: oddValue(r) }], raw: '{}' },
      };
    case 1:
      return { function: r.pick(FUNCTIONS), argument: oddValue(r), call_id: oddValue(r), meta_data: oddValue(r), global_data: oddValue(r) };
    case 2:
      return { function: 'get_weather', argument: { parsed: oddValue(r), raw: r.pick([badJson(r), '{"city":"x"}', '']), substituted: oddValue(r) } };
    case 3:
      return { function: oddValue(r), call_log: oddValue(r), channel_active: oddValue(r), purpose: oddValue(r) };
    case 4:
      return JSON.parse(
        `{"function":"set_state","__proto__":{"polluted":1},"argument":{"parsed":[{"key":"__proto__","value":{"polluted":2}}]},"constructor":{"prototype":{"x":1}}}`,
      );
    case 5:
      return { function: 'get_weather', call_id: 'x'.repeat(r.pick([10, 10_000, 100_000])), argument: { parsed: [{ city: '😀'.repeat(r.int(2000)) }] } };
    default:
      return oddValue(r);
  }
}

function body(r: Random): string {
  return r.chance(0.35) ? badJson(r) : JSON.stringify(envelope(r));
}

const PATHS = [
  '/swaig',
  '/swaig',
  '/swaig',
  '/swaig',
  '/swaig/',
  '/SWAIG',
  '//swaig',
  '/swaig/../swaig',
  '/%73waig',
  '/swaig%2f',
  '/swaig?function=x',
  '/swaig;x',
  '/./swaig',
  '/',
  '/post_prompt',
  '/health',
  '/ready',
  '/debug',
  '/%',
  '/swaig/%zz',
  `/swaig?${'q'.repeat(6000)}`,
  '/..%2f..%2fetc%2fpasswd',
];

function makeRequest(r: Random, i: number): FuzzRequest {
  const method = r.chance(0.7) ? 'POST' : r.pick(METHODS);
  const headers: Record<string, string> = { ...extraHeaders(r) };
  const auth = authHeader(r, GOOD_AUTH, USER);
  if (auth !== undefined) headers.authorization = auth;
  const type = contentType(r);
  if (type !== undefined) headers['content-type'] = type;
  // Over the 1 MiB limit this agent is built with (413); the default limit is 10 MiB.
  if (i % 3333 === 29)
    return {
      method: 'POST',
      path: '/swaig',
      headers: { authorization: GOOD_AUTH, 'content-type': 'application/json' },
      body: `{"function":"${'x'.repeat(2 * 1024 * 1024)}"}`,
    };
  let path = r.chance(0.85) ? r.pick(PATHS) : `/${encode(String(oddValue(r)))}`;
  // Stay under Node's 16 KB header limit: above it Node answers 431 itself before the app sees anything
  // (the gateway's listener turns that into JSON; a bare http.createServer(agent.app()) cannot).
  if (headers['x-junk'] !== undefined) {
    headers['x-junk'] = 'j'.repeat(8000);
    if (path.length > 1000) path = '/swaig';
  }
  const withBody = method !== 'HEAD' && (method !== 'GET' || r.chance(0.2));
  if (!withBody) delete headers['transfer-encoding'];
  return { method, path, headers, ...(withBody ? { body: body(r) } : {}) };
}

describe('agent /swaig fuzz', () => {
  it(`answers ${COUNT} malformed requests without a 5xx, always with a JSON {error, code}`, async () => {
    const agent = buildAgent();
    const server = createServer(agent.app());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const r = new Random(SEED);
      const report = await fuzz(url, COUNT, 16, (i) => makeRequest(r, i));
      expect(report.problems.slice(0, 20)).toEqual([]);
      expect(report.sent).toBeGreaterThanOrEqual(COUNT * 0.98);
      for (const status of [200, 400, 401, 404, 405, 413, 415]) expect(report.statuses[status] ?? 0).toBeGreaterThan(0);
      console.info(`agent fuzz: ${report.sent} sent, statuses ${JSON.stringify(report.statuses)}`);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();

      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      const ok = await fetch(`${url}/swaig`, {
        method: 'POST',
        headers: { authorization: GOOD_AUTH, 'content-type': 'application/json' },
        body: JSON.stringify({ function: 'get_weather', argument: { parsed: [{ city: 'Tulsa' }] } }),
      });
      expect(await ok.json()).toMatchObject({ response: 'Sunny in Tulsa' });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
