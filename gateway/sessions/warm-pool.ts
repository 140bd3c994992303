/**
 * Pre-started spare servers per service (`session.warm_pool`). A new session takes a ready spare instead
 * of spawning; the spare becomes that session's server and is never given to anyone else. The pool is
 * refilled in the background, never beyond `max_sessions_per_service` servers in total (sessions +
 * spares), and backs off when spares fail to start or die while idle. Spares start at the lowest priority of
 * the start queue: a refill never competes with the starts of sessions a burst of calls is waiting on.
 */
import type { Logger } from 'pino';
import { ConfigError } from '../errors.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { OpenedUpstream, ServiceCatalog } from '../services/service-catalog.js';
import type { SessionCounts } from './session-table.js';
import type { StartQueue } from './start-queue.js';
import { warmUp } from './warm-up.js';

/** Options of {@link WarmPool}. */
export interface WarmPoolOptions {
  catalog: ServiceCatalog;
  logger: Logger;
  metrics: GatewayMetrics;
  /** Spares wanted per service (services not listed get none). */
  sizes: ReadonlyMap<string, number>;
  /** Cap on servers per service: live sessions + spares. */
  maxPerService: number;
  /** The session table, read for the cap (live sessions, started, starting or queued). */
  sessions: SessionCounts;
  /** Where spares wait for a start slot, behind every session's start. */
  starts: StartQueue;
  /** First retry delay after a failed spare, ms (doubles up to 30 s). Default 500. */
  retryBaseMs?: number;
}

const MAX_RETRY_MS = 30_000;

export class WarmPool {
  private readonly ready = new Map<string, OpenedUpstream[]>();
  private readonly starting = new Map<string, number>();
  private readonly failures = new Map<string, number>();
  private readonly retryTimers = new Map<string, NodeJS.Timeout>();
  private readonly work = new Set<Promise<void>>();
  /** Spares whose server went away before they were ready (their exit notice comes only once). */
  private readonly died = new WeakSet<OpenedUpstream>();
  private closed = false;

  constructor(private readonly opts: WarmPoolOptions) {}

  /** Starts filling every pool (in the background). */
  start(): void {
    for (const service of this.opts.sizes.keys()) this.fill(service);
  }

  /** True when the service keeps spares. */
  has(service: string): boolean {
    return (this.opts.sizes.get(service) ?? 0) > 0;
  }

  /**
   * Hands out a ready spare (now owned by the caller), or undefined. Counts a pool hit or miss for
   * services with a pool. Call {@link fill} once the new session is registered.
   */
  take(service: string): OpenedUpstream | undefined {
    if (!this.has(service)) return undefined;
    const spare = this.takeReady(service);
    this.opts.metrics.warmPool(service, spare !== undefined);
    return spare;
  }

  /** {@link take} without counting a hit or miss: for a session that waited in the start queue after its miss. */
  takeReady(service: string): OpenedUpstream | undefined {
    const spare = this.ready.get(service)?.shift();
    if (spare) this.counted(service);
    return spare;
  }

  /** Ready spares per service. */
  readyCounts(): Map<string, number> {
    return new Map([...this.ready].map(([service, list]) => [service, list.length]));
  }

  /** Spares of a service, ready, starting or queued (they count against the per-service cap). */
  count(service: string): number {
    return (this.ready.get(service)?.length ?? 0) + (this.starting.get(service) ?? 0);
  }

  /** Starts spares until the pool is full or the service is at its cap. */
  fill(service: string): void {
    const want = this.opts.sizes.get(service) ?? 0;
    if (this.closed || want === 0 || this.retryTimers.has(service)) return;
    while (this.count(service) < want && this.opts.sessions.countOf(service) + this.count(service) < this.opts.maxPerService) {
      this.starting.set(service, (this.starting.get(service) ?? 0) + 1);
      const job = this.startSpare(service).finally(() => this.work.delete(job));
      this.work.add(job);
    }
  }

  /** Stops refilling, waits for spares being started, and closes every spare. */
  async closeAll(): Promise<void> {
    this.closed = true;
    for (const timer of this.retryTimers.values()) clearTimeout(timer);
    this.retryTimers.clear();
    await Promise.allSettled([...this.work]);
    const spares = [...this.ready.values()].flat();
    this.ready.clear();
    await Promise.allSettled(spares.map((s) => this.opts.catalog.dispose(s)));
  }

