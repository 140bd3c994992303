/**
 * Rate-limit counters in Redis (`rate_limiting.storage_uri: "redis://host:port[/db]"`), so every gateway
 * instance behind a load balancer counts against the same limits. One connection per gateway; while Redis is
 * unreachable, commands fail at once (no offline queue) and the limiter lets requests through with a warning
 * rather than failing tool calls in the middle of a phone call.
 */
import type { Logger } from 'pino';
import { connectRedis } from '../redis-connect.js';
import type { RateLimitStoreFactory } from './rate-limits.js';

/** A connected store factory and how to close its connection. */
export interface RedisRateLimitBackend {
  storeFactory: RateLimitStoreFactory;
  close(): Promise<void>;
}

/** Key prefix of every counter, followed by the limiter name and the client key. */
export const REDIS_PREFIX = 'mcp-gateway:rl:';

/**
 * Connects to Redis (waiting at most `connectTimeoutMs`, default 5000) and returns a store factory for
 * {@link createRateLimiters}. Throws ConfigError naming `rate_limiting.storage_uri` when it cannot connect.
 */
export async function connectRedisRateLimits(uri: string, logger: Logger, connectTimeoutMs = 5000): Promise<RedisRateLimitBackend> {
  const [connection, { RedisStore }] = await Promise.all([
    connectRedis(uri, { field: 'rate_limiting.storage_uri', label: 'rate-limit', logger, connectTimeoutMs }),
    import('rate-limit-redis'),
  ]);
  const storeFactory: RateLimitStoreFactory = ({ name }) =>
    new RedisStore({
      prefix: `${REDIS_PREFIX}${name}:`,
      sendCommand: (...args: string[]) => connection.sendCommand(args) as Promise<never>,
    });
  return {
    storeFactory,
    close: () => connection.close(),
  };
}
