/** Graceful drain of the standalone gateway (CLI child process): SIGTERM → not ready, no new sessions, exit 0. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AUTH, fixtureService, ROOT, spawnCollecting, testConfig } from '../helpers.js';

const BIN = join(ROOT, 'bin/mcp-gateway.js');
let running: ReturnType<typeof spawnCollecting> | undefined;
afterEach(async () => {
  await running?.stop('SIGKILL');
  running = undefined;
});

async function startCli(drainTimeout: number): Promise<string> {
  const config = testConfig({ fx: fixtureService() }, { cluster: { drain_timeout: drainTimeout } });
  const dir = (config.session as { sandbox_dir: string }).sandbox_dir.replace(/\/sandbox$/, '');
  const path = join(dir, 'config.json');
  writeFileSync(path, JSON.stringify(config));
  running = spawnCollecting(process.execPath, [BIN, '-c', path]);
  return (await running.waitForOutput(/listening on (http:\/\/\S+)/))[1]!;
}

const call = (url: string, session: string) =>
  fetch(`${url}/services/fx/call`, {
    method: 'POST',
    headers: { ...AUTH, 'content-type': 'application/json', 'x-mcp-session-id': session },
    body: JSON.stringify({ tool: 'echo', arguments: { text: session } }),
  });

describe('mcp-gateway graceful drain', () => {
  it('on SIGTERM: /ready 503, new sessions 503 draining, its own session served until DELETE, then exit 0', async () => {
    const url = await startCli(60);
    expect((await fetch(`${url}/ready`)).status).toBe(200);
    expect((await call(url, 'held-1')).status).toBe(200);
    running!.child.kill('SIGTERM');
    await running!.waitForOutput(/draining/);
    const ready = await fetch(`${url}/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ code: 'draining' });
    const fresh = await call(url, 'new-1');
    expect(fresh.status).toBe(503);
    expect(await fresh.json()).toMatchObject({ code: 'draining' });
    const warm = await fetch(`${url}/sessions/new-2/warm`, { method: 'POST', headers: AUTH });
    expect(warm.status).toBe(503);
    expect((await call(url, 'held-1')).status).toBe(200);
    expect(running!.child.exitCode).toBeNull();
    expect((await fetch(`${url}/sessions/held-1`, { method: 'DELETE', headers: AUTH })).status).toBe(200);
    expect(await running!.exited).toBe(0);
  });

  it('exits 0 after drain_timeout when a session never closes', async () => {
    const url = await startCli(0.5);
    expect((await call(url, 'stuck-1')).status).toBe(200);
    running!.child.kill('SIGTERM');
    expect(await running!.exited).toBe(0);
    expect(running!.output().stderr).toMatch(/drain timeout reached|closing sessions/);
  });
});
