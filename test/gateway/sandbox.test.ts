import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../../gateway/index.js';
import { buildChildEnv } from '../../gateway/sandbox/env.js';
import { buildLaunch } from '../../gateway/sandbox/launch.js';
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

  it('runs node as process.execPath under setpriv (death signal) + prlimit with RLIMIT_DATA instead of RLIMIT_AS', () => {
    const launch = buildLaunch(service(['node', 'server.js']), '/sb/x', {});
    expect(launch.command).toMatch(/\/setpriv$/);
    expect(launch.args).toEqual([
      '--pdeathsig=SIGKILL', '--',
      'prlimit', '--cpu=300', '--nproc=10', `--fsize=${10 * 1024 * 1024}`, `--data=${512 * 1024 * 1024}`, '--', process.execPath, 'server.js',
    ]);
    expect(launch.cwd).toBe('/base');
  });

  it('caps the address space of other commands, and skips limits when disabled', () => {
    expect(buildLaunch(service(['python3', 'srv.py']), undefined, {}).args).toContain(`--as=${512 * 1024 * 1024}`);
    const free = buildLaunch(service(['python3', 'srv.py'], { resource_limits: false, working_dir: 'w' }), undefined, {});
    expect(free).toMatchObject({ args: ['--pdeathsig=SIGKILL', '--', 'python3', 'srv.py'], cwd: '/base/w' });
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

      const pid = Number(((await (await gw.call('fx', { tool: 'pid', session_id: 'sbx' })).json()) as { result: string }).result);
      const limits = readFileSync(`/proc/${pid}/limits`, 'utf8');
      expect(limits).toMatch(/Max cpu time\s+300\s+300\s+seconds/);
      expect(limits).toMatch(/Max processes\s+10\s+10/);
      expect(limits).toMatch(/Max file size\s+10485760\s+10485760\s+bytes/);
      expect(limits).toMatch(/Max data size\s+536870912\s+536870912\s+bytes/);
    } finally {
      delete process.env.GW_SANDBOX_SECRET;
    }
  });
});
