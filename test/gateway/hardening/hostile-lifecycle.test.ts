/**
 * Containment over a gateway's life, with the gateway as users run it (the CLI): every process a hostile
 * server starts, setsid() or not, is gone after the idle timeout, a SIGTERM of the gateway (which exits 0)
 * and a SIGKILL of the gateway; no session folder or cgroup is left. And where the host lacks a layer, the
 * gateway says so at start-up, or refuses to start when the config requires that layer.
 */
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hostCapabilities } from '../../../gateway/sandbox/host.js';
import { which } from '../../../gateway/sandbox/which.js';
import { AUTH, ROOT, spawnCollecting, tempDir, testConfig, waitFor } from '../helpers.js';
import { HERE, processesRunning } from './helpers.js';

const HOSTILE_SERVER = join(HERE, 'fixtures/hostile-server.mjs');
const host = hostCapabilities();
const namespaces = host.bwrap.ok || host.unshare.ok;

function writeConfig(tag: string, extra: Record<string, unknown> = {}, top: Record<string, unknown> = {}): { path: string; sandboxDir: string } {
  const dir = tempDir('gw-hostile-');
  const raw = { ...testConfig({ evil: { command: ['node', HOSTILE_SERVER], env: { HOSTILE_TAG: tag }, ...extra } }), ...top };
  const path = join(dir, 'config.json');
  writeFileSync(path, JSON.stringify(raw));
  return { path, sandboxDir: (raw.session as { sandbox_dir: string }).sandbox_dir };
}

async function startCli(configPath: string, env?: NodeJS.ProcessEnv) {
  const cli = spawnCollecting(process.execPath, [join(ROOT, 'bin/mcp-gateway.js'), '-c', configPath, '--port', '0'], env ? { env } : {});
  const url = (await cli.waitForOutput(/listening on (http:\/\/\S+)/))[1] as string;
  const call = async (session: string, tool: string, extra: Record<string, unknown> = {}): Promise<number> => {
    const res = await fetch(`${url}/services/evil/call`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ tool, session_id: session, ...extra }),
    });
    await res.arrayBuffer();
    return res.status;
  };
  return { cli, url, call };
}

/** Session cgroups this gateway pid made, in any hierarchy (none once it is gone). */
function cgroupsOf(pid: number): string[] {
  return host.cgroup.hierarchies.flatMap((h) => {
    try {
      return readdirSync(h.own).filter((n) => n === `mcp-gateway.${pid}`);
    } catch {
      return [];
    }
  });
}

describe.skipIf(!namespaces || !host.root)('every process of a session ends with it', () => {
  it('SIGTERM: the gateway exits 0 after killing escaped grandchildren and removing folders and cgroups', async () => {
    const tag = `escapee-term-${process.pid}`;
    const { path, sandboxDir } = writeConfig(tag);
    const { cli, call } = await startCli(path);
    for (const id of ['t1', 't2']) expect(await call(id, 'escape')).toBe(200);
    await waitFor(() => processesRunning(tag).length >= 2, 'two escapees');
    const gatewayPid = cli.child.pid as number;
    cli.child.kill('SIGTERM');
    const code = await cli.exited;
    expect(code).toBe(0);
    expect(processesRunning(tag)).toEqual([]);
    expect(readdirSync(sandboxDir)).toEqual([]);
    expect(cgroupsOf(gatewayPid)).toEqual([]);
  });

  it('SIGKILL: escaped grandchildren die with the gateway; the next gateway sweeps what was left', async () => {
    const tag = `escapee-kill-${process.pid}`;
    const { path, sandboxDir } = writeConfig(tag);
    const first = await startCli(path);
    expect(await first.call('k1', 'escape')).toBe(200);
    await waitFor(() => processesRunning(tag).length >= 1, 'an escapee');
    const gatewayPid = first.cli.child.pid as number;
    const killedAt = Date.now();
    first.cli.child.kill('SIGKILL');
    await first.cli.exited;
    await waitFor(() => processesRunning(tag).length === 0, 'no escapee after the gateway SIGKILL', 10_000);
    console.info(`hostile: escapees gone ${Date.now() - killedAt} ms after the gateway's SIGKILL`);
    const second = await startCli(path);
    try {
      await waitFor(() => readdirSync(sandboxDir).length === 0, 'folders of the dead gateway swept');
      await waitFor(() => cgroupsOf(gatewayPid).length === 0, 'cgroups of the dead gateway swept');
    } finally {
      second.cli.child.kill('SIGTERM');
      expect(await second.cli.exited).toBe(0);
    }
  });

  it('idle timeout: the session and its escaped grandchild end together', async () => {
    const tag = `escapee-idle-${process.pid}`;
    const { path } = writeConfig(tag);
    const raw = JSON.parse(readFileSync(path, 'utf8')) as { session: Record<string, unknown> };
    raw.session.cleanup_interval = 0.2;
    writeFileSync(path, JSON.stringify(raw));
    const { cli, call } = await startCli(path);
    try {
      expect(await call('idle', 'escape', { timeout: 0.5 })).toBe(200);
      await waitFor(() => processesRunning(tag).length >= 1, 'an escapee');
      await waitFor(() => processesRunning(tag).length === 0, 'no escapee after the idle timeout', 10_000);
    } finally {
      cli.child.kill('SIGTERM');
      expect(await cli.exited).toBe(0);
    }
  });
});

/** A PATH with node and util-linux's setpriv/prlimit but neither bwrap nor unshare: a host without namespaces. */
function pathWithoutNamespaces(): string {
  const bin = join(tempDir('gw-nons-'), 'bin');
  mkdirSync(bin);
  for (const tool of ['setpriv', 'prlimit', 'sh', 'env']) {
    const found = which(tool);
    if (found) symlinkSync(found, join(bin, tool));
  }
  symlinkSync(process.execPath, join(bin, 'node'));
  return bin;
}

describe('a host without namespaces', () => {
  it('starts, and warns at start-up naming each missing layer and how to get it', async () => {
    const { path } = writeConfig('unused', {}, { logging: { level: 'WARNING' } });
    const { cli, url } = await startCli(path, { PATH: pathWithoutNamespaces(), HOME: tempDir() });
    const out = (): string => cli.output().stdout + cli.output().stderr;
    try {
      await waitFor(() => /sandbox layer missing: namespaces/.test(out()), 'the namespaces warning');
      expect(out()).toMatch(/sandbox layer missing: filesystem/);
      expect(out()).toMatch(/--cap-add SYS_ADMIN/);
      const status = await (await fetch(`${url}/status`, { headers: AUTH })).text();
      expect(status).toMatch(/namespaces: none, filesystem: host/);
      expect(status).toMatch(/missing namespaces: /);
    } finally {
      cli.child.kill('SIGTERM');
      expect(await cli.exited).toBe(0);
    }
  });

  it('refuses to start when the config requires namespaces, naming the field', async () => {
    const { path } = writeConfig('unused', { sandbox: { require: ['namespaces'] } });
    const cli = spawnCollecting(process.execPath, [join(ROOT, 'bin/mcp-gateway.js'), '-c', path, '--port', '0'], {
      env: { PATH: pathWithoutNamespaces(), HOME: tempDir() },
    });
    expect(await cli.exited).toBe(2);
    expect(cli.output().stderr).toMatch(/services\.evil\.sandbox\.require: required layer "namespaces" is not available/);
  });
});
