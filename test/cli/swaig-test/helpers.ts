/** Helpers for swaig-test's tests: the CLI as a child process, live agents and a gateway child on loopback. */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, spawnCollecting, tempDir, testConfig, TODO_SERVER, TOKEN, waitFor } from '../../gateway/helpers.js';

export { TOKEN, waitFor } from '../../gateway/helpers.js';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'bin/swaig-test.js');
export const NOTES_AGENT = 'test/fixtures/agents/notes-agent.ts';
export const TODO_AGENT = 'agents/todo-agent.ts';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The test's environment without LOG_LEVEL / MCP_GATEWAY_* / SWML_* of the developer's shell, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(LOG_LEVEL|MCP_|SWML_|SWAIG_|FIXTURE_|PORT$|DEBUG$)/.test(key)) env[key] = value;
  }
  return { ...env, ...extra };
}

/** Runs `node bin/swaig-test.js …args` in the repo root; `input` is written to its stdin. */
export function swaigTest(args: string[], opts: { env?: Record<string, string>; input?: string } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: cleanEnv(opts.env), stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** Parses stdout as one JSON document, failing with the output when it is not. */
export function json<T = Record<string, unknown>>(run: CliRun): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`stdout is not JSON (exit ${run.code}):\n${run.stdout}\nstderr:\n${run.stderr}`);
  }
}

/** A child process serving HTTP on loopback. */
export interface LiveProcess {
  url: string;
  output(): { stdout: string; stderr: string };
  stop(): Promise<void>;
}

async function stopChild(child: ReturnType<typeof spawnCollecting>): Promise<void> {
  if (child.child.exitCode !== null || child.child.signalCode !== null) return;
  child.child.kill('SIGTERM');
  await child.exited;
}

export const AGENT_AUTH = { user: 'tester', password: 'pa:ss@w/rd' };

/**
 * Serves an agent file (`node --import tsx FILE`) on 127.0.0.1 at a free port with known Basic credentials and
 * waits for /health. `url` carries the credentials, percent-encoded.
 */
export async function startLiveAgent(file: string, env: Record<string, string> = {}): Promise<LiveProcess> {
  const port = await freePort();
  const child = spawnCollecting(process.execPath, ['--import', 'tsx', file], {
    cwd: ROOT,
    env: cleanEnv({ PORT: String(port), HOST: '127.0.0.1', SWML_BASIC_AUTH_USER: AGENT_AUTH.user, SWML_BASIC_AUTH_PASSWORD: AGENT_AUTH.password, ...env }),
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitFor(async () => {
      if (child.child.exitCode !== null) throw new Error(`agent exited early:\n${child.output().stderr}`);
      return fetch(`${base}/health`).then((r) => r.ok, () => false);
    }, `${file} /health`, 30_000);
  } catch (err) {
    await stopChild(child);
    throw err;
  }
  const url = new URL(`${base}/`);
  url.username = encodeURIComponent(AGENT_AUTH.user);
  url.password = encodeURIComponent(AGENT_AUTH.password);
  return { url: url.href, output: child.output, stop: () => stopChild(child) };
}

/** A standalone `mcp-gateway` child serving the todo server, on 127.0.0.1 with bearer TOKEN. */
export async function startGatewayChild(): Promise<LiveProcess & { sessionsFor(callId: string): Promise<unknown[]> }> {
  const dir = tempDir('swaig-test-gw-');
  const config = testConfig({ todo: { command: ['node', TODO_SERVER], description: 'todo list' } });
  const configPath = join(dir, 'config.json');
  writeFileSync(configPath, JSON.stringify(config));
  const child = spawnCollecting(process.execPath, [join(ROOT, 'bin/mcp-gateway.js'), '-c', configPath, '--port', '0', '--host', '127.0.0.1'], {
    cwd: ROOT,
    env: cleanEnv(),
  });
  const match = await child.waitForOutput(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 30_000);
  const url = match[1] as string;
  const sessionsFor = async (callId: string): Promise<unknown[]> => {
    const res = await fetch(`${url}/sessions`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const body = (await res.json()) as { sessions: Array<{ session_id: string }> };
    return body.sessions.filter((s) => s.session_id === callId);
  };
  return { url, output: child.output, stop: () => stopChild(child), sessionsFor };
}
