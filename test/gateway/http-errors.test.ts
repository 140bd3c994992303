import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, startGateway, testConfig, TODO_SERVER, TOKEN, type TestGateway } from './helpers.js';

const todo = { command: ['node', TODO_SERVER], description: 'Todo list' };
let gw: TestGateway;

beforeAll(async () => {
  gw = await startGateway(testConfig({ todo, off: { ...todo, enabled: false } }));
});
afterAll(async () => {
  await gw.close();
});

const json = { ...AUTH, 'content-type': 'application/json' };
const post = (path: string, body: string, headers: Record<string, string> = json) => fetch(gw.url + path, { method: 'POST', headers, body });

async function expectError(res: Response, status: number, code: string, field?: string): Promise<Record<string, unknown>> {
  const body = (await res.json()) as Record<string, unknown>;
  expect(res.status, JSON.stringify(body)).toBe(status);
  expect(body.code).toBe(code);
  expect(typeof body.error).toBe('string');
  if (field === undefined) expect(body).not.toHaveProperty('field');
  else expect(body.field).toBe(field);
  return body;
}

describe('authentication', () => {
  it('serves /health without auth, with security headers', async () => {
    const res = await fetch(`${gw.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'healthy' });
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  it.each([
    ['no credentials', {}],
    ['wrong password', { authorization: `Basic ${Buffer.from('admin:nope').toString('base64')}` }],
    ['wrong user', { authorization: `Basic ${Buffer.from('root:secret').toString('base64')}` }],
    ['wrong token', { authorization: 'Bearer nope' }],
    ['token as basic', { authorization: `Basic ${Buffer.from(TOKEN).toString('base64')}` }],
  ])('401 with a challenge for %s', async (_name, headers) => {
    const res = await gw.get('/services', headers);
    await expectError(res, 401, 'unauthorized');
    expect(res.headers.get('www-authenticate')).toMatch(/^Basic realm="mcp-gateway".*Bearer/);
  });

  it('accepts basic and bearer credentials', async () => {
    expect((await gw.get('/services', { authorization: `Basic ${Buffer.from('admin:secret').toString('base64')}` })).status).toBe(200);
    const res = await gw.get('/services', { authorization: `Bearer ${TOKEN}` });
    expect(await res.json()).toEqual({
      todo: {
        description: 'Todo list',
        enabled: true,
        type: 'stdio',
        sessions: { call: 0, mcp: 0 },
        sandbox: { layers: expect.stringMatching(/^namespaces: (bwrap|unshare|none), filesystem: /), missing: expect.any(Array) },
      },
      off: { description: 'Todo list', enabled: false, type: 'stdio', sessions: { call: 0, mcp: 0 } },
    });
  });
});

describe('bad input', () => {
  it('404 for unknown routes, services, tools and sessions', async () => {
    await expectError(await gw.get('/nope'), 404, 'not_found');
    await expectError(await gw.get('/services/ghost/tools'), 404, 'unknown_service', 'service');
    await expectError(await post('/services/ghost/call', JSON.stringify({ tool: 'x', session_id: 's' })), 404, 'unknown_service', 'service');
    await expectError(await post('/services/todo/call', JSON.stringify({ tool: 'no_such_tool', session_id: 'err-404' })), 404, 'unknown_tool', 'tool');
    await expectError(await gw.del('/sessions/never-seen'), 404, 'unknown_session', 'session_id');
  });

  it('405 with Allow for a wrong method', async () => {
    const cases: Array<[string, string, string]> = [
      ['GET', '/services/todo/call', 'POST'],
      ['POST', '/sessions', 'GET, HEAD'],
      ['PUT', '/health', 'GET, HEAD'],
      ['DELETE', '/services/todo/tools', 'GET, HEAD'],
      ['GET', '/sessions/abc', 'DELETE'],
    ];
    for (const [method, path, allow] of cases) {
      const res = await fetch(gw.url + path, { method, headers: AUTH });
      await expectError(res, 405, 'method_not_allowed');
      expect(res.headers.get('allow')).toBe(allow);
    }
  });

  it('400 naming the field for invalid bodies and names', async () => {
    await expectError(await post('/services/todo/call', '{"tool": "add_todo",'), 400, 'invalid_json');
    await expectError(await post('/services/todo/call', JSON.stringify({ session_id: 's' })), 400, 'invalid_request', 'tool');
    await expectError(await post('/services/todo/call', JSON.stringify({ tool: 'add todo', session_id: 's' })), 400, 'invalid_request', 'tool');
    await expectError(await post('/services/todo/call', JSON.stringify({ tool: 'list_todos' })), 400, 'invalid_request', 'session_id');
    await expectError(await post('/services/todo/call', JSON.stringify({ tool: 'list_todos', session_id: 'a/b' })), 400, 'invalid_request', 'session_id');
    await expectError(
      await post('/services/todo/call', JSON.stringify({ tool: 'list_todos', session_id: 'x'.repeat(129) })),
      400,
      'invalid_request',
      'session_id',
    );
    await expectError(
      await post('/services/todo/call', JSON.stringify({ tool: 'list_todos', session_id: 's', arguments: [1] })),
      400,
      'invalid_request',
      'arguments',
    );
    await expectError(
      await post('/services/todo/call', JSON.stringify({ tool: 'list_todos', session_id: 's', timeout: -5 })),
      400,
      'invalid_request',
      'timeout',
    );
    await expectError(
      await post('/services/todo/call', JSON.stringify({ tool: 'list_todos', session_id: 's', service: 'other' })),
      400,
      'invalid_request',
      'service',
    );
    await expectError(await post('/services/todo/call', JSON.stringify([1, 2])), 400, 'invalid_request');
    await expectError(await gw.get(`/services/${'a'.repeat(65)}/tools`), 400, 'invalid_request', 'service');
    await expectError(await gw.get('/services/b%24d/tools'), 400, 'invalid_request', 'service');
    await expectError(await gw.del(`/sessions/${'s'.repeat(129)}`), 400, 'invalid_request', 'session_id');
  });

  it('413 for a body over 10 MB, 415 for a non-JSON body', async () => {
    const big = JSON.stringify({ tool: 'add_todo', session_id: 's', arguments: { text: 'x'.repeat(11 * 1024 * 1024) } });
    await expectError(await post('/services/todo/call', big), 413, 'payload_too_large');
    await expectError(await post('/services/todo/call', 'tool=x', { ...AUTH, 'content-type': 'text/plain' }), 415, 'unsupported_media_type');
  });

  it('503 for a disabled service', async () => {
    await expectError(await gw.get('/services/off/tools'), 503, 'service_disabled');
    await expectError(await post('/services/off/call', JSON.stringify({ tool: 'list_todos', session_id: 's' })), 503, 'service_disabled');
  });

  it('429 with Retry-After once a session passes call_limit; other sessions are not affected', async () => {
    const limits = { default_limits: ['10000 per hour'], tools_limit: '1000 per minute', call_limit: '3 per minute', session_delete_limit: '1 per minute' };
    const small = await startGateway(testConfig({ todo }, { rate_limiting: limits }));
    try {
      const call = (id: string) => small.call('todo', { tool: 'list_todos', session_id: id });
      for (let i = 0; i < 3; i++) expect((await call('limited')).status).toBe(200);
      const limited = await call('limited');
      await expectError(limited, 429, 'rate_limited');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await call('another-call')).status).toBe(200);
      expect((await small.del('/sessions/limited')).status).toBe(200);
      await expectError(await small.del('/sessions/limited'), 429, 'rate_limited');
    } finally {
      await small.close();
    }
  });
});

describe('mounting', () => {
  it('serves the same routes from gateway.router under a prefix of another app', async () => {
    const host = express();
    host.use('/mcp', gw.gateway.router);
    const server = host.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const base = `http://127.0.0.1:${(server.address() as { port: number }).port}/mcp`;
      expect((await fetch(`${base}/health`)).status).toBe(200);
      expect((await fetch(`${base}/services`)).status).toBe(401);
      const tools = (await (await fetch(`${base}/services/todo/tools`, { headers: AUTH })).json()) as { tools: Array<{ name: string }> };
      expect(tools.tools.map((t) => t.name)).toEqual(['add_todo', 'list_todos', 'complete_todo', 'delete_todo', 'clear_todos']);
      await expectError(await fetch(`${base}/unknown`, { headers: AUTH }), 404, 'not_found');
    } finally {
      server.close();
    }
  });
});
