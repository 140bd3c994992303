/** Helpers for swaig-test's tests: the CLI as a child process, live agents and a gateway child on loopback. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StepOutcome } from '../../../src/cli/swaig-test/call-session.js';
import { testConfig, TODO_SERVER, TOKEN } from '../../gateway/helpers.js';
import { freePort, waitForHttpOk } from '../../helpers/net.js';
import { ROOT, tempDir } from '../../helpers/paths.js';
import { envWithout, runCommand, spawnCollecting, type CollectingChild, type CommandResult } from '../../helpers/processes.js';

export { TOKEN } from '../../gateway/helpers.js';
export { waitFor } from '../../helpers/net.js';
export { ROOT } from '../../helpers/paths.js';

const BIN = join(ROOT, 'bin/swaig-test.js');
export const NOTES_AGENT = 'test/fixtures/agents/notes-agent.ts';
export const TODO_AGENT = 'agents/todo-agent.ts';
export const ECHO_AGENT = 'test/fixtures/agents/echo-agent.ts';
export const MULTI_AGENT = 'test/fixtures/agents/multi-agent.ts';

/** One step as `--raw` prints it: the session's StepOutcome without the HTTP exchange, plus the call id. */
export type StepJson = Omit<StepOutcome, 'exchange'> & { call_id: string };

/** The test's environment without LOG_LEVEL / MCP_GATEWAY_* / SWML_* of the developer's shell, plus `extra`. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return envWithout(/^(LOG_LEVEL|MCP_|SWML_|SWAIG_|FIXTURE_|PORT$|DEBUG$)/, extra);
}

/**
 * Runs `node bin/swaig-test.js …args` in the repo root; `input` is written to its stdin. `direct` runs the bin
 * itself, through its shebang, as `npx swaig-test` does (needed for `--env-file`, which Node 20 itself scans for).
 */
export function swaigTest(args: string[], opts: { env?: Record<string, string>; input?: string; direct?: boolean } = {}): Promise<CommandResult> {
  const [command, argv] = opts.direct ? [BIN, args] : [process.execPath, [BIN, ...args]];
  return runCommand(command, argv, { env: cleanEnv(opts.env), input: opts.input ?? '' });
}

/** Parses stdout as one JSON document, failing with the output when it is not. */
export function json<T = Record<string, unknown>>(run: CommandResult): T {
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

/** Stops a child (SIGTERM unless it has exited) and resolves once it is gone. */
const stopper = (child: CollectingChild) => async (): Promise<void> => {
  await child.stop();
};

export const AGENT_AUTH = { user: 'tester', password: 'pa:ss@w/rd' };

/**
 * Serves an agent file (`node --import tsx FILE`) on 127.0.0.1 at a free port with known Basic credentials and
 * waits for /health. `url` carries the credentials, percent-encoded.
 */
export async function startLiveAgent(file: string, env: Record<string, string> = {}): Promise<LiveProcess> {
  const port = await freePort();
  const child = spawnCollecting(process.execPath, ['--import', 'tsx', file], {
    env: cleanEnv({ PORT: String(port), HOST: '127.0.0.1', SWML_BASIC_AUTH_USER: AGENT_AUTH.user, SWML_BASIC_AUTH_PASSWORD: AGENT_AUTH.password, ...env }),
  });
  const base = `http://127.0.0.1:${port}`;
  const alive = (): void => {
    if (child.child.exitCode !== null) throw new Error(`agent exited early:\n${child.output().stderr}`);
  };
  try {
    await waitForHttpOk(`${base}/health`, { what: `${file} /health`, timeoutMs: 30_000, alive });
  } catch (err) {
    await child.stop();
    throw err;
  }
  const url = new URL(`${base}/`);
  url.username = encodeURIComponent(AGENT_AUTH.user);
  url.password = encodeURIComponent(AGENT_AUTH.password);
  return { url: url.href, output: child.output, stop: stopper(child) };
}

/** A standalone `mcp-gateway` child serving the todo server, on 127.0.0.1 with bearer TOKEN. */
export async function startGatewayChild(): Promise<LiveProcess & { sessionsFor(callId: string): Promise<unknown[]> }> {
  const dir = tempDir('swaig-test-gw-');
  const config = testConfig({ todo: { command: ['node', TODO_SERVER], description: 'todo list' } });
  const configPath = join(dir, 'config.json');
  writeFileSync(configPath, JSON.stringify(config));
  const child = spawnCollecting(process.execPath, [join(ROOT, 'bin/mcp-gateway.js'), '-c', configPath, '--port', '0', '--host', '127.0.0.1'], {
    env: cleanEnv(),
  });
  const match = await child.waitForOutput(/listening on (http:\/\/127\.0\.0\.1:\d+)/, 30_000);
  const url = match[1] as string;
  const sessionsFor = async (callId: string): Promise<unknown[]> => {
    const res = await fetch(`${url}/sessions`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const body = (await res.json()) as { sessions: Array<{ session_id: string }> };
    return body.sessions.filter((s) => s.session_id === callId);
  };
  return { url, output: child.output, stop: stopper(child), sessionsFor };
}
