/**
 * Live MCP sessions keyed by (session_id, service): one server per call and service, created on first
 * use or by a warm-up (single-flight: a call joins a warm-up in progress), taken from the warm pool when
 * a spare is ready, reaped after an idle timeout, capped per service before anything is spawned.
 * Closing a session only touches that session's entries and returns before the server has exited.
 */
import type { Logger } from 'pino';
import { GatewayError, ServiceUnavailableError, TooManyRequestsError, UpstreamError } from '../errors.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { OpenedUpstream, ServiceCatalog } from '../services/service-catalog.js';
import type { Upstream } from '../upstream/types.js';
import { warmUp } from './warm-up.js';
import { WarmPool } from './warm-pool.js';

/** Options of {@link SessionStore}. */
export interface SessionStoreOptions {
  catalog: ServiceCatalog;
  logger: Logger;
  metrics: GatewayMetrics;
  /** Spare servers kept ready per service (`session.warm_pool`); default none. */
  warmPool?: ReadonlyMap<string, number>;
  /** Idle timeout when a call gives none, seconds. */
  defaultTimeoutSeconds: number;
  maxSessionsPerService: number;
  /** Period of the expiry sweep, seconds. */
  cleanupIntervalSeconds: number;
  /** Clock, ms; default Date.now. */
  now?: () => number;
}

/** Wire shape of one entry of `GET /sessions`. */
export interface SessionInfo {
  session_id: string;
  service: string;
  created_at: string;
  last_used_at: string;
  expires_at: string;
  /** `starting` until the server has answered initialize (and a warm-up is done), then `ready`. */
  state: 'starting' | 'ready';
  pid?: number;
  /** The reference's names for the same facts: `service`, `last_used_at` and the idle timeout (seconds). */
  service_name: string;
  last_accessed: string;
  timeout: number;
  /** The `metadata` of the call that opened the session (`{}` when it sent none). */
  metadata: Record<string, unknown>;
  /** Seconds until the idle timeout closes the session (0 when due). */
  time_remaining: number;
}

/** A session handed to one call; `release()` must be called when the call is over. */
export interface SessionLease {
  upstream: Upstream;
  /** True when an earlier server of this session died and this is a fresh one. */
  reset: boolean;
  release(): void;
  /** The server broke during the call: drop the session so the next call starts a fresh one. */
  discard(): void;
}

interface Entry {
  key: string;
  sessionId: string;
  service: string;
  createdAt: number;
  lastUsedAt: number;
  idleMs: number;
  metadata?: Record<string, unknown>;
  inFlight: number;
  closed: boolean;
  opened?: OpenedUpstream;
  /** Set once the server is started. */
  upstream?: Upstream;
  ready: Promise<Upstream>;
}

/** What {@link SessionStore.warm} did for one service. */
export type WarmOutcome = 'started' | 'live';

const keyOf = (sessionId: string, service: string): string => `${sessionId}\u0000${service}`;

export class SessionStore {
  private readonly entries = new Map<string, Entry>();
  /** Sessions whose server died: key → time the mark expires. */
  private readonly resets = new Map<string, number>();
  private readonly closing = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private shuttingDown = false;
  private readonly now: () => number;
  private readonly pool: WarmPool;
  /** Live sessions per service, kept in step with `entries` (capacity checks and metrics read it). */
  private readonly perService = new Map<string, number>();

  constructor(private readonly opts: SessionStoreOptions) {
    this.now = opts.now ?? Date.now;
    this.pool = new WarmPool({
      catalog: opts.catalog,
      logger: opts.logger,
      metrics: opts.metrics,
      sizes: opts.warmPool ?? new Map(),
      maxPerService: opts.maxSessionsPerService,
      sessionCount: (service) => this.perService.get(service) ?? 0,
    });
    opts.catalog.useLiveUpstreams((service) => this.liveUpstream(service));
    opts.metrics.bindLive({ sessions: () => this.countsByService(), spares: () => this.spareCounts() });
  }

  /** Starts the expiry sweep (an unref'd timer: it never keeps the process alive) and fills the warm pools. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.sweep(), this.opts.cleanupIntervalSeconds * 1000);
    this.timer.unref();
    this.pool.start();
  }

  /** Number of live sessions (all services). */
  get size(): number {
    return this.entries.size;
  }

  /** True when this store holds the (session, service) session (started or starting). */
  has(sessionId: string, service: string): boolean {
    return this.entries.has(keyOf(sessionId, service));
  }

  /** Live sessions (started or starting) per service. */
  countsByService(): Map<string, number> {
    return new Map(this.perService);
  }

  /** Ready warm-pool spares per service. */
  spareCounts(): Map<string, number> {
    return this.pool.readyCounts();
  }

