/**
 * No orphans: a SIGKILLed gateway (no chance to clean up) must not leave its MCP servers running, and a
 * thousand sessions opened and closed must leave no process and no private folder behind.
 */
import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostCapabilities } from '../../../gateway/sandbox/host.js';
import { AUTH, ROOT, spawnCollecting, startGateway, tempDir, testConfig, waitFor } from '../helpers.js';
import { descendants, FAULT_SERVER, faultService, HERE, isRunning, processesRunning, serverPid, TINY_SERVER, tinyService } from './helpers.js';

const hasBwrap = process.getuid?.() === 0 && hostCapabilities().bwrap.ok;

async function post(url: string, service: string, body: unknown): Promise<Response> {
  return fetch(`${url}/services/${service}/call`, { method: 'POST', headers: { ...AUTH, 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('SIGKILL of the gateway itself', () => {
  it('control: the fixture outlives a SIGKILLed parent when nothing kills it (stdin EOF alone does not end it)', async () => {
    const code = `const c=require('child_process').spawn(process.execPath,[${JSON.stringify(FAULT_SERVER)}],{detached:true,stdio:['pipe','ignore','ignore'],env:{KEEP_ALIVE:'1'}});console.log(c.pid);setInterval(()=>{},1e3)`;
    const parent = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'ignore'] });
    const childPid = Number(await new Promise<string>((resolve) => parent.stdout.once('data', (d: Buffer) => resolve(d.toString()))));
    parent.kill('SIGKILL');
    await new Promise((r) => parent.once('exit', r));
    await new Promise((r) => setTimeout(r, 500));
    try {
      expect(isRunning(childPid)).toBe(true);
    } finally {
      process.kill(childPid, 'SIGKILL');
    }
  });

  it('takes every server with it: sandboxed, unsandboxed, and (bubblewrap) the whole confined tree', async () => {
    const dir = tempDir('gw-orphans-');
    const keep = { env: { KEEP_ALIVE: '1' } };
    const services: Record<string, unknown> = {
      limited: faultService(keep),
      plain: faultService({ ...keep, sandbox: { enabled: false } }),
    };
    if (hasBwrap) services.confined = faultService({ ...keep, sandbox: { allowed_paths: [dir], readonly_paths: [HERE, join(ROOT, 'node_modules')] } });
    const configPath = join(dir, 'config.json');
    writeFileSync(configPath, JSON.stringify(testConfig(services)));
    const cli = spawnCollecting(process.execPath, [join(ROOT, 'bin/mcp-gateway.js'), '-c', configPath, '--port', '0']);
    try {
      const url = (await cli.waitForOutput(/listening on (http:\/\/\S+)/))[1] as string;
      for (const name of Object.keys(services)) {
        expect((await post(url, name, { tool: 'ping', session_id: 'orphan-test' })).status).toBe(200);
      }
      if (hasBwrap) expect((await post(url, 'confined', { tool: 'spawn_child', session_id: 'orphan-test' })).status).toBe(200);
      const { sessions } = (await (await fetch(`${url}/sessions`, { headers: AUTH })).json()) as { sessions: Array<{ pid: number }> };
      expect(sessions).toHaveLength(Object.keys(services).length);
      const leaders = sessions.map((s) => s.pid);
      const servers = leaders.map((pid) => serverPid(pid, FAULT_SERVER));
      const everything = [...new Set([...leaders, ...servers, ...leaders.flatMap((pid) => descendants(pid))])];
      expect(everything.every(isRunning)).toBe(true);

      const killedAt = Date.now();
      cli.child.kill('SIGKILL');
      await cli.exited;
      await waitFor(() => everything.every((pid) => !isRunning(pid)), 'every server process to die with the gateway', 10_000);
      // Measured, not asserted (see the report): how long the kernel took to deliver the death signals.
      console.info(`orphans: ${everything.length} processes gone ${Date.now() - killedAt} ms after the gateway's SIGKILL`);
    } finally {
      if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
    }
  });
});

describe('1,000 sessions', () => {
  it('opened and closed (20 at a time) leave 0 processes and 0 private folders', async () => {
    const raw = testConfig({ tiny: tinyService() });
    const gw = await startGateway(raw);
    const sandboxDir = (raw.session as { sandbox_dir: string }).sandbox_dir;
    try {
      let next = 0;
      const failures: string[] = [];
      const worker = async (): Promise<void> => {
        while (next < 1000) {
          const id = `s-${next++}`;
          const call = await gw.call('tiny', { tool: 'ping', session_id: id });
          if (call.status !== 200) failures.push(`${id} call ${call.status} ${await call.text()}`);
          else await call.arrayBuffer();
          const del = await gw.del(`/sessions/${id}`);
          if (del.status !== 200) failures.push(`${id} delete ${del.status}`);
          await del.arrayBuffer();
        }
      };
      await Promise.all(Array.from({ length: 20 }, worker));
      expect(failures).toEqual([]);
      expect(((await (await gw.get('/sessions')).json()) as { sessions: unknown[] }).sessions).toEqual([]);
      await waitFor(() => processesRunning(TINY_SERVER).length === 0, 'no tiny server left');
      await waitFor(() => readdirSync(sandboxDir).length === 0, 'no private folder left');
    } finally {
      await gw.close();
    }
    expect(processesRunning(TINY_SERVER)).toEqual([]);
  });
});
