import { afterEach, describe, expect, it } from 'vitest';
import { fixtureService, startGateway, testConfig, type TestGateway } from './helpers.js';

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

describe('a server that floods stderr', () => {
  it('serves 300 calls on one session without stalling (stderr is always drained)', async () => {
    // 64 KiB of stderr per call: an undrained pipe (64 KiB) would block the server on the first call.
    const flood = fixtureService({ env: { FLOOD_BYTES: String(64 * 1024) }, tool_timeout: 10 });
    gw = await startGateway(testConfig({ flood }));
    const results: string[] = [];
    for (let i = 0; i < 300; i++) {
      const res = await gw.call('flood', { tool: 'counter', session_id: 'chatty' });
      expect(res.status).toBe(200);
      results.push(((await res.json()) as { result: string }).result);
    }
    expect(results[0]).toBe('1');
    expect(results[299]).toBe('300');
    const { sessions } = (await (await gw.get('/sessions')).json()) as { sessions: unknown[] };
    expect(sessions).toHaveLength(1);
  });
});
