import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { authHeaders, GatewayClient, GatewayRequestError, type GatewayClientOptions } from '../../../skills/mcp_gateway/gateway-client.js';
import { rejectionOf } from '../../helpers/rejection.js';
import { captureLogger } from './helpers/capture-logger.js';
import { closedPort, json, startFakeGateway, type FakeGateway } from './helpers/fake-gateway.js';

const CALL = { tool: 'add_todo', session_id: 'call-1' };
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function fake(tls?: { key: string; cert: string }): Promise<FakeGateway> {
  const gw = await startFakeGateway(tls);
  cleanups.push(() => gw.close());
  return gw;
}

function client(url: string, extra: Partial<GatewayClientOptions> = {}) {
  const { logger, lines } = captureLogger();
  const c = new GatewayClient({
    url,
    headers: authHeaders({ token: 'sekrit-token' }),
    timeoutMs: 5000,
    retries: 2,
    verifyTls: true,
    logger,
    backoff: { random: () => 0 },
    ...extra,
  });
  cleanups.push(() => c.close());
  return { c, lines };
}

describe('GatewayClient', () => {
  it('sends auth, keeps one connection alive and honours a path prefix', async () => {
    const gw = await fake();
    gw.on('GET /prefix/services', (_r, res) => json(res, 200, { todo: { description: 'Todos', enabled: true, type: 'stdio' } }));
    gw.on('GET /prefix/services/todo/tools', (_r, res) => json(res, 200, { service: 'todo', tools: [{ name: 'add_todo' }] }));
    const { c, lines } = client(`${gw.url}/prefix/`);
    expect(await c.listServices()).toEqual({ todo: { description: 'Todos', enabled: true, type: 'stdio' } });
    expect(await c.listTools('todo')).toEqual([{ name: 'add_todo' }]);
    for (let i = 0; i < 4; i++) expect(await c.listTools('todo')).toHaveLength(1);
    expect(gw.requests.map((r) => r.headers.authorization)).toEqual(Array(6).fill('Bearer sekrit-token'));
    // keep-alive: sockets are reused (undici may rotate over a couple of them)
    expect(new Set(gw.requests.map((r) => r.remotePort)).size).toBeLessThan(3);
    expect(lines.join('\n')).not.toContain('sekrit');
  });

  it('builds Basic auth', () => {
    expect(authHeaders({ user: 'admin', password: 'p:w' })).toEqual({ authorization: `Basic ${Buffer.from('admin:p:w').toString('base64')}` });
    expect(authHeaders({})).toEqual({});
  });

  it('retries a refused connection for any request, then reports unreachable', async () => {
    const { c, lines } = client(`http://127.0.0.1:${await closedPort()}`);
    const err = await rejectionOf(c.callTool('todo', CALL, false), GatewayRequestError);
    expect(err.failure).toEqual({ kind: 'unreachable' });
    expect(lines.filter((l) => l.includes('gateway request failed'))).toHaveLength(3);
    expect(lines.join('\n')).not.toContain('sekrit');
  });

  it('does not re-send a call that may have reached the gateway unless the tool is repeat-safe', async () => {
    const gw = await fake();
    gw.on('POST /services/todo/call', (_r, _res, socket) => socket.destroy());
    const { c } = client(gw.url);
    expect((await rejectionOf(c.callTool('todo', CALL, false), GatewayRequestError)).failure.kind).toBe('unreachable');
    expect(gw.requests).toHaveLength(1);
    await rejectionOf(c.callTool('todo', { ...CALL, tool: 'list_todos' }, true), GatewayRequestError);
    expect(gw.requests).toHaveLength(4);
  });

  it('re-sends after 502 only for repeat-safe tools and never after 504 or 4xx', async () => {
    const gw = await fake();
    gw.on('POST /services/a/call', (_r, res) => json(res, 502, { error: 'server died', code: 'upstream_failed' }));
    gw.on('POST /services/b/call', (_r, res) => json(res, 504, { error: 'slow', code: 'tool_timeout' }));
    gw.on('POST /services/c/call', (_r, res) => json(res, 400, { error: 'tool is required', code: 'bad_request', field: 'tool' }));
    const { c } = client(gw.url);
    const count = (svc: string) => gw.requests.filter((r) => r.url === `/services/${svc}/call`).length;
    expect((await rejectionOf(c.callTool('a', CALL, false), GatewayRequestError)).failure).toEqual({
      kind: 'http',
      status: 502,
      code: 'upstream_failed',
      message: 'server died',
    });
    expect(count('a')).toBe(1);
    await rejectionOf(c.callTool('a', CALL, true), GatewayRequestError);
    expect(count('a')).toBe(4);
    await rejectionOf(c.callTool('b', CALL, true), GatewayRequestError);
    expect(count('b')).toBe(1);
    await rejectionOf(c.callTool('c', CALL, true), GatewayRequestError);
    expect(count('c')).toBe(1);
  });

  it('times out a request that gets no answer, without retrying', async () => {
    const gw = await fake();
    gw.on('POST /services/slow/call', () => undefined);
    const { c } = client(gw.url, { timeoutMs: 300 });
    expect((await rejectionOf(c.callTool('slow', CALL, true), GatewayRequestError)).failure).toEqual({ kind: 'timeout' });
    expect(gw.requests).toHaveLength(1);
  });

  it('treats a missing session or warm endpoint as a normal outcome', async () => {
    const gw = await fake();
    gw.on('DELETE /sessions/call-1', (_r, res) => json(res, 200, { message: 'Session call-1 closed', session_id: 'call-1', closed: 2 }));
    const { c } = client(gw.url);
    expect(await c.deleteSession('call-1')).toBe(2);
    expect(await c.deleteSession('call-2')).toBe(0);
    expect(await c.warmSession('call-1', ['todo'], 300)).toBe(false);
  });

  it('accepts a self-signed certificate only with verify_ssl false', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gw-tls-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-days', '1', '-subj', '/CN=127.0.0.1'],
      { stdio: 'ignore' },
    );
    const gw = await fake({ key: readFileSync(join(dir, 'k.pem'), 'utf8'), cert: readFileSync(join(dir, 'c.pem'), 'utf8') });
    gw.on('GET /services', (_r, res) => json(res, 200, {}));
    await rejectionOf(client(gw.url, { retries: 0 }).c.listServices(), GatewayRequestError);
    expect(await client(gw.url, { verifyTls: false }).c.listServices()).toEqual({});
  });
});
