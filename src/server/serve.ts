/** `agent.serve()`: listens for one agent, logs where, and says once when the Basic-auth password was generated. */
import type express from 'express';
import type { Logger } from 'pino';
import type { BasicCredentials } from '../auth/credentials.js';
import { listen, type RunningServer } from './listen.js';

/** What serving needs from an agent. */
export interface ServableAgent {
  readonly name: string;
  readonly logger: Logger;
  readonly credentials: BasicCredentials;
  app(): express.Express;
  /** Graceful drain: no new calls, the open ones served until hangup or the drain timeout. */
  drain(): Promise<void>;
  close(): Promise<void>;
}

/** Where to listen and what to do on SIGINT/SIGTERM. */
export interface ServeOptions {
  host: string;
  port: number;
  /** SIGTERM: drain, close the agent and exit 0. SIGINT: close at once and re-raise the signal. */
  handleSignals: boolean;
  /** The public URL once the port is known. */
  urlFor(port: number): string;
}

/** Starts the agent's server; the caller keeps the handle to close it. */
export async function serveAgent(agent: ServableAgent, opts: ServeOptions): Promise<{ server: RunningServer; url: string }> {
  const server = await listen(agent.app(), opts.host, opts.port, opts.handleSignals, async (signal) => {
    if (signal === 'SIGTERM') await agent.drain();
    await agent.close();
  });
  const url = opts.urlFor(server.port);
  const creds = agent.credentials;
  agent.logger.info({ url, user: creds.user }, `Agent '${agent.name}' listening`);
  if (creds.source === 'generated') {
    agent.logger.warn(
      { user: creds.user, password: creds.password },
      'Generated Basic-auth password for this process (set SWML_BASIC_AUTH_USER / SWML_BASIC_AUTH_PASSWORD to choose)',
    );
  }
  return { server, url };
}
