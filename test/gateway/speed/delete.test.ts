import { afterEach, describe, expect, it } from 'vitest';
import { expectGroupGone, processExists, startGateway, testConfig, type TestGateway } from '../helpers.js';
import { dynamicService, toolsFile } from './helpers.js';

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

async function pidOf(service: string, sessionId: string): Promise<number> {
  const res = await gw!.call(service, { tool: 'pid', session_id: sessionId });
  expect(res.status).toBe(200);
  return Number(((await res.json()) as { result: string }).result);
}

describe('DELETE /sessions/:id does not wait for servers to exit', () => {
  it('answers while a slow-exiting server is still shutting down, and other sessions keep working meanwhile', async () => {
    const file = toolsFile(['alpha']);
    // LINGER: the server ignores stdin EOF, so it only goes on SIGTERM after the 2 s grace period.
    gw = await startGateway(testConfig({ slow: dynamicService(file.path, { env: { LINGER: '1' } }), dyn: dynamicService(file.path) }));
    const lingering = await pidOf('slow', 'hangup');
    await pidOf('dyn', 'busy');
    const del = await gw.del('/sessions/hangup');
    expect(await del.json()).toEqual({ message: 'Session hangup closed', session_id: 'hangup', closed: 1 });
    expect(processExists(lingering)).toBe(true);
    // The session is gone from the store at once…
    const listed = ((await (await gw.get('/sessions')).json()) as { sessions: Array<{ session_id: string }> }).sessions;
    expect(listed.map((s) => s.session_id)).toEqual(['busy']);
    // …and another call's session answers while the old server is still on its way out.
    const other = await gw.call('dyn', { tool: 'alpha', session_id: 'busy' });
    expect(other.status).toBe(200);
    expect(processExists(lingering)).toBe(true);
    // A new call with the same id gets a fresh server.
    expect(await pidOf('slow', 'hangup')).not.toBe(lingering);
    await expectGroupGone(lingering);
  });
});
