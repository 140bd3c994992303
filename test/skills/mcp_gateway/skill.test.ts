import { afterEach, describe, expect, it } from 'vitest';
import request from 'supertest';
import { Agent, SkillError } from '../../../src/index.js';
import '../../../skills/mcp_gateway/index.js';
import { waitFor } from '../../helpers/net.js';
import { captureLogger } from './helpers/capture-logger.js';
import { json, startFakeGateway, type FakeGateway } from './helpers/fake-gateway.js';
import { expectValidFunctionParameters } from '../../helpers/swml-schema.js';

const TOKEN = 'fake-gateway-token-123';
const AUTH = { user: 'agent', password: 'agent-pass' };
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const TOOLS = [
  {
    name: 'add_todo',
    description: 'Add a new todo item',
    inputSchema: {
      type: 'object',
      properties: { text: { type: 'string' }, tags: { type: 'array', items: { type: 'string' }, minItems: 1 } },
      required: ['text'],
    },
    annotations: { readOnlyHint: false, idempotentHint: false },
  },
  { name: 'list-todos', description: 'List todos', inputSchema: { type: 'object', properties: {} }, annotations: { readOnlyHint: true } },
  { name: 'wipe', description: 'Delete everything', inputSchema: { type: 'object' }, annotations: { destructiveHint: true } },
];

async function fakeTodoGateway(): Promise<FakeGateway> {
  const gw = await startFakeGateway();
  cleanups.push(() => gw.close());
  gw.on('GET /services', (_r, res) =>
    json(res, 200, { todo: { description: 'Simple todo list', enabled: true, type: 'stdio' }, off: { description: 'x', enabled: false } }),
  );
  gw.on('GET /services/todo/tools', (_r, res) => json(res, 200, { service: 'todo', tools: TOOLS }));
  return gw;
}

async function agentWith(params: Record<string, unknown>) {
  const { logger, lines } = captureLogger();
  const agent = new Agent({ name: 'Skill Test', basicAuth: AUTH, logger });
  cleanups.push(() => agent.close());
  await agent.addSkill('mcp_gateway', params);
  return { agent, lines };
}

const swaig = (fn: string, args: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  function: fn,
  call_id: 'call-1',
  ai_session_id: 'ai-1',
  content_type: 'text/swaig',
  argument: { parsed: [args], raw: JSON.stringify(args), substituted: '' },
  ...extra,
});

describe('mcp_gateway params', () => {
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ gateway_url: 'http://127.0.0.1:1' }, 'auth_token'],
    [{ gateway_url: 'http://127.0.0.1:1', auth_user: 'u' }, 'auth_password'],
    [{ gateway_url: 'http://127.0.0.1:1', auth_password: 'p' }, 'auth_user'],
    [{ gateway_url: 'http://127.0.0.1:1', auth_token: 't', auth_user: 'u', auth_password: 'p' }, 'auth_token'],
    [{ gateway_url: 'ftp://x', auth_token: 't' }, 'gateway_url'],
    [{ gateway_url: 'http://x', auth_token: 't', gateway: 'embedded' }, 'gateway'],
    [{ auth_token: 't' }, 'auth_token'],
    [{ gateway: 'remote' }, 'gateway'],
    [{ services: [{ name: 'a b' }] }, 'services.0.name'],
    [{ services: [{ name: 'a' }, { name: 'a' }] }, 'services.1.name'],
    [{ services: [{ name: 'a', tools: [] }] }, 'services.0.tools'],
    [{ retry_attempts: -1 }, 'retry_attempts'],
    [{ tool_prefix: 'mcp-' }, 'tool_prefix'],
    [{ gatway_url: 'http://x' }, '(params)'],
  ];
  it.each(cases)('rejects %j naming %s', async (params, field) => {
    const agent = new Agent({ name: 'P', basicAuth: AUTH, logger: captureLogger().logger });
    const err = await agent.addSkill('mcp_gateway', params).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SkillError);
    if (field !== '(params)') expect((err as SkillError).field).toBe(field);
    else expect((err as Error).message).toContain('gatway_url');
  });
});

