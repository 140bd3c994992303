/** Helpers for the hardening tests: fixture servers, process-tree lookups in /proc, JSON calls. */
import { chmodSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { descendants, procStat } from '../../helpers/processes.js';
import { tempDir, type TestGateway } from '../helpers.js';

export { descendants } from '../../helpers/processes.js';

export const HERE = fileURLToPath(new URL('.', import.meta.url));
export const FAULT_SERVER = join(HERE, 'fixtures/fault-server.mjs');
export const TINY_SERVER = join(HERE, 'fixtures/tiny-server.awk');

/**
 * A service running the fault fixture (`FAULT_MODE` etc. go in `env`). Like the fixture server it runs
 * without namespaces unless `sandbox.isolation` says otherwise: these tests read and signal host pids.
 */
export const faultService = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  command: ['node', FAULT_SERVER],
  description: 'fault fixture',
  ...extra,
  sandbox: { isolation: 'none', ...(extra.sandbox as Record<string, unknown> | undefined) },
});

/** A service running the ~1 ms awk MCP server. */
export const tinyService = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  command: ['mawk', '-W', 'interactive', '-f', TINY_SERVER],
  description: 'tiny',
  ...extra,
});

/** A folder outside the session that a server running as a per-session uid may write to (its logs for the test). */
export function scratchDir(): string {
  const dir = tempDir('gw-scratch-');
  chmodSync(dir, 0o777);
  return dir;
}

/** True while `pid` exists and is not a zombie (a zombie has exited; only its exit status is left). */
export function isRunning(pid: number): boolean {
  const s = procStat(pid);
  return s !== undefined && s.state !== 'Z' && s.state !== 'X';
}

/** The command line of a process as an argv array ([] when gone). */
export function cmdline(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

/** Live pids whose command line contains `marker` (e.g. a fixture path). */
export function processesRunning(marker: string): number[] {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .filter((pid) => pid !== process.pid && cmdline(pid).some((arg) => arg.includes(marker)) && isRunning(pid));
}

const WRAPPERS = /(^|\/)(setpriv|prlimit|bwrap)$/;

/**
 * The MCP server process itself for a session whose spawned leader is `leader`: the leader when the wrapper
 * chain exec'd into the server, else the descendant (e.g. inside bwrap) whose argv runs `script`.
 */
export function serverPid(leader: number, script: string): number {
  for (const pid of [leader, ...descendants(leader)]) {
    const argv = cmdline(pid);
    if (argv.length > 0 && !WRAPPERS.test(argv[0] ?? '') && argv.some((a) => a.includes(script))) return pid;
  }
  throw new Error(`no process running ${script} under ${leader} (argv ${JSON.stringify(cmdline(leader))})`);
}

/** `/proc/<pid>/environ` as an object. */
export function environOf(pid: number): Record<string, string> {
  const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
  return Object.fromEntries(entries.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
}

/** The leader pid the gateway reports for a session of a service. */
export async function leaderPid(gw: TestGateway, sessionId: string, service: string): Promise<number> {
  const { sessions } = (await (await gw.get('/sessions')).json()) as { sessions: Array<{ session_id: string; service: string; pid?: number }> };
  const hit = sessions.find((s) => s.session_id === sessionId && s.service === service);
  if (hit?.pid === undefined) throw new Error(`no pid for ${sessionId}/${service}`);
  return hit.pid;
}

/** A call whose answer is parsed as JSON. */
export async function callJson(gw: TestGateway, service: string, body: unknown): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await gw.call(service, body);
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}
