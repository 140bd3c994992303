/**
 * One Redis connection for a gateway feature (rate limits, the cluster's session ledger): a refused connection at
 * start-up is a ConfigError naming the config field; once connected, it reconnects with backoff and logs each new
 * error once. The client library is loaded on first use (~650 modules, ~6 MiB a gateway without Redis never needs).
 */
import type { Logger } from 'pino';
import { ConfigError } from './errors.js';

/** What a feature needs of the connection. */
export interface RedisConnection {
  sendCommand(args: string[]): Promise<unknown>;
  close(): Promise<void>;
}

/** Shows a URI without its password. */
export function redactRedisUri(uri: string): string {
  return uri.replace(/\/\/([^@/]*)@/, '//***@');
}

/** Connects within `connectTimeoutMs`; `field` is the config key of `uri`, `label` names the feature in logs. */
export async function connectRedis(uri: string, opts: { field: string; label: string; logger: Logger; connectTimeoutMs?: number }): Promise<RedisConnection> {
  const timeoutMs = opts.connectTimeoutMs ?? 5000;
  const { createClient } = await import('redis');
  let everReady = false;
  const client = createClient({
    url: uri,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: timeoutMs,
      // At start-up a refused connection is an answer (fail now); later, keep reconnecting with backoff.
      reconnectStrategy: (retries: number, cause: Error) => (everReady ? Math.min(100 * 2 ** retries, 5000) : cause),
    },
  });
  let lastError = '';
  // Without a listener, a dropped connection would crash the process.
  client.on('error', (err: Error) => {
    if (err.message === lastError) return;
    lastError = err.message;
    opts.logger.warn({ err: err.message, [opts.field]: redactRedisUri(uri) }, `${opts.label} redis error`);
  });
  client.on('ready', () => {
    everReady = true;
    lastError = '';
  });
  try {
    await Promise.race([
      client.connect(),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no connection within ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);
  } catch (err) {
    client.destroy();
    throw new ConfigError(`cannot connect to ${redactRedisUri(uri)}: ${(err as Error).message}`, opts.field);
  }
  return {
    sendCommand: (args) => client.sendCommand(args),
    close: async () => {
      if (client.isOpen) await client.close().catch(() => client.destroy());
    },
  };
}
