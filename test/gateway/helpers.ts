/** Shared helpers for the gateway tests: real gateways on loopback, process and process-group checks. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { createGateway, parseGatewayConfig, type Gateway, type GatewayOptions } from '../../gateway/index.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const FIXTURE_SERVER = join(ROOT, 'test/fixtures/servers/fixture-server.mjs');
export const TODO_SERVER = join(ROOT, 'dist/todo-server.js');
export const EVERYTHING_SERVER = join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
export const TOKEN = 'test-token-0123456789';

/** Polls `check` until it returns a truthy value; fails after `timeoutMs`. */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** True while /proc has an entry for `pid` (zombies count: they have not been reaped). */
export function processExists(pid: number): boolean {
  try {
    readFileSync(`/proc/${pid}/stat`);
    return true;
  } catch {
    return false;
  }
}

/** Pids of every process (any state, zombies included) whose process group is `pgid`. */
export function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid) members.push(Number(name));
    } catch {
      // the process went away while we looked
    }
  }
  return members;
}

/** Waits until the process and its whole group are gone. */
export async function expectGroupGone(pid: number): Promise<void> {
  await waitFor(() => !processExists(pid) && groupMembers(pid).length === 0, `process group ${pid} to be gone`);
}

/** A fresh temporary folder. */
export const tempDir = (prefix = 'gw-test-'): string => mkdtempSync(join(tmpdir(), prefix));

/** Raw config for tests: loopback, bearer + basic auth, generous limits, a private sandbox dir. */
export function testConfig(services: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    server: { host: '127.0.0.1', port: 0, auth_user: 'admin', auth_password: 'secret', auth_token: TOKEN },
    services,
    session: { sandbox_dir: join(tempDir(), 'sandbox'), cleanup_interval: 60 },
    rate_limiting: { default_limits: ['100000 per hour'], tools_limit: '10000 per minute', call_limit: '10000 per minute', session_delete_limit: '10000 per minute' },
    logging: { level: 'ERROR' },
    ...extra,
  };
}

/** A service entry running the fixture server. */
export const fixtureService = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  command: ['node', FIXTURE_SERVER],
  description: 'fixture',
  ...extra,
});

/** A small HTTP client bound to a running gateway. */
export interface TestGateway {
  url: string;
  gateway: Gateway;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  call(service: string, body: unknown): Promise<Response>;
  del(path: string): Promise<Response>;
  close(): Promise<void>;
}

export const AUTH = { authorization: `Bearer ${TOKEN}` };

/** Starts an in-process gateway on 127.0.0.1:0 from a raw config. */
export async function startGateway(raw: Record<string, unknown>, opts: GatewayOptions = {}): Promise<TestGateway> {
  const config = parseGatewayConfig(raw, { baseDir: ROOT, env: {} });
  const gateway = await createGateway(config, { logger: pino({ level: 'silent' }), ...opts });
  const { url } = await gateway.listen(0, '127.0.0.1');
  return {
    url,
    gateway,
    get: (path, headers = AUTH) => fetch(url + path, { headers }),
    call: (service, body) =>
      fetch(`${url}/services/${service}/call`, {
        method: 'POST',
        headers: { ...AUTH, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    del: (path) => fetch(url + path, { method: 'DELETE', headers: AUTH }),
    close: () => gateway.close(),
  };
}

/** A free loopback port (for servers that cannot report the port they bound). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Spawns a child and collects its output; `waitForOutput` resolves with the first regex match. */
export function spawnCollecting(command: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const child: ChildProcess = spawn(command, args, { cwd: opts.cwd ?? ROOT, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    exited,
    output: () => ({ stdout, stderr }),
    waitForOutput: (re: RegExp, timeoutMs = 20_000) =>
      waitFor(() => re.exec(stderr) ?? re.exec(stdout), `output ${re}`, timeoutMs),
  };
}
