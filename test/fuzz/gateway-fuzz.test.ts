/**
 * Fuzz test of the gateway: 10,000 malformed requests (bad JSON, wrong types, huge and odd ids, path tricks,
 * missing/wrong auth, wrong methods, huge headers, odd content types) over real HTTP, plus raw requests that
 * break HTTP itself. Deterministic seed. No answer may be 5xx, every error is JSON `{error, code}`, and the
 * gateway still answers /health afterwards.
 */
import { describe, expect, it } from 'vitest';
import { AUTH, startGateway, testConfig } from '../gateway/helpers.js';
import { tinyService } from '../gateway/hardening/helpers.js';
import { Random } from './random.js';
import { rawRequest, RAW_REQUESTS } from './raw-http.js';
import { fuzz, type FuzzRequest } from './runner.js';
import { authHeader, badJson, contentType, encode, extraHeaders, METHODS, ODD_STRINGS, oddValue } from './values.js';

const SEED = 0x5eed_0006;
const COUNT = 10_000;

const PATH_TRICKS = [
  '/services/%2e%2e/call',
  '/services/..%2fsessions/call',
  '/services/tiny%2Fcall',
  '//services',
  '/services//call',
  '/services/./tiny/tools',
  '/services/tiny/../../sessions',
  '/sessions/%00',
  '/sessions/..%2f..%2fetc%2fpasswd',
  '/services/%252e%252e/tools',
  '/services/tiny/tools/',
  '/services/tiny/call/',
  '/SERVICES',
  '/Services/tiny/tools',
  '/services/tiny/tools?x=1&x=2&__proto__[a]=1&constructor[prototype][b]=2',
  `/health?${'a'.repeat(8000)}`,
  `/${'a/'.repeat(2000)}`,
  '/services/%ff/tools',
  '/services/%E2%80%AE/tools',
  '/sessions/%F0%9F%98%80',
  '/%',
  '/services/%/call',
  '/sessions/%zz',
  '/services/tiny/call;jsessionid=1',
  '/services/tiny/call%00',
  '/services/tiny/call%20',
  '/services/tiny/call#frag',
  '*',
  '/.env',
  '/config.json',
  '/../config.json',
  '/services/__proto__/tools',
  '/services/constructor/call',
  '/sessions/__proto__',
  '/services/tools-probe/tools',
  '/services/tiny/tools/../call',
  '/services/\u00e9/tools',
];

function path(r: Random): string {
  const svc = (): string => r.pick(['tiny', 'tiny', 'tiny', 'nope', 'TINY', encode(r.pick(ODD_STRINGS)), 'a'.repeat(65), '-', 'x'.repeat(300)]);
  switch (r.int(9)) {
    case 0:
      return '/health';
    case 1:
      return '/services';
    case 2:
      return `/services/${svc()}/tools`;
    case 3:
    case 4:
      return `/services/${svc()}/call`;
    case 5:
      return '/sessions';
    case 6:
      return `/sessions/${r.chance(0.5) ? `fz-${r.int(4)}` : encode(String(oddValue(r)))}`;
    case 7:
      return r.pick(PATH_TRICKS);
    default:
      return `/${encode(r.string(r.int(30), 'abc/._-%~'))}`;
  }
}

function callBody(r: Random): string {
  switch (r.int(6)) {
    case 0:
      return JSON.stringify({ tool: 'ping', session_id: `fz-${r.int(4)}` });
    case 1:
      return badJson(r);
    case 2:
      return JSON.stringify({ tool: oddValue(r), arguments: oddValue(r), session_id: oddValue(r), timeout: oddValue(r), metadata: oddValue(r) });
    case 3:
      return JSON.stringify({ tool: r.pick(['ping', 'nope', 'PING']), session_id: r.pick(ODD_STRINGS), timeout: r.pick([-1, 0, 1e9, '30', 86_400]) });
    case 4:
      return JSON.stringify({ tool: 'ping', session_id: 'fz-0', service: r.pick(ODD_STRINGS), arguments: r.pick([[], 'x', 1, null, {}]) });
    default:
      return JSON.stringify(oddValue(r));
  }
}

function makeRequest(r: Random, i: number): FuzzRequest {
  const method = r.chance(0.55) ? r.pick(['GET', 'POST', 'DELETE']) : r.pick(METHODS);
  const headers: Record<string, string> = { ...extraHeaders(r) };
  const auth = authHeader(r, AUTH.authorization, 'admin');
  if (auth !== undefined) headers.authorization = auth;
  const type = contentType(r);
  if (type !== undefined) headers['content-type'] = type;
  // Three 11 MB bodies over the 10 MB limit (413), spread over the run.
  if (i % 3333 === 17)
    return {
      method: 'POST',
      path: '/services/tiny/call',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: `{"tool":"${'x'.repeat(11 * 1024 * 1024)}"}`,
    };
  // HEAD never carries a body (Node's own client cannot read the answer to one that does).
  const body = method === 'HEAD' || (method === 'GET' && r.chance(0.8)) ? undefined : callBody(r);
  if (body === undefined) delete headers['transfer-encoding'];
  return { method, path: path(r), headers, ...(body === undefined ? {} : { body }) };
}

describe('gateway fuzz', () => {
  it(`answers ${COUNT} malformed requests without a 5xx, always with a JSON {error, code}`, async () => {
    const raw = testConfig({ tiny: tinyService() });
    raw.session = { ...(raw.session as object), max_sessions_per_service: 10 };
    const gw = await startGateway(raw);
    try {
      const r = new Random(SEED);
      const report = await fuzz(gw.url, COUNT, 16, (i) => makeRequest(r, i));
      expect(report.problems.slice(0, 20)).toEqual([]);
      expect(report.sent + report.unsendable).toBe(COUNT);
      expect(report.sent).toBeGreaterThanOrEqual(COUNT * 0.98);
      // The run really exercised the error paths, not just one of them.
      for (const status of [200, 400, 401, 404, 405, 413, 415]) expect(report.statuses[status] ?? 0).toBeGreaterThan(0);
      console.info(`gateway fuzz: ${report.sent} sent, statuses ${JSON.stringify(report.statuses)}`);

      const port = Number(new URL(gw.url).port);
      const rawProblems: string[] = [];
      for (const request of RAW_REQUESTS) {
        const res = await rawRequest(port, request);
        if (res.status === 0 || res.status >= 500) rawProblems.push(`${res.status} for ${JSON.stringify(request.slice(0, 60))}: ${res.raw}`);
        else if (res.status >= 400 && !(/^application\/json/.test(res.contentType) && /"code"/.test(res.body) && /"error"/.test(res.body))) {
          rawProblems.push(`${res.status} not JSON for ${JSON.stringify(request.slice(0, 60))}: ${res.raw}`);
        }
      }
      expect(rawProblems).toEqual([]);

      const health = await fetch(`${gw.url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'healthy' });
      const works = await gw.call('tiny', { tool: 'ping', session_id: 'after-fuzz' });
      expect(await works.json()).toMatchObject({ result: 'pong', is_error: false });
    } finally {
      await gw.close();
    }
  });
});
