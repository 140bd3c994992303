import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EVERYTHING_SERVER, freePort, spawnCollecting, startGateway, testConfig, waitFor, type TestGateway } from './helpers.js';

interface Answer {
  result: string;
  is_error: boolean;
  structured_content?: Record<string, unknown>;
  content_summary?: Array<Record<string, unknown>>;
}

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

async function call(tool: string, args: Record<string, unknown> = {}, service = 'everything'): Promise<Answer> {
  const res = await gw!.call(service, { tool, arguments: args, session_id: 'ev-1' });
  const json = (await res.json()) as Answer;
  expect(res.status, JSON.stringify(json)).toBe(200);
  return json;
}

describe('server-everything over stdio (sandboxed)', () => {
  it('lists tools (task-only tools left out) and maps every content type', async () => {
    gw = await startGateway(testConfig({ everything: { command: ['node', EVERYTHING_SERVER, 'stdio'], description: 'reference server' } }));
    const listing = (await (await gw.get('/services/everything/tools')).json()) as { service: string; tools: Array<{ name: string; inputSchema: unknown }> };
    const names = listing.tools.map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['echo', 'get-sum', 'get-tiny-image', 'get-structured-content', 'get-resource-links']));
    expect(names).not.toContain('simulate-research-query');

    expect((await call('echo', { message: 'hello' })).result).toBe('Echo: hello');

    const image = await call('get-tiny-image');
    expect(image.result).toMatch(/\[image: image\/png, \d+ bytes\]/);
    expect(image.content_summary).toEqual([expect.objectContaining({ type: 'image', mime_type: 'image/png' })]);

    const structured = await call('get-structured-content', { location: 'New York' });
    expect(structured.structured_content).toMatchObject({ temperature: expect.any(Number) });

    const links = await call('get-resource-links', { count: 2 });
    expect(links.content_summary?.filter((s) => s.type === 'resource_link')).toHaveLength(2);
    expect(links.result).toMatch(/\[resource link: .+ <.+>/);

    const embedded = await call('get-resource-reference', { resourceType: 'Text', resourceId: 1 });
    expect(embedded.content_summary).toEqual([expect.objectContaining({ type: 'resource' })]);
    expect(embedded.result).toMatch(/\[resource [^\]]+\]\n/);

    const bad = await call('get-sum', { a: 'not a number', b: 1 });
    expect(bad.is_error).toBe(true);

    // Restricted env: HOME is the session's private folder, the parent's secrets are not passed on.
    process.env.GW_TEST_SECRET = 'leak';
    try {
      const env = await gw.call('everything', { tool: 'get-env', session_id: 'ev-env' });
      const text = ((await env.json()) as Answer).result;
      expect(text).not.toContain('GW_TEST_SECRET');
      expect(text).toMatch(/"HOME": ".*sandbox\/\d+\.everything-ev-env-/);
    } finally {
      delete process.env.GW_TEST_SECRET;
    }
  });
});

describe('server-everything over Streamable HTTP as a remote service', () => {
  let remote: ReturnType<typeof spawnCollecting> | undefined;
  let url = '';

  beforeAll(async () => {
    const port = await freePort();
    remote = spawnCollecting(process.execPath, [EVERYTHING_SERVER, 'streamableHttp'], { env: { ...process.env, PORT: String(port) } });
    await remote.waitForOutput(/listening on port/);
    url = `http://127.0.0.1:${port}/mcp`;
  });

  afterAll(async () => {
    if (remote?.child.pid !== undefined && remote.child.exitCode === null) {
      remote.child.kill('SIGTERM');
      await remote.exited;
    }
  });

  it('calls tools through a url service and closes its session', async () => {
    gw = await startGateway(testConfig({ everything: { url, description: 'remote everything' } }));
    const services = (await (await gw.get('/services')).json()) as Record<string, { type: string }>;
    expect(services.everything?.type).toBe('http');
    const tools = (await (await gw.get('/services/everything/tools')).json()) as { tools: Array<{ name: string }> };
    expect(tools.tools.map((t) => t.name)).toContain('echo');
    expect((await call('echo', { message: 'over http' })).result).toBe('Echo: over http');
    const { sessions } = (await (await gw.get('/sessions')).json()) as { sessions: Array<{ pid?: number }> };
    expect(sessions).toHaveLength(1);
    expect(sessions[0]?.pid).toBeUndefined();
    expect(await (await gw.del('/sessions/ev-1')).json()).toEqual({ message: 'Session ev-1 closed', session_id: 'ev-1', closed: 1 });
    // The remote server saw the session end (DELETE of its Mcp-Session-Id).
    await waitFor(() => /Received session termination request/.test(remote!.output().stdout), 'remote session termination');
  });
});

describe('server-everything over the legacy HTTP+SSE transport', () => {
  it('falls back to SSE when Streamable HTTP is refused', async () => {
    const port = await freePort();
    const remote = spawnCollecting(process.execPath, [EVERYTHING_SERVER, 'sse'], { env: { ...process.env, PORT: String(port) } });
    try {
      await remote.waitForOutput(/running on port/i);
      gw = await startGateway(testConfig({ everything: { url: `http://127.0.0.1:${port}/sse` } }));
      expect((await call('echo', { message: 'via sse' })).result).toBe('Echo: via sse');
    } finally {
      remote.child.kill('SIGTERM');
      await remote.exited;
    }
  });
});
