/**
 * Rate-limit counters in Redis (`rate_limiting.storage_uri: "redis://host:port[/db]"`), so every gateway
 * instance behind a load balancer counts against the same limits. One connection per gateway; while Redis is
 * unreachable, commands fail at once (no offline queue) and the limiter lets requests through with a warning
 * rather than failing tool calls in the middle of a phone call.
 */
import type { Logger } from 'pino';
import { ConfigError } from '../errors.js';
import type { RateLimitStoreFactory } from './rate-limits.js';

/** A connected store factory and how to close its connection. */
export interface RedisRateLimitBackend {
  storeFactory: RateLimitStoreFactory;
  close(): Promise<void>;
}

/** Key prefix of every counter, followed by the limiter name and the client key. */
export const REDIS_PREFIX = 'mcp-gateway:rl:';

/** Shows a URI without its password. */
function redact(uri: string): string {
  return uri.replace(/\/\/([^@/]*)@/, '//***@');
}

/**
 * Connects to Redis (waiting at most `connectTimeoutMs`, default 5000) and returns a store factory for
 * {@link createRateLimiters}. Throws ConfigError naming `rate_limiting.storage_uri` when it cannot connect.
 */
export async function connectRedisRateLimits(uri: string, logger: Logger, connectTimeoutMs = 5000): Promise<RedisRateLimitBackend> {
  // Loaded here, not at the top: the client library is ~650 modules and ~6 MiB of memory that a gateway
  // counting in memory:// never needs.
  const [{ createClient }, { RedisStore }] = await Promise.all([import('redis'), import('rate-limit-redis')]);
  let everReady = false;
  const client = createClient({
    url: uri,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: connectTimeoutMs,
      // At start-up a refused connection is an answer (fail now); later, keep reconnecting with backoff.
      reconnectStrategy: (retries: number, cause: Error) => (everReady ? Math.min(100 * 2 ** retries, 5000) : cause),
    },
  });
  let lastError = '';
  // Without a listener, a dropped connection would crash the process.
  client.on('error', (err: Error) => {
    if (err.message === lastError) return;
    lastError = err.message;
    logger.warn({ err: err.message, storage_uri: redact(uri) }, 'rate-limit redis error');
  });
  client.on('ready', () => {
    everReady = true;
    lastError = '';
  });
  try {
    await Promise.race([
      client.connect(),
      new Promise((_, reject) => setTimeout(() => reject(new Error(`no connection within ${connectTimeoutMs} ms`)), connectTimeoutMs).unref()),
    ]);
  } catch (err) {
    client.destroy();
    throw new ConfigError(`cannot connect to ${redact(uri)}: ${(err as Error).message}`, 'rate_limiting.storage_uri');
  }
  const storeFactory: RateLimitStoreFactory = ({ name }) =>
    new RedisStore({
      prefix: `${REDIS_PREFIX}${name}:`,
      sendCommand: (...args: string[]) => client.sendCommand(args),
    });
  return {
    storeFactory,
    close: async () => {
      if (client.isOpen) await client.close().catch(() => client.destroy());
    },
  };
}