  /**
   * Starts the session's server now, ahead of its first call, without waiting for it. A call that
   * arrives meanwhile joins this start instead of spawning another server. `idleSeconds` as in
   * {@link acquire}. Throws 429 session_limit when the service is full.
   */
  warm(sessionId: string, service: string, idleSeconds?: number): WarmOutcome {
    const live = this.entries.has(keyOf(sessionId, service));
    this.touch(sessionId, service, idleSeconds, true);
    return live ? 'live' : 'started';
  }

  /**
   * The session's server, started on first use. `idleSeconds` (the call's `timeout`) replaces the idle
   * timeout; `metadata` (the call's) is kept from the first call that gives it, for `GET /sessions`.
   * Throws 429 session_limit when the service is full, before anything is spawned.
   */
  async acquire(sessionId: string, service: string, idleSeconds?: number, metadata?: Record<string, unknown>): Promise<SessionLease> {
    const entry = this.touch(sessionId, service, idleSeconds);
    entry.metadata ??= metadata;
    const key = entry.key;
    entry.inFlight++;
    let upstream: Upstream;
    try {
      upstream = entry.upstream ?? (await entry.ready);
    } catch (err) {
      entry.inFlight--;
      throw err;
    }
    const reset = this.resets.delete(key);
    const current = entry;
    let released = false;
    return {
      upstream,
      reset,
      release: () => {
        if (released) return;
        released = true;
        current.inFlight--;
        current.lastUsedAt = this.now();
      },
      discard: () => this.drop(current, 'failed during a call'),
    };
  }

  /** The (session, service) entry, created (capacity-checked) when missing; marks it used. */
  private touch(sessionId: string, service: string, idleSeconds: number | undefined, prestart = false): Entry {
    if (this.shuttingDown) throw new ServiceUnavailableError('shutting_down', 'Gateway is shutting down');
    const key = keyOf(sessionId, service);
    let entry = this.entries.get(key);
    if (!entry) {
      this.checkCapacity(service);
      entry = this.create(key, sessionId, service, prestart);
    }
    entry.lastUsedAt = this.now();
    if (idleSeconds !== undefined) entry.idleMs = idleSeconds * 1000;
    return entry;
  }

  /** `GET /sessions` body entries. */
  list(): SessionInfo[] {
    const now = this.now();
    return [...this.entries.values()].map((e) => {
      const lastUsed = new Date(e.lastUsedAt).toISOString();
      const info: SessionInfo = {
        session_id: e.sessionId,
        service: e.service,
        created_at: new Date(e.createdAt).toISOString(),
        last_used_at: lastUsed,
        expires_at: new Date(e.lastUsedAt + e.idleMs).toISOString(),
        state: e.upstream ? 'ready' : 'starting',
        service_name: e.service,
        last_accessed: lastUsed,
        timeout: e.idleMs / 1000,
        metadata: e.metadata ?? {},
        time_remaining: Math.max(0, (e.lastUsedAt + e.idleMs - now) / 1000),
      };
      const pid = e.opened?.upstream.pid;
      if (pid !== undefined) info.pid = pid;
      return info;
    });
  }

  /**
   * Closes every service session of `sessionId`; returns how many there were. The sessions are gone at
   * once (a new call starts fresh servers); their process groups are ended in the background, so the
   * caller (a hangup) is not held up by slow exits. {@link closeAll} still waits for them.
   */
  closeSession(sessionId: string): number {
    const mine = [...this.entries.values()].filter((e) => e.sessionId === sessionId);
    for (const key of [...this.resets.keys()]) if (key.startsWith(`${sessionId}\u0000`)) this.resets.delete(key);
    for (const entry of mine) this.track(this.closeEntry(entry, 'closed by request'));
    return mine.length;
  }

  /** Stops the sweep and closes everything; later acquires get 503 shutting_down. */
  async closeAll(): Promise<void> {
    this.shuttingDown = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.all([...this.entries.values()].map((e) => this.closeEntry(e, 'gateway shutdown')).concat(this.pool.closeAll()));
    await Promise.allSettled([...this.closing]);
  }

