/** Assembles a gateway from a validated config: catalog, session store, limiters, router and app. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express, Router } from 'express';
import type { Logger } from 'pino';
import type { GatewayConfig } from './config/schema.js';
import { BODY_LIMIT, createApp, createRouter } from './http/app.js';
import { GatewayDrain } from './cluster/drain.js';
import { connectSessionLedger } from './cluster/session-ledger.js';
import { createListener } from './http/listener.js';
import { createRateLimiters, type RateLimitStoreFactory } from './http/rate-limits.js';
import { connectRedisRateLimits } from './http/redis-store.js';
import { tuneKeepAlive } from './http/keep-alive.js';
import { createLogger } from './logger.js';
import { GatewayMetrics } from './metrics/gateway-metrics.js';
import { ServiceContent } from './content/service-content.js';
import { ServiceCatalog } from './services/service-catalog.js';
import { SessionStore } from './sessions/session-store.js';
import { warmPoolSizes } from './sessions/warm-pool.js';
import { sweepCgroups } from './sandbox/cgroup.js';
import { hostCapabilities } from './sandbox/host.js';
import { DOCKER_HINT, describePlan } from './sandbox/plan.js';
import { probeSandboxes } from './sandbox/probe.js';
import { sweepOrphanedSessionDirs } from './sandbox/session-dir.js';
import { createUpstream, type UpstreamFactory } from './upstream/create-upstream.js';
import { StartBackoff, withStartBackoff } from './upstream/start-backoff.js';

/** Options of {@link createGateway}. */
export interface GatewayOptions {
  /** Logger to use; default: one built from `config.logging`. */
  logger?: Logger;
  /** Rate-limit counter store; default: in-memory for `memory://`, a shared Redis connection for `redis://`. */
  rateLimitStoreFactory?: RateLimitStoreFactory;
  /** How upstreams are made (warm pools, other backends); default stdio child / remote HTTP. */
  upstreamFactory?: UpstreamFactory;
  /** Longest a server start holds its `session.max_concurrent_starts` slot, ms; default 400 (tests raise it). */
  startSlotMs?: number;
}

/** A running gateway. */
export interface Gateway {
  /** Complete app: security headers, auth, limits, routes, error handler. */
  app: Express;
  /** The same routes, mountable under a prefix of another app. */
  router: Router;
  /** Listens (default: `server.port` / `server.host` from the config); `url` uses a loopback host for wildcard binds. */
  listen(port?: number, host?: string): Promise<{ url: string; server: Server }>;
  /**
   * Graceful drain (`cluster.drain_timeout`): `/ready` answers 503 and no new session starts here (503 `draining`);
   * resolves with the number of sessions left once none is, or when the timeout has passed. Then call close().
   */
  drain(): Promise<number>;
  /** Stops cleanup timers, closes every session (whole process groups) and the listeners. */
  close(): Promise<void>;
}

function urlOf(server: Server, host: string, scheme: string): string {
  const { port } = server.address() as AddressInfo;
  const shown = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host;
  return `${scheme}://${shown}:${port}`;
}

/**
 * Builds a gateway. Nothing is spawned up front unless `session.warm_pool` or `prefetch_tools` ask for it
 * (both in the background: this never waits for a server).
 */
