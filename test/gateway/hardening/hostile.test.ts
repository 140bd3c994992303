/**
 * A hostile third-party MCP server under the DEFAULT sandbox config (no isolation, user or allowed_paths
 * set): each attack it tries on the gateway, on another call or on the host must fail, or end at its cap,
 * with the gateway healthy. Where this host lacks a layer (no bwrap, not root) the suite in
 * hostile-lifecycle.test.ts proves the warning instead.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostCapabilities } from '../../../gateway/sandbox/host.js';
import { ROOT, startGateway, testConfig, waitFor, type TestGateway } from '../helpers.js';
import { callJson, HERE, isRunning, leaderPid, processesRunning, serverPid } from './helpers.js';

export const HOSTILE_SERVER = join(HERE, 'fixtures/hostile-server.mjs');
const host = hostCapabilities();
const fullyIsolated = host.root && host.bwrap.ok && host.cgroup.memory !== undefined;
const SECRET = `gateway-secret-${process.pid}-${Date.now()}`;

type Attempt = { ok: boolean; value?: unknown; error?: string };

/** The default (bubblewrap here), and the `unshare` fallback a host without bubblewrap gets. */
const modes = [
  { isolation: 'auto', available: fullyIsolated },
  { isolation: 'unshare', available: host.root && host.unshare.ok && host.cgroup.memory !== undefined },
];