  /** SIGKILLs every server's process group at once; for process exit, when nothing async can run. */
  killAllSync(): void {
    this.pool.killAllSync();
    for (const entry of this.entries.values()) {
      const pid = entry.opened?.upstream.pid;
      if (pid === undefined) continue;
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  /** Closes sessions idle past their timeout; runs on the timer, callable directly. */
  sweep(): void {
    const now = this.now();
    for (const entry of this.entries.values()) {
      if (entry.inFlight === 0 && entry.opened && entry.lastUsedAt + entry.idleMs <= now) {
        this.track(this.closeEntry(entry, 'idle timeout'));
      }
    }
    for (const [key, until] of this.resets) if (until <= now) this.resets.delete(key);
  }

  private checkCapacity(service: string): void {
    if ((this.perService.get(service) ?? 0) < this.opts.maxSessionsPerService) return;
    const live = [...this.entries.values()].filter((e) => e.service === service);
    const now = this.now();
    const soonest = Math.min(...live.map((e) => e.lastUsedAt + e.idleMs - now));
    throw new TooManyRequestsError(
      'session_limit',
      `Service ${service} already has ${live.length} sessions (max_sessions_per_service)`,
      Math.max(1, soonest / 1000),
    );
  }

  /** `prestart`: started ahead of its first call, so it is warmed up before it counts as ready. */
  private create(key: string, sessionId: string, service: string, prestart: boolean): Entry {
    const now = this.now();
    const entry: Entry = {
      key, sessionId, service, createdAt: now, lastUsedAt: now,
      idleMs: this.opts.defaultTimeoutSeconds * 1000, inFlight: 0, closed: false,
      ready: Promise.resolve(undefined as unknown as Upstream),
    };
    // Registered before starting, so capacity and pool refills already count it.
    this.entries.set(key, entry);
    this.perService.set(service, (this.perService.get(service) ?? 0) + 1);
    entry.ready = this.startEntry(entry, prestart);
    // Callers that joined may all fail; the rejection is theirs to handle, not an unhandled one.
    entry.ready.catch(() => undefined);
    return entry;
  }

  private async startEntry(entry: Entry, prestart: boolean): Promise<Upstream> {
    const { catalog, logger } = this.opts;
    try {
      const spare = this.pool.take(entry.service);
      if (spare) this.pool.fill(entry.service);
      entry.opened = spare ?? (await catalog.open(entry.service, entry.sessionId));
      const { upstream } = entry.opened;
      upstream.onExit((reason) => this.handleExit(entry, reason));
      // A spare is already started, listed and wired to the tool cache.
      if (!spare && !entry.closed) await catalog.start(entry.service, entry.opened, 'session');
      if (entry.closed) throw new UpstreamError('Session was closed while starting', 'session_closed');
      if (!spare) {
        // A cold cache is filled from this server (the call checks its tool against it).
        if (catalog.tools.peek(entry.service) === undefined) catalog.tools.set(entry.service, await upstream.listTools());
        upstream.onToolsChanged(() => catalog.tools.changed(entry.service));
        if (prestart) await warmUp(upstream, entry.service, catalog.tools, logger);
      }
      entry.upstream = upstream;
      logger.info({ session_id: entry.sessionId, service: entry.service, child_pid: upstream.pid, warm_spare: spare !== undefined }, 'session started');
      return upstream;
    } catch (err) {
      this.forget(entry);
      entry.closed = true;
      if (entry.opened) this.track(catalog.dispose(entry.opened).catch(() => undefined));
      if (err instanceof GatewayError) throw err;
      throw new UpstreamError(`Service ${entry.service} failed to start: ${(err as Error).message}`, 'upstream_start_failed');
    }
  }

  private handleExit(entry: Entry, reason: string): void {
    if (entry.closed) return;
    this.opts.logger.warn({ session_id: entry.sessionId, service: entry.service, reason }, 'mcp server went away');
    this.drop(entry, reason);
  }

  /** Removes a broken session; the next call on it starts a fresh server and is told so. */
  private drop(entry: Entry, reason: string): void {
    if (entry.closed) return;
    this.resets.set(entry.key, this.now() + Math.max(entry.idleMs, 60_000));
    this.track(this.closeEntry(entry, reason));
  }

  /** Removes the entry from the maps (once) and lets the pool use the freed room. */
  private forget(entry: Entry): void {
    if (this.entries.get(entry.key) !== entry) return;
    this.entries.delete(entry.key);
    const left = (this.perService.get(entry.service) ?? 1) - 1;
    if (left > 0) this.perService.set(entry.service, left);
    else this.perService.delete(entry.service);
    if (!this.shuttingDown) this.pool.fill(entry.service);
  }

  /** A started server of the service (a session's or a spare), for tool listings. */
  private liveUpstream(service: string): Upstream | undefined {
    for (const entry of this.entries.values()) if (entry.service === service && entry.upstream && !entry.closed) return entry.upstream;
    return this.pool.anyUpstream(service);
  }

  private async closeEntry(entry: Entry, reason: string): Promise<void> {
    this.forget(entry);
    if (entry.closed) return;
    entry.closed = true;
    this.opts.logger.info({ session_id: entry.sessionId, service: entry.service, reason }, 'session closed');
    if (entry.opened) await this.opts.catalog.dispose(entry.opened).catch(() => undefined);
  }


  private track(closing: Promise<void>): void {
    this.closing.add(closing);
    void closing.finally(() => this.closing.delete(closing));
  }
}
