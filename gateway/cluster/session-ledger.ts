/**
 * Which sessions exist anywhere in a cluster of gateways (`cluster.redis_uri`). A session's state (its MCP server)
 * stays on the instance that owns it; only the fact "session X of service S is live" is shared, so an instance
 * handed a session it never served (the owner died, the balancer moved it) knows the earlier state is gone and
 * answers `session_reset: true` instead of silently starting empty.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { connectRedis } from '../redis-connect.js';

/** Key prefix of a live-session mark: `mcp-gateway:session:<session_id>:<service>`. */
export const LEDGER_PREFIX = 'mcp-gateway:session:';

/** The few Redis commands the ledger needs (the `redis` client's sendCommand fits). */
export type RedisCommand = (args: string[]) => Promise<unknown>;

/** Longest a first call waits for the ledger before going on as if it had no mark, ms. */
const CLAIM_WAIT_MS = 1000;

export class SessionLedger {
  /** Sessions this instance has claimed: key → ms after which the claim is assumed to have lapsed. */
  private readonly mine = new Map<string, number>();
  /** Tells this instance's marks apart from another's (shown by `redis-cli get`). */
  readonly instance = `${process.pid}-${randomBytes(4).toString('hex')}`;

  constructor(
    private readonly send: RedisCommand,
    private readonly logger: Logger,
    private readonly close_: () => Promise<void> = async () => undefined,
  ) {}

  /**
   * Called before every tool call. The first call of a session on this instance marks it in Redis and returns
   * true when a mark was already there: the session lived on another instance, and its state is lost. Later
   * calls only refresh the mark (in the background). Redis trouble never fails a call: it counts as "no mark".
   */
  async lostElsewhere(sessionId: string, service: string, ttlSeconds: number): Promise<boolean> {
    const key = `${LEDGER_PREFIX}${sessionId}:${service}`;
    const ttl = String(Math.max(1, Math.ceil(ttlSeconds)));
    const now = Date.now();
    const claimedUntil = this.mine.get(key);
    this.mine.set(key, now + ttlSeconds * 1000);
    if (claimedUntil !== undefined && claimedUntil > now) {
      this.send(['SET', key, this.instance, 'EX', ttl]).catch((err: unknown) => this.warn(err, sessionId));
      return false;
    }
    this.prune(now);
    try {
      const previous = await withTimeout(this.send(['SET', key, this.instance, 'EX', ttl, 'GET']), CLAIM_WAIT_MS);
      return typeof previous === 'string' && previous !== this.instance;
    } catch (err) {
      this.warn(err, sessionId);
      return false;
    }
  }

  /** The call hung up (`DELETE /sessions/:id`): its marks go, whichever instance made them. */
  async forget(sessionId: string, services: readonly string[]): Promise<void> {
    const keys = services.map((s) => `${LEDGER_PREFIX}${sessionId}:${s}`);
    for (const key of keys) this.mine.delete(key);
    if (keys.length === 0) return;
    await this.send(['DEL', ...keys]).catch((err: unknown) => this.warn(err, sessionId));
  }

  /** Closes the Redis connection. */
  close(): Promise<void> {
    return this.close_();
  }

  private prune(now: number): void {
    if (this.mine.size < 10_000) return;
    for (const [key, until] of this.mine) if (until <= now) this.mine.delete(key);
  }

  private warn(err: unknown, sessionId: string): void {
    this.logger.warn({ err: (err as Error)?.message ?? String(err), session_id: sessionId }, 'session ledger (redis) unavailable');
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return Promise.race([work, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms).unref())]);
}

/** Connects the ledger to `cluster.redis_uri`; throws ConfigError naming the field when Redis cannot be reached. */
export async function connectSessionLedger(uri: string, logger: Logger, connectTimeoutMs = 5000): Promise<SessionLedger> {
  const connection = await connectRedis(uri, { field: 'cluster.redis_uri', label: 'session ledger', logger, connectTimeoutMs });
  return new SessionLedger(
    (args) => connection.sendCommand(args),
    logger,
    () => connection.close(),
  );
}
