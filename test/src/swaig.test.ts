import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { Agent, SwaigResult, ToolError, extractArgs, type SwaigRequest } from '../../src/index.js';
import { safeErrorMessage } from '../../src/swaig/dispatch.js';
import { AUTH, captureLogger, fixture, silentLogger, TOKEN_SECRET, withToken } from './helpers/agent.js';

const weatherParams = { type: 'object', properties: { city: { type: 'string', description: 'City' } }, required: ['city'] };

function weatherAgent(logger = silentLogger()) {
  const calls: Array<{ args: Record<string, unknown>; request: SwaigRequest }> = [];
  const agent = new Agent({ name: 'swaig', basicAuth: AUTH, tokenSecret: TOKEN_SECRET, logger }).defineTool(
    'get_weather',
    'Get weather for a city',
    weatherParams,
    (args, req) => {
      calls.push({ args, request: req });
      return new SwaigResult(`It is sunny in ${String(args.city)}.`).setGlobalData({ last_city: args.city });
    },
  );
  return { agent, calls, app: agent.app() };
}

/** Posts like the platform: the function's per-call token in the query (see withToken). */
const post = (app: Express.Application, body: unknown, path = '/swaig') => {
  const signed = withToken(path, body);
  return request(app as never)
    .post(signed.path)
    .auth(AUTH.user, AUTH.password)
    .send(signed.body as object);
};

describe('POST /swaig with the platform envelope', () => {
  it('runs the handler with parsed args and the full envelope, and returns its result (signalwire-protocol.md §2.1)', async () => {
    const { app, calls } = weatherAgent();
    const body = fixture('swaig-call.json');
    const res = await post(app, body);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ response: 'It is sunny in Tulsa.', action: [{ set_global_data: { last_city: 'Tulsa' } }] });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args).toEqual({ city: 'Tulsa' });
    expect(calls[0]!.request).toEqual(body); // unknown keys (argument_desc, purpose…) kept
    expect(calls[0]!.request.call_id).toBe('8b1a0c2e-3333-4f4f-a000-swaigcall0001');
    expect(calls[0]!.request.global_data).toEqual({ tier: 'gold' });
  });

  it('serves /swaig/ with a trailing slash too', async () => {
    const res = await post(weatherAgent().app, fixture('swaig-call.json'), '/swaig/');
    expect(res.status).toBe(200);
    expect(res.body.response).toBe('It is sunny in Tulsa.');
  });

  it('parses arguments from argument.raw when parsed is absent or empty', async () => {
    const { app, calls } = weatherAgent();
    await post(app, { function: 'get_weather', argument: { raw: '{"city":"Austin"}' } });
    await post(app, { function: 'get_weather', argument: { parsed: [], raw: '{\n "city": "Boise"\n}', substituted: '' } });
    expect(calls.map((c) => c.args)).toEqual([{ city: 'Austin' }, { city: 'Boise' }]);
  });

  it('gives {} for missing, non-JSON or non-object arguments', async () => {
    const calls: Array<Record<string, unknown>> = [];
    const agent = new Agent({ name: 'swaig', basicAuth: AUTH, tokenSecret: TOKEN_SECRET, logger: silentLogger() });
    agent.defineTool('ping', 'Ping', { type: 'object', properties: { note: { type: 'string' } } }, (args) => void calls.push(args));
    const app = agent.app();
    for (const argument of [undefined, { raw: 'not json' }, { raw: '[1,2]' }, { parsed: ['text'] }, { raw: '"str"' }]) {
      const res = await post(app, { function: 'ping', ...(argument ? { argument } : {}) });
      expect(res.status).toBe(200);
    }
    expect(calls).toEqual([{}, {}, {}, {}, {}]);
  });

  it('checks the arguments against the declared parameters: 200 naming the field, handler not run', async () => {
    const { logger, lines } = captureLogger();
    const { app, calls } = weatherAgent(logger);
    const cases: Array<[unknown, RegExp]> = [
      [{}, /the argument city is required\. Call it again with city corrected/],
      [{ city: 42 }, /the argument city must be string/],
    ];
    for (const [args, said] of cases) {
      const res = await post(app, { function: 'get_weather', call_id: 'c-1', argument: { parsed: [args] } });
      expect(res.status).toBe(200);
      expect(res.body.response).toMatch(said);
    }
    expect(calls).toEqual([]);
    expect(lines.find((l) => l.msg === 'SWAIG arguments do not match the parameters')).toMatchObject({
      function: 'get_weather',
      field: 'city',
      call_id: 'c-1',
    });
    const ok = await post(app, { function: 'get_weather', call_id: 'c-1', argument: { parsed: [{ city: 'Oslo' }] } });
    expect(ok.body.response).toBe('It is sunny in Oslo.');
    expect(calls).toHaveLength(1);
  });

  it('names nested fields and enum choices', async () => {
    const calls: unknown[] = [];
    const agent = new Agent({ name: 'swaig', basicAuth: AUTH, tokenSecret: TOKEN_SECRET, logger: silentLogger() });
    const params = {
      type: 'object',
      properties: {
        priority: { type: 'string', enum: ['low', 'high'] },
        items: { type: 'array', items: { type: 'object', properties: { qty: { type: 'integer' } }, required: ['qty'] } },
      },
    };
    agent.defineTool('order', 'Order', params, (args) => void calls.push(args));
    const app = agent.app();
    const said = async (args: unknown) => (await post(app, { function: 'order', argument: { parsed: [args] } })).body.response as string;
    expect(await said({ priority: 'urgent' })).toContain('the argument priority must be one of "low", "high"');
    expect(await said({ items: [{ qty: 'two' }] })).toContain('the argument items.0.qty must be integer');
    expect(await said({ items: [{}] })).toContain('the argument items.0.qty is required');
    expect(calls).toEqual([]);
    expect(await said({ priority: 'low', items: [{ qty: 2 }] })).toBe('Function executed successfully.');
    expect(calls).toHaveLength(1);
  });

  it('compiles the check once, at definition, and refuses parameters ajv cannot compile', () => {
    const agent = new Agent({ name: 'swaig', basicAuth: AUTH, logger: silentLogger() });
    expect(() => agent.defineTool('bad', 'Bad', { type: 'object', properties: { x: { type: 'nonsense' } } }, () => 'x')).toThrow(/Tool 'bad': parameters/);
  });

  it('extractArgs prefers parsed[0] over raw', () => {
    expect(extractArgs({ argument: { parsed: [{ a: 1 }], raw: '{"a":2}' } })).toEqual({ a: 1 });
  });
});

