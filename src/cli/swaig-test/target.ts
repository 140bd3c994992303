import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CliError, UsageError } from '../shared/cli-error.js';
import { redactUrl } from '../shared/redact.js';
import { withTimeout } from '../shared/with-timeout.js';
import { splitCredentials, type Credentials } from './http-client.js';
import { loadAgentFile, type AgentSelector } from './load-agent.js';

/** The agent under test, reachable over HTTP (a live server, or an in-process one on a loopback port). */
export interface AgentTarget {
  /** Where the SWML is fetched (the agent's route), without credentials. */
  swmlUrl: URL;
  credentials?: Credentials | undefined;
  /** For messages: the URL (password masked) or the file and agent name. */
  label: string;
  close(): Promise<void>;
}

/**
 * A running agent at `raw` (`https://user:pass@host/route`): credentials in the URL become Basic auth.
 * @throws UsageError (`invalid_url`) naming --url when the URL is not absolute http(s)
 */
export function openUrlTarget(raw: string): AgentTarget {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new UsageError(`--url: not an absolute URL: ${redactUrl(raw)} (e.g. https://user:pass@agent.example.com/)`, 'invalid_url');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`--url: must start with http:// or https://, got ${redactUrl(raw)}`, 'invalid_url');
  }
  const { url, credentials } = splitCredentials(parsed);
  return { swmlUrl: url, credentials, label: redactUrl(parsed.href), close: async () => undefined };
}

function listenLoopback(server: Server): Promise<number> {
  return new Promise((resolvePort, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolvePort((server.address() as AddressInfo).port));
  });
}

/**
 * Loads the agent in `file` in this process (SWAIG_CLI_MODE=true, so the file's own `serve()` does nothing),
 * waits for `ready()` (skills), and serves its real Express app on 127.0.0.1 at an ephemeral port, so every
 * request takes the production path: Basic auth, body parsing, routing, dispatch.
 * `close()` stops that server and closes the agent (skill cleanup, embedded gateway).
 */
export async function openFileTarget(file: string, opts: { selector: AgentSelector; timeoutMs: number }): Promise<AgentTarget> {
  process.env.SWAIG_CLI_MODE = 'true';
  const { agent, source } = await withTimeout(
    loadAgentFile(file, opts.selector),
    opts.timeoutMs,
    () => new CliError(`${file} did not finish loading within ${opts.timeoutMs} ms (--timeout-ms)`, 'agent_not_ready'),
  );
  const closeAgent = async (): Promise<void> => {
    await agent.close?.().catch(() => undefined);
  };
  try {
    await withTimeout(
      Promise.resolve(agent.ready?.()),
      opts.timeoutMs,
      () => new CliError(`agent '${agent.name}' was not ready within ${opts.timeoutMs} ms (--timeout-ms)`, 'agent_not_ready'),
    );
  } catch (err) {
    await closeAgent();
    if (err instanceof CliError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new CliError(`agent '${agent.name}' failed to start: ${message}`, 'agent_not_ready', 1, { cause: err });
  }
  const server = createServer(agent.app());
  const port = await listenLoopback(server);
  const route = agent.route === '/' ? '/' : agent.route;
  return {
    swmlUrl: new URL(`http://127.0.0.1:${port}${route}`),
    credentials: { user: agent.credentials.user, password: agent.credentials.password },
    label: `${file} (agent '${agent.name}', ${source})`,
    close: async () => {
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
      await closeAgent();
    },
  };
}