describe.each(modes)('a hostile server under the default sandbox (isolation: $isolation)', ({ isolation, available }) => {
  if (!available) {
    it.skip(`needs root, ${isolation === 'auto' ? 'bubblewrap' : 'unshare'} and a memory cgroup`, () => undefined);
    return;
  }
  let gw: TestGateway;
  let sandboxDir: string;
  const attacks = { tried: 0, blocked: 0 };
  const tool = async (session: string, name: string, args: Record<string, unknown> = {}): Promise<Attempt & Record<string, unknown>> => {
    const res = await callJson(gw, 'evil', { tool: name, session_id: session, arguments: args });
    expect(res.status).toBe(200);
    return JSON.parse(res.body.result as string) as Attempt & Record<string, unknown>;
  };
  /** One attack: `blocked` must hold. Counted for the closing report. */
  const attack = (blocked: boolean): void => {
    attacks.tried++;
    if (blocked) attacks.blocked++;
    expect(blocked).toBe(true);
  };

  beforeAll(async () => {
    // Secrets the gateway process holds, as a real deployment's env would.
    process.env.MCP_AUTH_PASSWORD = SECRET;
    const raw = testConfig({
      evil: { command: ['node', HOSTILE_SERVER], env: { HOSTILE_TAG: `hostile-escapee-${process.pid}` }, sandbox: { isolation } },
      small: { command: ['node', HOSTILE_SERVER], sandbox: { isolation, limits: { max_memory_bytes: 192 * 1024 * 1024 } } },
    });
    sandboxDir = (raw.session as { sandbox_dir: string }).sandbox_dir;
    gw = await startGateway(raw);
  });
  afterAll(async () => {
    delete process.env.MCP_AUTH_PASSWORD;
    await gw?.close();
    console.info(`hostile suite (${isolation}): ${attacks.blocked} of ${attacks.tried} attacks blocked`);
  });

  it("cannot see the gateway's processes, environ or /proc", async () => {
    const scan = (await tool('a', 'steal_environ', { marker: SECRET })) as unknown as { visible: number; found: number[] };
    attack(scan.found.length === 0);
    // Its own pid namespace: only the server, its launcher and the namespace's init.
    attack(scan.visible <= 3);
    attack(!(await tool('a', 'read', { path: `/proc/${process.pid}/environ` })).ok);
    attack(!(await tool('a', 'read', { path: `/proc/${process.pid}/cmdline` })).ok);
  });

  it("cannot read the host's secrets or the gateway's config", async () => {
    attack(!(await tool('a', 'read', { path: '/etc/shadow' })).ok);
    attack(!(await tool('a', 'list', { path: '/root' })).ok);
    const ownEnv = await tool('a', 'read', { path: `/proc/self/environ` });
    attack(ownEnv.ok === true && !String(ownEnv.value).includes(SECRET));
  });

  it("cannot find or read another session's folder, nor see the other session folders", async () => {
    const a = (await tool('a', 'home')) as unknown as { home: string; uid: number };
    const b = (await tool('b', 'home')) as unknown as { home: string; uid: number };
    expect((await tool('a', 'write', { path: join(a.home, 'notes.txt'), data: 'private to call a' })).ok).toBe(true);
    attack(a.uid !== b.uid && a.uid !== 0 && b.uid !== 0);
    attack(!(await tool('b', 'read', { path: join(a.home, 'notes.txt') })).ok);
    const listing = await tool('b', 'session_dirs');
    attack(!listing.ok || (listing.value as string[]).every((name) => b.home.endsWith(name)));
    attack(!(await tool('b', 'write', { path: join(a.home, 'planted.txt'), data: 'x' })).ok);
    expect(existsSync(join(a.home, 'planted.txt'))).toBe(false);
  });

  it('writes only to its own folder and private /tmp', async () => {
    const { home } = (await tool('a', 'home')) as unknown as { home: string };
    expect((await tool('a', 'write', { path: join(home, 'ok.txt'), data: 'fine' })).ok).toBe(true);
    // A private /tmp under bubblewrap; the host's (sticky) /tmp under unshare, hence a name of its own.
    const scratch = `/tmp/hostile-ok-${process.pid}-${Date.now()}.txt`;
    expect((await tool('a', 'write', { path: scratch, data: 'fine' })).ok).toBe(true);
    if (isolation === 'auto') expect(existsSync(scratch)).toBe(false);
    else rmSync(scratch, { force: true });
    for (const path of [join(ROOT, 'pwned.txt'), '/etc/pwned', '/usr/pwned', join(sandboxDir, 'pwned'), '/pwned']) {
      attack(!(await tool('a', 'write', { path, data: 'x' })).ok);
      attack(!existsSync(path));
    }
  });

  it("cannot signal another session's server", async () => {
    await tool('a', 'home');
    await tool('b', 'home');
    const victim = serverPid(await leaderPid(gw, 'a', 'evil'), HOSTILE_SERVER);
    const killed = (await tool('b', 'kill_others')) as unknown as { killed: number[] };
    // Whatever it could signal lives in its own namespace; the host pid of the other call's server is not there.
    const direct = (await tool('b', 'kill_others', { pid: victim })) as unknown as { killed: number[] };
    attack(direct.killed.length === 0);
    attack(isRunning(victim));
    expect(killed.killed.length).toBeGreaterThanOrEqual(0);
    expect((await callJson(gw, 'evil', { tool: 'home', session_id: 'a' })).status).toBe(200);
  });

  it('an escaped (setsid) grandchild dies with its session on DELETE', async () => {
    const tag = `hostile-escapee-${process.pid}`;
    expect((await callJson(gw, 'evil', { tool: 'escape', session_id: 'esc' })).body.result).toBe('escaped');
    await waitFor(() => processesRunning(tag).length > 0, 'the escapee to run');
    expect((await gw.del('/sessions/esc')).status).toBe(200);
    await waitFor(() => processesRunning(tag).length === 0, 'no escapee left after DELETE');
    attack(processesRunning(tag).length === 0);
  });

  it('dies at its memory cap: the call answers 502 naming the limit, the next call gets a fresh server', async () => {
    const warm = await callJson(gw, 'small', { tool: 'home', session_id: 'mem' });
    expect(warm.status).toBe(200);
    const big = await callJson(gw, 'small', { tool: 'allocate', session_id: 'mem', arguments: { mib: 600 } });
    attack(big.status === 502);
    expect(big.body.error).toMatch(/memory limit of 192 MiB/);
    const next = await callJson(gw, 'small', { tool: 'home', session_id: 'mem' });
    expect(next.status).toBe(200);
    expect(next.body.session_reset).toBe(true);
  });

  it('leaves the gateway healthy and no session folder behind once sessions close', async () => {
    expect((await gw.get('/health')).status).toBe(200);
    for (const id of ['a', 'b', 'mem']) await gw.del(`/sessions/${id}`);
    await waitFor(() => readdirSync(sandboxDir).length === 0, 'no session folder left');
  });
});