  /** SIGKILLs every spare's process group; for process exit. */
  killAllSync(): void {
    for (const spare of [...this.ready.values()].flat()) {
      const pid = spare.upstream.pid;
      if (pid === undefined) continue;
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  private async startSpare(service: string): Promise<void> {
    const { catalog, logger } = this.opts;
    let opened: OpenedUpstream | undefined;
    const ticket = this.opts.starts.enqueue('spare');
    try {
      await ticket.turn;
      opened = await catalog.open(service, 'pool');
      const mine = opened;
      mine.upstream.onExit((reason) => this.lost(service, mine, reason));
      await catalog.start(service, mine, 'pool');
      // Also fills a cold tool cache: start-up listing without an extra server.
      await warmUp(mine.upstream, service, catalog.tools, logger);
      mine.upstream.onToolsChanged(() => catalog.tools.changed(service));
      if (this.died.has(mine)) throw new Error('the server exited during its warm-up');
      if (this.closed) {
        this.notStarting(service);
        ticket.done();
        await catalog.dispose(mine).catch(() => undefined);
        return;
      }
      this.failures.delete(service);
      // Ready and no longer starting in one step: a session that takes it at once may refill the pool.
      this.notStarting(service);
      const list = this.ready.get(service) ?? [];
      list.push(mine);
      this.ready.set(service, list);
      this.counted(service);
      // The slot is held until the spare is ready: a session waiting for the slot takes the spare then.
      ticket.done();
      logger.debug({ service, child_pid: mine.upstream.pid }, 'warm spare ready');
    } catch (err) {
      this.notStarting(service);
      ticket.done();
      if (opened) await catalog.dispose(opened).catch(() => undefined);
      if (this.closed) return;
      logger.warn({ service, err: (err as Error).message }, 'starting a warm spare failed');
      this.backOff(service);
    }
  }

  /** A ready spare went away on its own: drop it, refill after a back-off (a crash loop must not spin). */
  private lost(service: string, opened: OpenedUpstream, reason: string): void {
    const list = this.ready.get(service);
    const at = list?.indexOf(opened) ?? -1;
    // Not ready yet: startSpare sees the mark; already handed to a session: the session store handles it.
    if (!list || at < 0) {
      this.died.add(opened);
      return;
    }
    list.splice(at, 1);
    this.counted(service);
    this.opts.logger.warn({ service, reason }, 'warm spare went away');
    void this.opts.catalog.dispose(opened).catch(() => undefined);
    this.backOff(service);
  }

  private notStarting(service: string): void {
    this.starting.set(service, (this.starting.get(service) ?? 1) - 1);
  }

  private counted(service: string): void {
    this.opts.metrics.setSpares(service, this.ready.get(service)?.length ?? 0);
  }

  private backOff(service: string): void {
    if (this.closed || this.retryTimers.has(service)) return;
    const failures = (this.failures.get(service) ?? 0) + 1;
    this.failures.set(service, failures);
    const delay = Math.min(MAX_RETRY_MS, (this.opts.retryBaseMs ?? 500) * 2 ** (failures - 1));
    const timer = setTimeout(() => {
      this.retryTimers.delete(service);
      this.fill(service);
    }, delay);
    timer.unref();
    this.retryTimers.set(service, timer);
  }
}

/**
 * Resolves `session.warm_pool` (a count for every enabled per-call service, or `{ service: count }`) to sizes
 * per service. Throws ConfigError for a service name that is not configured or is `session_scope: "shared"`
 * (its one server is already warm; spares would never be used).
 */
export function warmPoolSizes(
  setting: number | Record<string, number>,
  services: Record<string, { enabled: boolean; session_scope?: 'call' | 'shared' }>,
): Map<string, number> {
  const sizes = new Map<string, number>();
  if (typeof setting === 'number') {
    for (const [name, svc] of Object.entries(services)) if (svc.enabled && svc.session_scope !== 'shared' && setting > 0) sizes.set(name, setting);
    return sizes;
  }
  for (const [name, count] of Object.entries(setting)) {
    const svc = Object.hasOwn(services, name) ? services[name] : undefined;
    if (!svc) throw new ConfigError(`no service named "${name}"`, `session.warm_pool.${name}`);
    if (svc.session_scope === 'shared' && count > 0)
      throw new ConfigError(`service "${name}" is session_scope "shared": its one server needs no spares`, `session.warm_pool.${name}`);
    if (svc.enabled && count > 0) sizes.set(name, count);
  }
  return sizes;
}
