import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../../gateway/index.js';
import { buildChildEnv } from '../../gateway/sandbox/env.js';
import { SANDBOX_LAYERS } from '../../gateway/config/schema.js';
import type { HostCapabilities } from '../../gateway/sandbox/host.js';
import { buildLaunch, type SandboxEnvironment } from '../../gateway/sandbox/launch.js';
import { hasLayer, planSandbox } from '../../gateway/sandbox/plan.js';
import { probeSandboxes } from '../../gateway/sandbox/probe.js';
import { leaderPid, serverPid } from './hardening/helpers.js';
import { fixtureService, startGateway, testConfig, type TestGateway } from './helpers.js';

const parent = {
  PATH: '/opt/custom/bin:/usr/bin',
  HOME: '/root',
  LANG: 'en_US.UTF-8',
  SECRET_API_KEY: 'sk-123',
  NODE_PATH: '/opt/node_modules',
  LD_PRELOAD: '/evil.so',
  LD_LIBRARY_PATH: '/evil',
  DYLD_INSERT_LIBRARIES: '/evil.dylib',
};

describe('child env', () => {
  it('restricted: minimal PATH/HOME/TMPDIR/LANG plus NODE_PATH, service env last', () => {
    const env = buildChildEnv({ restricted: true, homeDir: '/sb/s1', parent, extra: { MEMORY_FILE_PATH: '/sb/m.json' } });
    expect(Object.keys(env).sort()).toEqual(['HOME', 'LANG', 'MEMORY_FILE_PATH', 'NODE_PATH', 'PATH', 'TMPDIR']);
    expect(env).toMatchObject({ HOME: '/sb/s1', TMPDIR: '/sb/s1', LANG: 'en_US.UTF-8', NODE_PATH: '/opt/node_modules' });
    expect(env.PATH).not.toContain('/opt/custom/bin');
  });

  it('unrestricted: the parent env, but loader hooks are always removed', () => {
    const env = buildChildEnv({ restricted: false, parent, extra: { LD_PRELOAD: '/also-evil.so' } });
    expect(env.SECRET_API_KEY).toBe('sk-123');
    expect(env).not.toHaveProperty('LD_PRELOAD');
    expect(env).not.toHaveProperty('LD_LIBRARY_PATH');
    expect(env).not.toHaveProperty('DYLD_INSERT_LIBRARIES');
  });
});

describe('launch', () => {
  const service = (command: string[], sandbox: Record<string, unknown> = {}) => {
    const cfg = parseGatewayConfig({ server: { auth_token: 't' }, services: { s: { command, sandbox } } }, { env: {}, baseDir: '/base' });
    return cfg.services.s!;
  };
  /** A host with util-linux but no namespaces, cgroups or root: the launch is the plain wrapper chain. */
  const bare: SandboxEnvironment = {
    host: {
      root: false,
      bwrap: { ok: false, why: 'no bwrap' },
      unshare: { ok: false, why: 'no unshare' },
      setpriv: '/usr/bin/setpriv',
      prlimit: 'prlimit',
      cgroup: { hierarchies: [] },
    },
    hidden: [],
  };

  it('runs node as process.execPath under setpriv (death signal) + prlimit with RLIMIT_DATA', () => {
    const launch = buildLaunch(service(['node', 'server.js']), '/sb/x', bare, {});
    expect(launch.command).toBe('/usr/bin/setpriv');
    expect(launch.args).toEqual([
      '--pdeathsig=SIGKILL',
      '--',
      'prlimit',
      '--cpu=300',
      '--nproc=64',
      `--fsize=${10 * 1024 * 1024}`,
      `--data=${512 * 1024 * 1024}`,
      '--',
      process.execPath,
      'server.js',
    ]);
    expect(launch.cwd).toBe('/base');
    expect(launch.memoryBytes).toBe(512 * 1024 * 1024);
  });

  it('caps every other launcher the same way (RLIMIT_DATA, never RLIMIT_AS), and skips limits when disabled', () => {
    for (const command of [
      ['python3', 'srv.py'],
      ['npx', '-y', 'pkg'],
      ['env', 'A=1', 'node', 's.js'],
      ['sh', '-c', 'exec node s.js'],
      ['uvx', 'pkg'],
    ]) {
      const args = buildLaunch(service(command), undefined, bare, {}).args;
      expect(args).toContain(`--data=${512 * 1024 * 1024}`);
      expect(args.some((a) => a.startsWith('--as='))).toBe(false);
    }
    const free = buildLaunch(service(['python3', 'srv.py'], { resource_limits: false, working_dir: 'w' }), undefined, bare, {});
    expect(free).toMatchObject({ args: ['--pdeathsig=SIGKILL', '--', 'python3', 'srv.py'], cwd: '/base/w' });
    expect(free.memoryBytes).toBeUndefined();
  });

  it('puts the server in its own namespaces when only unshare is there', () => {
    const host = { ...bare.host, unshare: { ok: true as const, path: '/usr/bin/unshare' } };
    const launch = buildLaunch(service(['node', 'server.js']), undefined, { host, hidden: [] }, {});
    const at = launch.args.indexOf('/usr/bin/unshare');
    expect(launch.args.slice(at, at + 8)).toEqual(['/usr/bin/unshare', '--user', '--map-root-user', '--pid', '--fork', '--kill-child', '--mount-proc', '--']);
  });
});

