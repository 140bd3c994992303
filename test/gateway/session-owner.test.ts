/**
 * The session store owns every state change of a session: these drive the edges (closed while starting, a start
 * that fails, a server that dies) through a real gateway and check that the counts the pool, the gauges and the
 * listings read come back to the truth, and that no server is left behind.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { processExists, startGateway, testConfig, waitFor, type TestGateway } from './helpers.js';
import { childPids, dynamicService, metric, post, toolsFile } from './speed/helpers.js';

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

const listed = async (): Promise<string[]> =>
  ((await (await gw!.get('/sessions')).json()) as { sessions: Array<{ session_id: string }> }).sessions.map((s) => s.session_id);

describe('session state owner', () => {
  it('a session closed while its server is still starting leaves no server, no listing and no count behind', async () => {
    const file = toolsFile(['echo']);
    gw = await startGateway(testConfig({ dyn: dynamicService(file.path) }));
    for (let i = 0; i < 5; i++) {
      expect((await post(gw, `/sessions/early-${i}/warm`, {})).status).toBe(202);
      expect(((await (await gw.del(`/sessions/early-${i}`)).json()) as { closed: number }).closed).toBe(1);
    }
    expect(await listed()).toEqual([]);
    expect(await metric(gw, 'mcp_gateway_live_sessions', { service: 'dyn' })).toBe(0);
    await waitFor(() => childPids('dynamic-tools-server').length === 0, 'every started server to be ended');
    // The freed room is real: a fresh session of the same id works.
    const res = await gw.call('dyn', { tool: 'echo', arguments: {}, session_id: 'early-0' });
    expect(res.status).toBe(200);
    expect(await listed()).toEqual(['early-0']);
  });

  it('a failed start frees its place: the cap counts only live sessions', async () => {
    const file = toolsFile(['echo']);
    gw = await startGateway(
      testConfig(
        { dyn: dynamicService(file.path), dies: { command: ['node', '-e', 'process.exit(3)'], sandbox: { isolation: 'none' } } },
        { session: { max_sessions_per_service: 1 } },
      ),
    );
    for (let i = 0; i < 3; i++) {
      const res = await gw.call('dies', { tool: 'x', arguments: {}, session_id: `d-${i}` });
      // Never 429: each failed session left the table before the next call came.
      expect(res.status).toBe(502);
    }
    expect(await listed()).toEqual([]);
  });

  it('a server that dies takes its session out at once; the cap admits a new one', async () => {
    const file = toolsFile(['echo']);
    gw = await startGateway(testConfig({ dyn: dynamicService(file.path) }, { session: { max_sessions_per_service: 1 } }));
    const pid = Number(((await (await gw.call('dyn', { tool: 'pid', arguments: {}, session_id: 'one' })).json()) as { result: string }).result);
    process.kill(pid, 'SIGKILL');
    await waitFor(async () => (await listed()).length === 0, 'the dead session to leave the table');
    expect(processExists(pid)).toBe(false);
    const res = await gw.call('dyn', { tool: 'echo', arguments: {}, session_id: 'two' });
    expect(res.status).toBe(200);
  });
});