describe('mcp_gateway skill against a fake gateway', () => {
  it('registers one function per tool with full parameters, and no secrets in global_data or logs', async () => {
    const gw = await fakeTodoGateway();
    const { agent, lines } = await agentWith({ gateway_url: gw.url, auth_token: TOKEN });
    const tools = agent.listTools().filter((t) => t.kind === 'tool');
    expect(tools.map((t) => t.name)).toEqual(['mcp_todo_add_todo', 'mcp_todo_list_todos', 'mcp_todo_wipe']);
    expect(tools[0]?.description).toBe('[todo] Add a new todo item');
    expect(tools[0]?.parameters).toEqual({
      type: 'object',
      properties: { text: { type: 'string' }, tags: { type: 'array', items: { type: 'string' }, description: '(at least 1 item)' } },
      required: ['text'],
    });
    expect(tools[2]?.description).toContain('confirm with the caller');
    for (const t of tools) expectValidFunctionParameters(t.parameters, t.name);

    const swml = JSON.stringify(agent.renderSwml());
    const ai = (agent.renderSwml().sections.main as Array<Record<string, any>>).find((v) => v.ai)?.ai;
    expect(ai.global_data).toEqual({ mcp_gateway: { services: ['todo'] } });
    expect(ai.hints).toEqual(expect.arrayContaining(['todo', 'MCP']));
    expect(JSON.stringify(ai.prompt)).toContain('MCP tools');
    expect(JSON.stringify(ai.prompt)).toContain('todo: Simple todo list');
    expect(swml).not.toContain(TOKEN);
    expect(swml).not.toContain(gw.url);
    expect(lines.join('\n')).not.toContain(TOKEN);
    expect(agent.listTools().some((t) => t.name === 'hangup_hook')).toBe(true);
  });

  it('honours skip_prompt and tools filters; a tool the service lacks fails addSkill naming the field', async () => {
    const gw = await fakeTodoGateway();
    const { agent } = await agentWith({
      gateway_url: gw.url,
      auth_token: TOKEN,
      skip_prompt: true,
      services: [{ name: 'todo', tools: ['wipe'] }],
      tool_prefix: 'x_',
    });
    expect(
      agent
        .listTools()
        .filter((t) => t.kind === 'tool')
        .map((t) => t.name),
    ).toEqual(['x_todo_wipe']);
    expect(JSON.stringify(agent.renderSwml())).not.toContain('MCP tools');
    const other = new Agent({ name: 'Q', basicAuth: AUTH, logger: captureLogger().logger });
    cleanups.push(() => other.close());
    const bad = await other
      .addSkill('mcp_gateway', { gateway_url: gw.url, auth_token: TOKEN, services: [{ name: 'todo', tools: ['nope'] }] })
      .catch((e: unknown) => e);
    expect((bad as SkillError).field).toBe('services.0.tools');
    expect((bad as Error).message).toContain('add_todo');
    expect(other.listTools().filter((t) => t.kind === 'tool')).toEqual([]);
  });

  it('starts without a service the gateway does not have yet, says so, and adds its tools when it appears', async () => {
    const gw = await fakeTodoGateway();
    const { logger, lines } = captureLogger();
    const agent = new Agent({ name: 'Late', basicAuth: AUTH, logger });
    cleanups.push(() => agent.close());
    const skill = (await agent.addSkill('mcp_gateway', {
      gateway_url: gw.url,
      auth_token: TOKEN,
      services: [{ name: 'todo', tools: ['wipe'] }, { name: 'calendar' }],
      rediscover_max_interval: 0.2,
    })) as unknown as { pendingServices: string[] };
    const tools = () =>
      agent
        .listTools()
        .filter((t) => t.kind === 'tool')
        .map((t) => t.name);
    expect(tools()).toEqual(['mcp_todo_wipe']);
    expect(skill.pendingServices).toEqual(['calendar']);
    const warned = lines.map((l) => JSON.parse(l) as { msg?: string; service?: string; reason?: string }).find((l) => l.service === 'calendar');
    expect(warned?.msg).toContain('not available at start-up');
    expect(warned?.reason).toContain('the gateway has no service "calendar"');
    gw.on('GET /services', (_r, res) =>
      json(res, 200, { todo: { description: 'Simple todo list', enabled: true }, calendar: { description: 'Dates', enabled: true } }),
    );
    gw.on('GET /services/calendar/tools', (_r, res) =>
      json(res, 200, { service: 'calendar', tools: [{ name: 'next_meeting', description: 'Next meeting', inputSchema: { type: 'object' } }] }),
    );
    await waitFor(() => tools().includes('mcp_calendar_next_meeting'), 'the calendar tools to be added', 5_000);
    expect(skill.pendingServices).toEqual([]);
    const swml = JSON.stringify(agent.renderSwml());
    expect(swml).toContain('mcp_calendar_next_meeting');
    expect(swml).toContain('calendar: Dates');
  });

  it('takes remote credentials from MCP_GATEWAY_AUTH_TOKEN when none are given', async () => {
    const gw = await fakeTodoGateway();
    process.env.MCP_GATEWAY_AUTH_TOKEN = 'from-env-token';
    try {
      await agentWith({ gateway_url: gw.url });
    } finally {
      delete process.env.MCP_GATEWAY_AUTH_TOKEN;
    }
    expect(gw.requests[0]?.headers.authorization).toBe('Bearer from-env-token');
  });

  it('fails addSkill clearly when the gateway is down or refuses the credentials', async () => {
    const gw = await fakeTodoGateway();
    gw.on('GET /services', (_r, res) => json(res, 401, { error: 'Unauthorized', code: 'unauthorized' }));
    const agent = new Agent({ name: 'R', basicAuth: AUTH, logger: captureLogger().logger });
    const err = await agent.addSkill('mcp_gateway', { gateway_url: gw.url, auth_token: 'wrong' }).catch((e: unknown) => e);
    expect((err as SkillError).field).toBe('gateway_url');
    expect((err as Error).message).toContain('401');
    expect((err as Error).message).not.toContain('wrong');
  });

  it('calls the gateway with the call session and turns tool errors into speech', async () => {
    const gw = await fakeTodoGateway();
    gw.on('POST /services/todo/call', (r, res) => {
      const body = r.body as { tool: string; arguments: { text?: string } };
      if (body.arguments.text === 'bad')
        json(res, 200, { session_id: 'call-1', service: 'todo', tool: body.tool, result: 'text must not be "bad"', is_error: true });
      else json(res, 200, { session_id: 'call-1', service: 'todo', tool: body.tool, result: `Added: ${body.arguments.text}`, is_error: false });
    });
    const { agent } = await agentWith({ gateway_url: gw.url, auth_token: TOKEN, session_timeout: 120 });
    expect(await agent.dispatchSwaig(swaig('mcp_todo_add_todo', { text: 'milk' }))).toEqual({ response: 'Added: milk' });
    expect(gw.requests.at(-1)?.body).toEqual({
      tool: 'add_todo',
      arguments: { text: 'milk' },
      session_id: 'call-1',
      timeout: 120,
      metadata: { agent: 'Skill Test', call_id: 'call-1', ai_session_id: 'ai-1' },
    });
    expect(gw.requests.at(-1)?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(await agent.dispatchSwaig(swaig('mcp_todo_add_todo', { text: 'bad' }))).toEqual({
      response: 'The todo service could not add todo: text must not be "bad"',
    });
    await agent.dispatchSwaig(swaig('mcp_todo_add_todo', { text: 'x' }, { global_data: { mcp_call_id: 'shared-call' } }));
    expect((gw.requests.at(-1)?.body as { session_id: string }).session_id).toBe('shared-call');
    await agent.dispatchSwaig(swaig('mcp_todo_add_todo', { text: 'x' }, { call_id: 'sip:weird id/1' }));
    expect((gw.requests.at(-1)?.body as { session_id: string }).session_id).toMatch(/^h-[0-9a-f]{40}$/);
  });

  it('says the service is unavailable when the gateway goes away mid-call', async () => {
    const gw = await fakeTodoGateway();
    const { agent } = await agentWith({ gateway_url: gw.url, auth_token: TOKEN, retry_attempts: 1 });
    await gw.close();
    expect(await agent.dispatchSwaig(swaig('mcp_todo_add_todo', { text: 'milk' }))).toEqual({
      response: 'The todo service is unavailable right now.',
    });
  });

  it('answers the hangup hook before the session DELETE completes, then deletes', async () => {
    const gw = await fakeTodoGateway();
    let release: (() => void) | undefined;
    gw.on('DELETE /sessions/call-9', (_r, res) => {
      release = () => json(res, 200, { message: 'Session call-9 closed', session_id: 'call-9', closed: 1 });
    });
    const { agent } = await agentWith({ gateway_url: gw.url, auth_token: TOKEN, request_timeout: 600 });
    const reply = await agent.dispatchSwaig(swaig('hangup_hook', {}, { call_id: 'call-9' }));
    expect(reply.response).toContain('Closing MCP sessions');
    await waitFor(() => release !== undefined, 'the session DELETE to arrive', 10_000);
    expect(gw.requests.filter((r) => r.method === 'DELETE').map((r) => r.url)).toEqual(['/sessions/call-9']);
    release?.();
  });

  it('warms the call session on a SWML fetch and tolerates a gateway without the endpoint', async () => {
    const gw = await fakeTodoGateway();
    const { agent } = await agentWith({ gateway_url: gw.url, auth_token: TOKEN });
    const res = await request(agent.app())
      .post('/')
      .auth(AUTH.user, AUTH.password)
      .send({ call: { call_id: 'call-w' } });
    expect(res.status).toBe(200);
    await waitFor(() => gw.requests.some((r) => r.url === '/sessions/call-w/warm'), 'the warm request', 10_000);
    const warm = gw.requests.find((r) => r.url === '/sessions/call-w/warm');
    expect(warm?.body).toEqual({ services: ['todo'], timeout: 300 });
  });

  it('warms, calls and hangs up under one key when global_data carries mcp_call_id', async () => {
    const gw = await fakeTodoGateway();
    gw.on('POST /services/todo/call', (_r, res) => json(res, 200, { session_id: 'conf-7', service: 'todo', tool: 'add_todo', result: 'ok', is_error: false }));
    gw.on('DELETE /sessions/conf-7', (_r, res) => json(res, 200, { session_id: 'conf-7', closed: 1 }));
    const { agent } = await agentWith({ gateway_url: gw.url, auth_token: TOKEN });
    agent.setGlobalData({ mcp_call_id: 'conf-7' });
    const res = await request(agent.app())
      .post('/')
      .auth(AUTH.user, AUTH.password)
      .send({ call: { call_id: 'call-raw' } });
    expect(res.status).toBe(200);
    await waitFor(() => gw.requests.some((r) => r.url.endsWith('/warm')), 'the warm request', 10_000);
    const globalData = { mcp_call_id: 'conf-7' };
    await agent.dispatchSwaig(swaig('mcp_todo_add_todo', { text: 'milk' }, { call_id: 'call-raw', global_data: globalData }));
    await agent.dispatchSwaig(swaig('hangup_hook', {}, { call_id: 'call-raw', global_data: globalData }));
    await waitFor(() => gw.requests.some((r) => r.method === 'DELETE'), 'the session DELETE', 10_000);
    const keys = gw.requests
      .filter((r) => r.method !== 'GET')
      .map((r) => (r.method === 'POST' && r.url.startsWith('/services') ? (r.body as { session_id: string }).session_id : r.url));
    expect(keys).toEqual(['/sessions/conf-7/warm', 'conf-7', '/sessions/conf-7']);
  });

  it('sends the session id in X-MCP-Session-Id on warm, call and hangup, so a balancer can pin the session', async () => {
    const gw = await fakeTodoGateway();
    gw.on('POST /services/todo/call', (_r, res) =>
      json(res, 200, { session_id: 'call-h', service: 'todo', tool: 'list_todos', result: 'ok', is_error: false }),
    );
    gw.on('DELETE /sessions/call-h', (_r, res) => json(res, 200, { session_id: 'call-h', closed: 1 }));
    const { agent } = await agentWith({ gateway_url: gw.url, auth_token: TOKEN });
    await request(agent.app())
      .post('/')
      .auth(AUTH.user, AUTH.password)
      .send({ call: { call_id: 'call-h' } });
    await agent.dispatchSwaig(swaig('mcp_todo_list_todos', {}, { call_id: 'call-h' }));
    await agent.dispatchSwaig(swaig('hangup_hook', {}, { call_id: 'call-h' }));
    await waitFor(() => gw.requests.some((r) => r.method === 'DELETE'), 'the session DELETE', 10_000);
    const sessionRequests = gw.requests.filter((r) => r.url.includes('/call') || r.url.includes('/sessions/'));
    expect(sessionRequests.map((r) => `${r.method} ${r.url}`).sort()).toEqual([
      'DELETE /sessions/call-h',
      'POST /services/todo/call',
      'POST /sessions/call-h/warm',
    ]);
    for (const r of sessionRequests) expect(r.headers['x-mcp-session-id']).toBe('call-h');
  });

  it('does not warm with warm_sessions false', async () => {
    const gw = await fakeTodoGateway();
    const { agent } = await agentWith({ gateway_url: gw.url, auth_token: TOKEN, warm_sessions: false });
    const res = await request(agent.app())
      .post('/')
      .auth(AUTH.user, AUTH.password)
      .send({ call: { call_id: 'call-nw' } });
    expect(res.status).toBe(200);
    await agent.dispatchSwaig(swaig('hangup_hook', {}, { call_id: 'call-nw' }));
    await waitFor(() => gw.requests.some((r) => r.method === 'DELETE'), 'the session DELETE', 10_000);
    expect(gw.requests.some((r) => r.url.endsWith('/warm'))).toBe(false);
  });
});
