import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type express from 'express';
import { answerParserErrorsAsJson } from './client-error.js';

/** Idle keep-alive of the agent's connections, ms (as the gateway's; load balancers should idle out sooner). */
export const AGENT_KEEP_ALIVE_MS = 65_000;

/** A listening HTTP server. */
export interface RunningServer {
  server: Server;
  /** The bound port (useful with port 0). */
  port: number;
  close(): Promise<void>;
}

/**
 * Starts `app` on host:port. `close()` stops accepting, drops idle keep-alive sockets and waits for
 * in-flight requests. With `handleSignals`, SIGINT/SIGTERM run `onSignal(signal)` once; then SIGTERM (a planned
 * stop: the caller drained first) exits 0 and SIGINT is re-raised.
 */
export async function listen(
  app: express.Express,
  host: string,
  port: number,
  handleSignals: boolean,
  onSignal: (signal: NodeJS.Signals) => Promise<void>,
): Promise<RunningServer> {
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve(s)));
    s.once('error', reject);
  });
  answerParserErrorsAsJson(server);
  // Node's 5 s idle keep-alive sits next to undici's 4 s client idle time, so a client pausing ~5 s between
  // webhooks races a socket the agent is closing ("other side closed"); 65 s outlasts any client pool.
  server.keepAliveTimeout = AGENT_KEEP_ALIVE_MS;
  const bound = (server.address() as AddressInfo).port;
  const signalHandler = (signal: NodeJS.Signals): void => {
    removeSignals();
    // A second signal while draining means "now".
    const force = (): never => process.exit(1);
    process.once('SIGINT', force);
    process.once('SIGTERM', force);
    void onSignal(signal).finally(() => {
      process.off('SIGINT', force);
      process.off('SIGTERM', force);
      if (signal === 'SIGTERM') process.exit(0);
      process.kill(process.pid, signal);
    });
  };
  const removeSignals = (): void => {
    process.off('SIGINT', signalHandler);
    process.off('SIGTERM', signalHandler);
  };
  if (handleSignals) {
    process.once('SIGINT', signalHandler);
    process.once('SIGTERM', signalHandler);
  }
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve, reject) => {
      removeSignals();
      server.close((err) => (err ? reject(err) : resolve()));
      server.closeIdleConnections();
    });
    return closing;
  };
  return { server, port: bound, close };
}