export async function createGateway(config: GatewayConfig, opts: GatewayOptions = {}): Promise<Gateway> {
  const logger = opts.logger ?? createLogger(config.logging);
  const warmPool = warmPoolSizes(config.session.warm_pool, config.services);
  // Host checks first: a sandbox the host cannot provide stops start-up with a message naming the field.
  const host = hostCapabilities();
  const sandboxPlans = probeSandboxes(config.services, config.session.sandbox_dir, host);
  for (const [service, plan] of Object.entries(sandboxPlans)) {
    logger.info({ service, sandbox: describePlan(plan) }, 'sandbox in force');
    for (const { layer, why } of plan.missing) logger.warn({ service, layer }, `sandbox layer missing: ${layer}: ${why}`);
    if (plan.missing.some((m) => m.layer === 'namespaces' || m.layer === 'memory_cgroup')) logger.warn({ service }, `to get every layer: ${DOCKER_HINT}`);
  }
  const swept = await sweepOrphanedSessionDirs(config.session.sandbox_dir);
  if (swept > 0) logger.info({ swept, sandbox_dir: config.session.sandbox_dir }, 'removed session folders left by gateways that died');
  const killed = sweepCgroups(host.cgroup);
  if (killed > 0) logger.warn({ killed }, 'killed server processes left by gateways that died');
  const { server, session, logging } = config;
  const hidden = [...session.hide_paths, session.sandbox_dir, server.cert_file, server.key_file, logging.file].filter((p): p is string => p !== undefined);
  const ledger = config.cluster.redis_uri === undefined ? undefined : await connectSessionLedger(config.cluster.redis_uri, logger);
  const uri = config.rate_limiting.storage_uri;
  const redis =
    opts.rateLimitStoreFactory === undefined && config.rate_limiting.enabled && /^rediss?:\/\//.test(uri)
      ? await connectRedisRateLimits(uri, logger)
      : undefined;
  const limiters = createRateLimiters(config.rate_limiting, opts.rateLimitStoreFactory ?? redis?.storeFactory, logger);
  const upstreamFactory = withStartBackoff(opts.upstreamFactory ?? createUpstream, new StartBackoff());
  const metrics = new GatewayMetrics();
  const catalog = new ServiceCatalog({
    services: config.services,
    sandboxDir: config.session.sandbox_dir,
    logger,
    metrics,
    upstreamFactory,
    sandbox: { host, hidden },
    sandboxPlans,
  });
  const sessions = new SessionStore({
    catalog,
    logger,
    metrics,
    warmPool,
    defaultTimeoutSeconds: config.session.default_timeout,
    maxSessionsPerService: config.session.max_sessions_per_service,
    cleanupIntervalSeconds: config.session.cleanup_interval,
    maxConcurrentStarts: config.session.max_concurrent_starts,
    ...(opts.startSlotMs === undefined ? {} : { startSlotMs: opts.startSlotMs }),
  });
  sessions.start();
  catalog.prefetchTools();
  // Last resort if the process exits without close(): servers run in their own process groups.
  const killOnExit = (): void => {
    sessions.killAllSync();
    sweepCgroups(host.cgroup, true);
  };
  process.on('exit', killOnExit);
  // The MCP server side of the SDK is loaded only for a gateway that serves /mcp.
  const mcp = config.mcp.enabled
    ? (await import('./mcp-server/index.js')).createMcpEndpoint({ config, catalog, sessions, metrics, logger, limiters, bodyLimit: BODY_LIMIT })
    : undefined;
  const content = new ServiceContent(catalog, sessions, logger);
  const drainState = new GatewayDrain();
  const router = createRouter({ config, catalog, sessions, limiters, logger, metrics, mcp, content, ledger, drain: drainState });
  const app = createApp(router);
  const servers = new Set<Server>();
  let closing: Promise<void> | undefined;

  const listen = (port = config.server.port, host = config.server.host): Promise<{ url: string; server: Server }> =>
    new Promise((resolve, reject) => {
      const { server, scheme } = createListener(app, config.server);
      tuneKeepAlive(server);
      server.once('error', reject);
      server.listen(port, host);
      server.once('listening', () => {
        servers.add(server);
        const url = urlOf(server, host, scheme);
        logger.info({ url }, 'mcp-gateway listening');
        resolve({ url, server });
      });
    });

  const shutdown = async (): Promise<void> => {
    const stopped = [...servers].map(
      (server) =>
        new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        }),
    );
    await mcp?.close();
    await sessions.closeAll();
    await catalog.close();
    // Whatever escaped its process group (setsid) is still in its session's cgroup.
    sweepCgroups(host.cgroup, true);
    await limiters.shutdown();
    await redis?.close();
    await ledger?.close();
    for (const server of servers) server.closeAllConnections();
    await Promise.all(stopped);
    process.off('exit', killOnExit);
    logger.info('mcp-gateway closed');
  };

  const close = (): Promise<void> => {
    closing ??= (async () => {
      // Shutting down waits on unref'd timers only (grace periods): this handle keeps the event loop alive
      // meanwhile, or Node would end a process awaiting close() early (exit 13), leaving servers behind.
      const hold = setInterval(() => undefined, 60_000);
      try {
        await shutdown();
      } finally {
        clearInterval(hold);
      }
    })();
    return closing;
  };

  const drain = async (): Promise<number> => {
    const timeout = config.cluster.drain_timeout;
    logger.info({ active_sessions: sessions.size, drain_timeout: timeout }, 'draining: no new sessions, serving the open ones');
    const left = await drainState.drain(() => sessions.size, timeout);
    if (left > 0) logger.warn({ active_sessions: left }, 'drain timeout reached with sessions still open');
    else logger.info('drained: no session left');
    return left;
  };

  return { app, router, listen, drain, close };
}
