/**
 * Rate limits (express-rate-limit), keyed by the authenticated credential plus the call's session id,
 * not by IP: every SWAIG webhook comes from the platform's few egress IPs. The store is pluggable
 * (`storeFactory`); the built-in one is per-process memory.
 */
import type { Request, RequestHandler, Response } from 'express';
import { ipKeyGenerator, MemoryStore, rateLimit, type Store } from 'express-rate-limit';
import type { Logger } from 'pino';
import type { GatewayConfig } from '../config/schema.js';
import type { RateLimit } from '../config/rate.js';
import { ConfigError, GatewayError } from '../errors.js';
import { logSecurityEvent } from './security-log.js';

/** Creates the counter store of one limiter; plug a Redis store in here. */
export type RateLimitStoreFactory = (opts: { name: string; windowMs: number; storageUri: string }) => Store;

/** The gateway's limiters, one per route group. */
export interface RateLimiters {
  /** `default_limits`: every authenticated route, keyed by credential. */
  global: RequestHandler[];
  tools: RequestHandler;
  /** Runs after body parsing: keyed by credential + body.session_id. */
  call: RequestHandler;
  sessionDelete: RequestHandler;
  /** Stops store timers / connections. */
  shutdown(): Promise<void>;
}

const pass: RequestHandler = (_req, _res, next) => next();

function principal(req: Request, res: Response): string {
  const who = res.locals.principal as string | undefined;
  return who ?? `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`;
}

/** Set by a route whose session id is neither in the body nor the path (`/mcp`: the MCP session's). */
export const RATE_LIMIT_SESSION = 'rateLimitSession';

function sessionOf(req: Request, res: Response): string {
  const fromBody = (req.body as { session_id?: unknown } | undefined)?.session_id;
  const fromRoute = res.locals[RATE_LIMIT_SESSION] as string | undefined;
  const id = typeof fromBody === 'string' ? fromBody : (fromRoute ?? req.params.id);
  return typeof id === 'string' ? id.slice(0, 128) : '';
}

/**
 * Builds the limiters from `rate_limiting`; throws ConfigError for a storage it cannot serve (createGateway
 * connects `redis://` itself and passes the store factory). With `logger`, hits are logged as security events
 * and store failures (Redis down) as warnings; requests then pass unlimited rather than fail.
 */
export function createRateLimiters(cfg: GatewayConfig['rate_limiting'], storeFactory?: RateLimitStoreFactory, logger?: Logger): RateLimiters {
  const uri = cfg.storage_uri;
  if (!storeFactory && !uri.startsWith('memory://')) {
    throw new ConfigError(`"${uri}" needs a rate-limit store plug-in; memory:// and redis:// are built in`, 'rate_limiting.storage_uri');
  }
  const storeLogger = {
    error: (err: unknown, message?: string) => logger?.warn({ err: (err as Error)?.message ?? String(err) }, message ?? 'rate-limit store error'),
    warn: (err: unknown, message?: string) => logger?.warn({ err: (err as Error)?.message ?? String(err) }, message ?? 'rate-limit warning'),
  };
  if (!cfg.enabled) return { global: [], tools: pass, call: pass, sessionDelete: pass, shutdown: async () => undefined };
  const stores: Store[] = [];
  const make = (name: string, limit: RateLimit, perSession: boolean): RequestHandler => {
    const store = storeFactory ? storeFactory({ name, windowMs: limit.windowMs, storageUri: uri }) : new MemoryStore();
    stores.push(store);
    return rateLimit({
      windowMs: limit.windowMs,
      limit: limit.limit,
      store,
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      keyGenerator: (req, res) => `${name}|${principal(req, res)}${perSession ? `|${sessionOf(req, res)}` : ''}`,
      handler: (req, res, next) => {
        const reset = (req as Request & { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
        const retryAfter = reset ? (reset.getTime() - Date.now()) / 1000 : limit.windowMs / 1000;
        if (logger) {
          logSecurityEvent(logger, 'rate_limited', req, {
            limiter: name,
            limit: limit.text,
            principal: principal(req, res),
            session_id: perSession ? sessionOf(req, res) : undefined,
          });
        }
        next(new GatewayError('rate_limited', `Rate limit exceeded (${limit.text})`, { retryAfterSeconds: retryAfter }));
      },
      passOnStoreError: true,
      logger: storeLogger,
      validate: { keyGeneratorIpFallback: false },
    });
  };
  return {
    global: cfg.default_limits.map((limit, i) => make(`default${i}`, limit, false)),
    tools: make('tools', cfg.tools_limit, false),
    call: make('call', cfg.call_limit, true),
    sessionDelete: make('session_delete', cfg.session_delete_limit, true),
    shutdown: async () => {
      await Promise.allSettled(stores.map((s) => s.shutdown?.()));
    },
  };
}
