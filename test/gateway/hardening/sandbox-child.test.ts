/**
 * The sandbox as seen on the running MCP server process itself (not its wrappers): /proc/<pid>/limits,
 * /proc/<pid>/environ, cwd, uid, the private session folder, and the bubblewrap filesystem view.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseGatewayConfig, createGateway } from '../../../gateway/index.js';
import { hostCapabilities } from '../../../gateway/sandbox/host.js';
import { which } from '../../../gateway/sandbox/which.js';
import { ROOT, startGateway, tempDir, testConfig, waitFor, type TestGateway } from '../helpers.js';
import { callJson, environOf, FAULT_SERVER, faultService, HERE, leaderPid, serverPid, TINY_SERVER, tinyService } from './helpers.js';
import { pino } from 'pino';

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

const limitLine = (limits: string, name: string): string[] => {
  const line = limits.split('\n').find((l) => l.startsWith(name));
  if (!line) throw new Error(`no "${name}" in limits`);
  return line.slice(name.length).trim().split(/\s+/);
};

const isRoot = process.getuid?.() === 0;
const hasBwrap = hostCapabilities().bwrap.ok;

describe('limits and environment of the running server', () => {
  it('applies configured rlimits (RLIMIT_DATA for Node) and a minimal env without loader hooks', async () => {
    process.env.GW_HARDENING_SECRET = 'must-not-leak';
    try {
      const limits = { cpu_seconds: 120, max_processes: 40, max_file_size_bytes: 1_048_576, max_memory_bytes: 402_653_184 };
      const env = { LD_PRELOAD: '/nonexistent/evil.so', LD_LIBRARY_PATH: '/evil', DYLD_INSERT_LIBRARIES: '/evil.dylib', APP_MODE: 'test' };
      const workDir = tempDir('gw-wd-');
      gw = await startGateway(testConfig({ fx: faultService({ env, sandbox: { limits, working_dir: workDir } }) }));
      expect((await callJson(gw, 'fx', { tool: 'ping', session_id: 'lim' })).status).toBe(200);
      const pid = serverPid(await leaderPid(gw, 'lim', 'fx'), FAULT_SERVER);
      const text = readFileSync(`/proc/${pid}/limits`, 'utf8');
      expect(limitLine(text, 'Max cpu time').slice(0, 2)).toEqual(['120', '120']);
      expect(limitLine(text, 'Max processes').slice(0, 2)).toEqual(['40', '40']);
      expect(limitLine(text, 'Max file size').slice(0, 2)).toEqual(['1048576', '1048576']);
      expect(limitLine(text, 'Max data size').slice(0, 2)).toEqual(['402653184', '402653184']);
      expect(limitLine(text, 'Max address space')[0]).toBe('unlimited');

      const environ = environOf(pid);
      expect(Object.keys(environ).sort()).toEqual(['APP_MODE', 'HOME', 'LANG', 'PATH', 'TMPDIR'].concat(process.env.NODE_PATH ? ['NODE_PATH'] : []).sort());
      expect(environ.HOME).toMatch(/\/sandbox\/\d+\.fx-lim-[^/]+$/);
      expect(environ.TMPDIR).toBe(environ.HOME);
      expect(readlinkSync(`/proc/${pid}/cwd`)).toBe(workDir);

      // Removed when the session closes.
      expect(existsSync(environ.HOME as string)).toBe(true);
      expect((await gw.del('/sessions/lim')).status).toBe(200);
      await waitFor(() => !existsSync(environ.HOME as string), 'the private folder to be removed');
    } finally {
      delete process.env.GW_HARDENING_SECRET;
    }
  });

  it('caps a non-Node server with the same RLIMIT_DATA (no RLIMIT_AS), and strips loader hooks even with restricted_env off', async () => {
    process.env.GW_HARDENING_SECRET = 'visible-when-unrestricted';
    try {
      const env = { LD_PRELOAD: '/nonexistent/evil.so', LD_AUDIT: '/evil.so' };
      gw = await startGateway(testConfig({ tiny: tinyService({ env, sandbox: { restricted_env: false, limits: { max_memory_bytes: 268_435_456 } } }) }));
      expect((await callJson(gw, 'tiny', { tool: 'ping', session_id: 'as' })).status).toBe(200);
      const pid = serverPid(await leaderPid(gw, 'as', 'tiny'), TINY_SERVER);
      const text = readFileSync(`/proc/${pid}/limits`, 'utf8');
      expect(limitLine(text, 'Max data size').slice(0, 2)).toEqual(['268435456', '268435456']);
      expect(limitLine(text, 'Max address space')[0]).toBe('unlimited');
      expect(limitLine(text, 'Max cpu time')[0]).toBe('300');
      const environ = environOf(pid);
      expect(environ.GW_HARDENING_SECRET).toBe('visible-when-unrestricted');
      expect(environ).not.toHaveProperty('LD_PRELOAD');
      expect(environ).not.toHaveProperty('LD_AUDIT');
    } finally {
      delete process.env.GW_HARDENING_SECRET;
    }
  });
});

describe.skipIf(!isRoot)('privilege drop (sandbox.user)', () => {
  it('runs the server as nobody, owning its private folder, unable to read root-only files', async () => {
    const dir = tempDir('gw-priv-');
    const secret = join(dir, 'root-only.txt');
    writeFileSync(secret, 'top secret');
    chmodSync(secret, 0o600);
    chmodSync(dir, 0o755);
    const raw = testConfig({ fx: faultService({ sandbox: { user: 'nobody', limits: { max_processes: 200 } } }) });
    chmodSync(dirname((raw.session as { sandbox_dir: string }).sandbox_dir), 0o711);
    gw = await startGateway(raw);
    const who = await callJson(gw, 'fx', { tool: 'whoami', session_id: 'drop' });
    const { uid, gid, home } = JSON.parse(who.body.result as string) as { uid: number; gid: number; home: string };
    expect(uid).toBe(65534);
    const pid = serverPid(await leaderPid(gw, 'drop', 'fx'), FAULT_SERVER);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    expect(status).toMatch(/^Uid:\s+65534\s+65534\s+65534\s+65534$/m);
    expect(status).toMatch(new RegExp(`^Gid:\\s+${gid}\\s+${gid}\\s+${gid}\\s+${gid}$`, 'm'));
    expect(status).toMatch(/^Groups:\s*$/m);
    expect(statSync(home).uid).toBe(65534);
    const write = await callJson(gw, 'fx', { tool: 'write_file', session_id: 'drop', arguments: { path: join(home, 'f.txt'), bytes: 10 } });
    expect(write.body).toMatchObject({ is_error: false, result: 'written' });
    const read = await callJson(gw, 'fx', { tool: 'read_file', session_id: 'drop', arguments: { path: secret } });
    expect(read.body).toMatchObject({ is_error: true, result: 'EACCES' });
  });

  it('refuses to start when the user cannot reach session.sandbox_dir', async () => {
    const raw = testConfig({ fx: faultService({ sandbox: { user: 'nobody', limits: { max_processes: 200 } } }) });
    chmodSync(dirname((raw.session as { sandbox_dir: string }).sandbox_dir), 0o700);
    const config = parseGatewayConfig(raw, { baseDir: ROOT, env: {} });
    await expect(createGateway(config, { logger: pino({ level: 'silent' }) })).rejects.toThrow(
      /services\.fx\.sandbox\.user: user "nobody" \(uid 65534\) cannot reach its session folders: \/tmp\/gw-test-\w+ has mode 700/,
    );
  });

  it('refuses to start a Node service as another user with a max_processes Node cannot live with', async () => {
    const raw = testConfig({ fx: faultService({ sandbox: { user: 'nobody', limits: { max_processes: 10 } } }) });
    const config = parseGatewayConfig(raw, { baseDir: ROOT, env: {} });
    await expect(createGateway(config, { logger: pino({ level: 'silent' }) })).rejects.toThrow(
      /services\.fx\.sandbox\.limits\.max_processes: a Node server starts ~11 threads/,
    );
  });
});

describe.skipIf(!isRoot || !hasBwrap)('filesystem view (allowed_paths, bubblewrap)', () => {
  it('shows only allowed and read-only paths; the server runs confined, as nobody, with its limits', async () => {
    const base = tempDir('gw-fs-');
    const allowed = join(base, 'allowed');
    const hidden = join(base, 'hidden');
    mkdirSync(allowed);
    mkdirSync(hidden);
    writeFileSync(join(allowed, 'visible.txt'), 'hello from allowed');
    writeFileSync(join(hidden, 'secret.txt'), 'you must not see this');
    const sandbox = {
      allowed_paths: [allowed],
      readonly_paths: [HERE, join(ROOT, 'node_modules')],
      user: 'nobody',
      isolation: 'auto',
      limits: { max_processes: 200 },
    };
    const raw = testConfig({ fs: faultService({ sandbox }) });
    // The project folder holds the server's code, so it is visible read-only; the gateway's secrets in it are not.
    (raw.session as { hide_paths: string[] }).hide_paths = [join(ROOT, 'config.json')];
    gw = await startGateway(raw);
    const read = (path: string) => callJson(gw as TestGateway, 'fs', { tool: 'read_file', session_id: 'view', arguments: { path } });
    expect((await read(join(allowed, 'visible.txt'))).body).toMatchObject({ is_error: false, result: 'hello from allowed' });
    expect((await read(join(hidden, 'secret.txt'))).body).toMatchObject({ is_error: true, result: 'ENOENT' });
    expect((await read(join(ROOT, 'config.json'))).body).toMatchObject({ is_error: true, result: 'EACCES' });
    expect((await read(join(ROOT, 'package.json'))).body.result).toContain('"name"');
    expect((await read('/etc/shadow')).body).toMatchObject({ is_error: true, result: 'ENOENT' });
    const write = await callJson(gw, 'fs', { tool: 'write_file', session_id: 'view', arguments: { path: join(HERE, 'x.txt'), bytes: 1 } });
    expect(write.body.is_error).toBe(true);

    // The MCP server is a descendant of the bwrap leader, in its own pid namespace.
    const leader = await leaderPid(gw, 'view', 'fs');
    const pid = serverPid(leader, FAULT_SERVER);
    expect(pid).not.toBe(leader);
    const inside = await callJson(gw, 'fs', { tool: 'pid', session_id: 'view' });
    expect(Number(inside.body.result)).not.toBe(pid);
    expect(readFileSync(`/proc/${pid}/status`, 'utf8')).toMatch(/^Uid:\s+65534\s+65534/m);
    expect(limitLine(readFileSync(`/proc/${pid}/limits`, 'utf8'), 'Max cpu time')[0]).toBe('300');
    expect(environOf(pid)).not.toHaveProperty('LD_PRELOAD');
  });

  it('stops start-up with a clear error naming the field when an allowed path does not exist', async () => {
    const config = parseGatewayConfig(testConfig({ fs: faultService({ sandbox: { allowed_paths: ['/nonexistent/data'] } }) }), { baseDir: ROOT, env: {} });
    await expect(createGateway(config, { logger: pino({ level: 'silent' }) })).rejects.toThrow(
      'services.fs.sandbox.allowed_paths: /nonexistent/data does not exist',
    );
  });
});

describe('start-up without bubblewrap', () => {
  it('the CLI exits 2 with a message naming allowed_paths when bwrap is not on PATH', async () => {
    const dir = tempDir('gw-nobwrap-');
    const configPath = join(dir, 'config.json');
    const cfg = testConfig({ fs: faultService({ sandbox: { allowed_paths: [dir], resource_limits: false } }) });
    writeFileSync(configPath, JSON.stringify(cfg));
    const { spawnSync } = await import('node:child_process');
    const run = spawnSync(process.execPath, [join(ROOT, 'bin/mcp-gateway.js'), '-c', configPath, '--port', '0'], {
      env: { PATH: join(dir, 'no-tools-here'), HOME: dir },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.stderr).toContain('services.fs.sandbox.allowed_paths: bubblewrap (bwrap) is not installed');
    expect(run.status).toBe(2);
    expect(which('bwrap', join(dir, 'no-tools-here'))).toBeUndefined();
  });
});