describe('sandboxed server process', () => {
  let gw: TestGateway | undefined;
  afterEach(async () => {
    await gw?.close();
    gw = undefined;
  });

  it('runs with the limits, env and private HOME the sandbox promises', async () => {
    process.env.GW_SANDBOX_SECRET = 'do-not-leak';
    try {
      gw = await startGateway(testConfig({ fx: fixtureService() }));
      const res = await gw.call('fx', { tool: 'env', session_id: 'sbx' });
      const { env, cwd } = JSON.parse(((await res.json()) as { result: string }).result) as { env: Record<string, string>; cwd: string };
      expect(env).not.toHaveProperty('GW_SANDBOX_SECRET');
      expect(env.HOME).toMatch(/\/sandbox\/\d+\.fx-sbx-[^/]+$/);
      expect(env.TMPDIR).toBe(env.HOME);
      expect(cwd.length).toBeGreaterThan(0);

      const pid = serverPid(await leaderPid(gw, 'sbx', 'fx'), 'fixture-server.mjs');
      const limits = readFileSync(`/proc/${pid}/limits`, 'utf8');
      expect(limits).toMatch(/Max cpu time\s+300\s+300\s+seconds/);
      expect(limits).toMatch(/Max processes\s+64\s+64/);
      expect(limits).toMatch(/Max file size\s+10485760\s+10485760\s+bytes/);
      expect(limits).toMatch(/Max data size\s+536870912\s+536870912\s+bytes/);
    } finally {
      delete process.env.GW_SANDBOX_SECRET;
    }
  });
});

describe('sandbox plan', () => {
  const sandboxOf = (sandbox: Record<string, unknown> = {}) =>
    parseGatewayConfig({ server: { auth_token: 't' }, services: { s: { command: ['node', 'x.js'], sandbox } } }, { env: {}, baseDir: '/base' }).services.s!
      .sandbox;
  const cgroup = { hierarchies: [], memory: 'v1' as const, pids: 'v1' as const, kill: 'v1' as const };
  const full: HostCapabilities = {
    root: true,
    bwrap: { ok: true, path: '/usr/bin/bwrap' },
    unshare: { ok: true, path: '/usr/bin/unshare' },
    setpriv: 'setpriv',
    prlimit: 'prlimit',
    cgroup,
  };
  const bare: HostCapabilities = {
    root: false,
    bwrap: { ok: false, why: 'no bwrap' },
    unshare: { ok: false, why: 'no unshare' },
    setpriv: 'setpriv',
    prlimit: 'prlimit',
    cgroup: { hierarchies: [], problem: 'no cgroup' },
  };

  it('takes every layer a full host gives, and names none missing', () => {
    const plan = planSandbox(sandboxOf(), full);
    expect(plan).toMatchObject({ isolation: 'bwrap', filesystem: 'confined', uid: 'per-session', rlimits: true, missing: [] });
    expect(SANDBOX_LAYERS.every((layer) => hasLayer(plan, layer))).toBe(true);
  });

  it('falls back to unshare without bubblewrap, saying the filesystem view is missing', () => {
    const plan = planSandbox(sandboxOf(), { ...full, bwrap: { ok: false, why: 'bubblewrap (bwrap) is not installed' } });
    expect(plan.isolation).toBe('unshare');
    expect(plan.missing.map((m) => m.layer)).toEqual(['filesystem']);
  });

  it('on a bare host names each missing layer', () => {
    expect(planSandbox(sandboxOf(), bare).missing.map((m) => m.layer)).toEqual(['namespaces', 'filesystem', 'uid', 'memory_cgroup']);
  });

  it('a required layer the settings turn off stops start-up too, naming sandbox.require', () => {
    const services = parseGatewayConfig(
      { server: { auth_token: 't' }, services: { s: { command: ['node', 'x.js'], sandbox: { isolation: 'none', require: ['namespaces'] } } } },
      { env: {}, baseDir: '/base' },
    ).services;
    expect(() => probeSandboxes(services, '/tmp', full)).toThrow(/services\.s\.sandbox\.require: required layer "namespaces" is not available/);
  });
});
