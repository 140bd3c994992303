import { afterEach, describe, expect, it } from 'vitest';
import { startGateway, testConfig, waitFor, type TestGateway } from '../helpers.js';
import { dynamicService, metric, toolsFile } from './helpers.js';

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

async function toolNames(): Promise<string[]> {
  const res = await gw!.get('/services/dyn/tools');
  expect(res.status).toBe(200);
  const body = (await res.json()) as { service: string; tools: Array<{ name: string }> };
  expect(body.service).toBe('dyn');
  return body.tools.map((t) => t.name);
}

async function call(tool: string, sessionId: string, args: Record<string, unknown> = {}): Promise<{ status: number; result: string }> {
  const res = await gw!.call('dyn', { tool, arguments: args, session_id: sessionId });
  const body = (await res.json()) as { result: string };
  return { status: res.status, result: body.result };
}

const spawns = (purpose?: string): Promise<number> => metric(gw!, 'mcp_gateway_spawns_total', { service: 'dyn', ...(purpose ? { purpose } : {}) });

describe('tool-schema cache', () => {
  it('lists once on first use; later listings never start a process (cache hits, not misses)', async () => {
    const file = toolsFile(['alpha']);
    gw = await startGateway(testConfig({ dyn: dynamicService(file.path) }));
    expect(await spawns()).toBe(0);
    const [a, b] = await Promise.all([toolNames(), toolNames()]);
    expect(a).toContain('alpha');
    expect(b).toEqual(a);
    expect(await spawns('probe')).toBe(1);
    for (let i = 0; i < 5; i++) expect(await toolNames()).toContain('alpha');
    expect(await spawns()).toBe(1);
    // Both first listings waited for the one probe (two misses); the five later ones were hits.
    expect(await metric(gw, 'mcp_gateway_tool_cache_misses_total', { service: 'dyn' })).toBe(2);
    expect(await metric(gw, 'mcp_gateway_tool_cache_hits_total', { service: 'dyn' })).toBe(5);
    // A session does not re-list a warm cache; a call of an unknown tool is refused without spawning.
    expect((await call('alpha', 's1')).status).toBe(200);
    expect((await call('nope', 's2')).status).toBe(404);
    expect(await spawns()).toBe(2);
  });

  it('prefetch_tools lists at start-up in the background', async () => {
    const file = toolsFile(['early']);
    gw = await startGateway(testConfig({ dyn: dynamicService(file.path, { prefetch_tools: true }) }));
    // The status page shows the cached list without looking it up.
    await waitFor(async () => (await (await gw!.get('/status')).text()).includes('early'), 'the start-up listing');
    expect(await toolNames()).toContain('early');
    expect(await metric(gw, 'mcp_gateway_tool_cache_misses_total', { service: 'dyn' })).toBe(0);
    expect(await spawns()).toBe(1);
  });

  it('fills a cold cache from the first session instead of a probe', async () => {
    const file = toolsFile(['alpha']);
    gw = await startGateway(testConfig({ dyn: dynamicService(file.path) }));
    expect((await call('alpha', 's1')).status).toBe(200);
    expect(await toolNames()).toContain('alpha');
    expect(await spawns()).toBe(1);
    expect(await spawns('session')).toBe(1);
  });

  it('after tools_ttl serves the stale list and refreshes in the background (on a live session: no spawn)', async () => {
    const file = toolsFile(['alpha']);
    gw = await startGateway(testConfig({ dyn: dynamicService(file.path, { tools_ttl: 0.2 }) }));
    expect((await call('alpha', 's1')).status).toBe(200);
    file.set(['alpha', 'beta']);
    await waitFor(async () => (await toolNames()).includes('beta'), 'the refreshed list');
    expect(await spawns()).toBe(1);
    // The new tool is callable: the call route checks against the refreshed cache.
    expect((await call('beta', 's1')).result).toBe('beta ok');
  });

  it('after tools_ttl with no live server, refreshes with a throw-away server', async () => {
    const file = toolsFile(['alpha']);
    gw = await startGateway(testConfig({ dyn: dynamicService(file.path, { tools_ttl: 0.2 }) }));
    expect(await toolNames()).toEqual(expect.arrayContaining(['alpha']));
    file.set(['gamma']);
    await waitFor(async () => (await toolNames()).includes('gamma'), 'the refreshed list');
    expect(await toolNames()).not.toContain('alpha');
    expect(await spawns('probe')).toBeGreaterThanOrEqual(2);
  });

  it('re-lists on notifications/tools/list_changed, debounced: a burst of 5 notices makes one listing', async () => {
    const file = toolsFile(['alpha']);
    gw = await startGateway(testConfig({ dyn: dynamicService(file.path, { tools_ttl: 0 }) }));
    expect((await call('alpha', 's1')).status).toBe(200);
    const before = Number((await call('list_count', 's1')).result);
    file.set(['alpha', 'delta']);
    // tools_ttl 0 never expires: only the notification can make the change visible.
    expect(await toolNames()).not.toContain('delta');
    expect((await call('notify', 's1', { n: 5 })).result).toBe('sent 5');
    await waitFor(async () => (await toolNames()).includes('delta'), 'the list after list_changed');
    expect(Number((await call('list_count', 's1')).result)).toBe(before + 1);
    expect(await spawns()).toBe(1);
  });
});