describe('handler results', () => {
  const cases: Array<[string, () => unknown, unknown]> = [
    ['a string', () => 'plain text', { response: 'plain text' }],
    ['nothing', () => undefined, { response: 'Function executed successfully.' }],
    [
      'a SwaigResult with post_process',
      () => new SwaigResult('Bye').hangup().setPostProcess(true),
      { response: 'Bye', action: [{ hangup: true }], post_process: true },
    ],
    ['a wire object', () => ({ response: 'raw', action: [{ say: 'x' }] }), { response: 'raw', action: [{ say: 'x' }] }],
    ['a promise', async () => 'later', { response: 'later' }],
  ];
  it.each(cases)('returns %s', async (_label, handler, expected) => {
    const agent = new Agent({ name: 'r', basicAuth: AUTH, tokenSecret: TOKEN_SECRET, logger: silentLogger() }).defineTool(
      't',
      'd',
      undefined,
      handler as never,
    );
    const res = await post(agent.app(), { function: 't' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(expected);
  });

  it('a throwing handler → 200 with a failure message, logged with the call id', async () => {
    const { logger, lines } = captureLogger();
    const agent = new Agent({ name: 'r', basicAuth: AUTH, tokenSecret: TOKEN_SECRET, logger }).defineTool('book_room', 'Book', undefined, () => {
      throw new Error('upstream said no\n    at secret/stack/frame.js:1:1');
    });
    const res = await post(agent.app(), { function: 'book_room', call_id: 'call-42', argument: { parsed: [{}] } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ response: 'The book_room tool failed: upstream said no. Tell the caller it could not be completed.' });
    const logged = lines.find((l) => l.msg === 'SWAIG function handler failed');
    expect(logged).toMatchObject({ call_id: 'call-42', function: 'book_room', level: 50 });
  });

  it('a ToolError message is passed verbatim; other messages are redacted and truncated', async () => {
    const agent = new Agent({ name: 'r', basicAuth: AUTH, tokenSecret: TOKEN_SECRET, logger: silentLogger() }).defineTool('t', 'd', undefined, async () => {
      throw new ToolError('The room is already booked');
    });
    expect((await post(agent.app(), { function: 't' })).body.response).toBe(
      'The t tool failed: The room is already booked. Tell the caller it could not be completed.',
    );
    expect(safeErrorMessage(new Error('fetch http://user:pw@host/x failed'))).toBe('fetch http://***@host/x failed');
    expect(safeErrorMessage(new Error('x'.repeat(500))).length).toBeLessThanOrEqual(160);
  });
});

describe('envelope fields', () => {
  it('accepts null in optional fields (meta_data, global_data, call_log, caller fields) and hands the handler undefined', async () => {
    const { app, calls } = weatherAgent();
    const body = {
      ...fixture<Record<string, unknown>>('swaig-call.json'),
      meta_data: null,
      global_data: null,
      call_log: null,
      caller_id_name: null,
      meta_data_token: null,
    };
    const res = await post(app, body);
    expect(res.status).toBe(200);
    expect(res.body.response).toBe('It is sunny in Tulsa.');
    expect(calls[0]!.request.meta_data).toBeUndefined();
    expect(calls[0]!.request.global_data).toBeUndefined();
  });

  it('still refuses a wrongly typed optional field, naming it', async () => {
    const res = await post(weatherAgent().app, { ...fixture<Record<string, unknown>>('swaig-call.json'), global_data: 'gold' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_request', field: 'global_data' });
  });

  it('an actions-only handler result is sent without a response', async () => {
    const agent = new Agent({ name: 'r', basicAuth: AUTH, tokenSecret: TOKEN_SECRET, logger: silentLogger() }).defineTool('bye', 'Hang up', undefined, () =>
      new SwaigResult().hangup(),
    );
    expect((await post(agent.app(), { function: 'bye' })).body).toEqual({ action: [{ hangup: true }] });
  });
});

describe('envelope errors', () => {
  it('an unknown function answers 200 with a sayable response and a log line (not a 404 the AI cannot use)', async () => {
    const { logger, lines } = captureLogger();
    const res = await post(weatherAgent(logger).app, { ...fixture<Record<string, unknown>>('swaig-call.json'), function: 'get_stock' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ response: 'The function get_stock is not available. Tell the caller this action cannot be done right now.' });
    expect(lines.find((l) => l.function === 'get_stock')).toMatchObject({ level: 40, call_id: '8b1a0c2e-3333-4f4f-a000-swaigcall0001' });
  });

  it.each([
    ['missing', {}, 'function'],
    ['not a string', { function: 42 }, 'function'],
    ['bad characters', { function: 'get-weather' }, 'function'],
    ['leading digit', { function: '1abc' }, 'function'],
    ['too long', { function: `a${'b'.repeat(128)}` }, 'function'],
  ])('400 when function is %s', async (_label, body, field) => {
    const res = await post(weatherAgent().app, body);
    expect(res.status).toBe(400);
    expect(res.body.field).toBe(field);
    expect(res.body.code).toBe('invalid_function_name');
  });

  it('400 naming a badly typed envelope field', async () => {
    const res = await post(weatherAgent().app, { function: 'get_weather', argument: { parsed: 'nope' } });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_request', field: 'argument.parsed' });
  });

  it('400 for a JSON array body', async () => {
    const res = await post(weatherAgent().app, [{ function: 'get_weather' }]);
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('function');
  });

  it('dispatchSwaig runs the same path in-process', async () => {
    const { agent } = weatherAgent();
    await expect(agent.dispatchSwaig(fixture('swaig-call.json'))).resolves.toMatchObject({ response: 'It is sunny in Tulsa.' });
    await expect(agent.dispatchSwaig({ function: 'nope' })).resolves.toMatchObject({ response: expect.stringContaining('nope is not available') });
    await expect(agent.dispatchSwaig({ function: 'bad-name' })).rejects.toMatchObject({ status: 400, code: 'invalid_function_name' });
  });
});
