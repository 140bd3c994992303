/**
 * The one owner of a session's life. Sessions are keyed by (session_id, service), created on first use or
 * by a warm-up (single-flight: a call joins a warm-up in progress), capped per service before anything is
 * spawned, reaped after an idle timeout. A `session_scope: "call"` session gets a server of its own (a warm
 * pool spare when one is ready, else a new one started through the {@link StartQueue}: a session a call waits
 * on before pre-warms, pre-warms before spares); a `"shared"` one is served by its service's shared server. Only this class
 * changes the {@link SessionTable}, drives the pool and sets the live-session gauge; nothing calls back into it.
 * Closing a session only touches that session's entries and returns before its server has exited.
 */
import type { Logger } from 'pino';
import { GatewayError } from '../errors.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { OpenedUpstream, ServiceCatalog } from '../services/service-catalog.js';
import type { Upstream } from '../upstream/types.js';
import { deferred } from './deferred.js';
import { describeSession, type SessionInfo } from './session-info.js';
import { sessionKey, SessionTable, type Session } from './session-table.js';
import { SharedServers } from './shared-servers.js';
import { StartQueue } from './start-queue.js';
import { warmUp } from './warm-up.js';
import { WarmPool } from './warm-pool.js';

export type { SessionInfo } from './session-info.js';

/** Read through a call, so TypeScript does not narrow the state across awaits (a close can happen meanwhile). */
const isClosed = (session: Session): boolean => session.state === 'closed';
const closedWhileStarting = (): GatewayError => new GatewayError('session_closed', 'Session was closed while starting');

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
  /** Server starts running at once (`session.max_concurrent_starts`); 0 = no limit. Default: no limit. */
  maxConcurrentStarts?: number;
  /** Longest a start holds its slot, ms (see {@link StartQueue}). */
  startSlotMs?: number;
  /** Clock, ms; default Date.now. */
  now?: () => number;
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

/** What {@link SessionStore.warm} did for one service. */
export type WarmOutcome = 'started' | 'live';

export class SessionStore {
  private readonly table = new SessionTable();
  /** Sessions whose server died: key → time the mark expires. */
  private readonly resets = new Map<string, number>();
  private readonly closing = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private shuttingDown = false;
  private readonly now: () => number;
  private readonly pool: WarmPool;
  private readonly shared: SharedServers;
  private readonly starts: StartQueue;

  constructor(private readonly opts: SessionStoreOptions) {
    this.now = opts.now ?? Date.now;
    this.starts = new StartQueue({ limit: opts.maxConcurrentStarts ?? 0, ...(opts.startSlotMs === undefined ? {} : { slotMs: opts.startSlotMs }) });
    this.pool = new WarmPool({
      starts: this.starts,
      catalog: opts.catalog,
      logger: opts.logger,
      metrics: opts.metrics,
      sizes: opts.warmPool ?? new Map(),
      maxPerService: opts.maxSessionsPerService,
      sessions: this.table,
    });
    this.shared = new SharedServers({ catalog: opts.catalog, logger: opts.logger, starts: this.starts });
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
    return this.table.size;
  }

  /** True when this store holds the (session, service) session (started, starting or queued). */
  has(sessionId: string, service: string): boolean {
    return this.table.get(sessionId, service) !== undefined;
  }

  /** Live sessions (started, starting or queued) per service. */
  countsByService(): Map<string, number> {
    return this.table.counts();
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
    const live = this.table.get(sessionId, service) !== undefined;
    this.touch(sessionId, service, idleSeconds, true);
    return live ? 'live' : 'started';
  }

  /**
   * The session's server, started on first use. `idleSeconds` (the call's `timeout`) replaces the idle
   * timeout; `metadata` (the call's) is kept from the first call that gives it, for `GET /sessions`.
   * Throws 429 session_limit when the service is full, before anything is spawned.
   */
  async acquire(sessionId: string, service: string, idleSeconds?: number, metadata?: Record<string, unknown>): Promise<SessionLease> {
    const session = this.touch(sessionId, service, idleSeconds);
    session.metadata ??= metadata;
    session.inFlight++;
    // A pre-warm still waiting for a start slot now has a caller waiting on it.
    session.startTicket?.raise('call');
    let upstream: Upstream;
    try {
      upstream = await this.serverOf(session);
    } catch (err) {
      session.inFlight--;
      throw err;
    }
    const reset = this.resets.size > 0 && this.resets.delete(session.key);
    let released = false;
    return {
      upstream,
      reset,
      release: () => {
        if (released) return;
        released = true;
        session.inFlight--;
        session.lastUsedAt = this.now();
      },
      // A shared server that breaks is restarted by SharedServers; the other calls' sessions stay.
      discard: () => (session.scope === 'call' ? this.drop(session, 'failed during a call') : undefined),
    };
  }

  /** `GET /sessions` body entries. */
  list(): SessionInfo[] {
    const now = this.now();
    return Array.from(this.table.values(), (s) => describeSession(s, now));
  }

  /** Live sessions per service, split into call sessions and the rest (ids starting with `otherPrefix`). */
  countsBy(otherPrefix: string): Map<string, { call: number; mcp: number }> {
    const counts = new Map<string, { call: number; mcp: number }>();
    for (const [service] of this.table.counts()) {
      const entry = { call: 0, mcp: 0 };
      for (const s of this.table.ofService(service)) {
        if (s.sessionId.startsWith(otherPrefix)) entry.mcp++;
        else entry.call++;
      }
      counts.set(service, entry);
    }
    return counts;
  }

  /**
   * Closes every service session of `sessionId`; returns how many there were. The sessions are gone at
   * once (a new call starts fresh servers); their process groups are ended in the background, so the
   * caller (a hangup) is not held up by slow exits. {@link closeAll} still waits for them.
   */
  closeSession(sessionId: string): number {
    const mine = this.table.ofCall(sessionId);
    for (const key of [...this.resets.keys()]) if (key.startsWith(`${sessionId}\u0000`)) this.resets.delete(key);
    for (const session of mine) this.track(this.close(session, 'closed by request'));
    return mine.length;
  }

  /** Stops the sweep and closes everything; later acquires get 503 shutting_down. */
  async closeAll(): Promise<void> {
    this.shuttingDown = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    // Nothing still waiting for a start slot is spawned now; queued sessions and spares fail at once.
    this.starts.close(new GatewayError('shutting_down', 'Gateway is shutting down'));
    const sessions = [...this.table.values()].map((s) => this.close(s, 'gateway shutdown'));
    await Promise.all([...sessions, this.pool.closeAll(), this.shared.closeAll()]);
    await Promise.allSettled([...this.closing]);
  }

  /** SIGKILLs every server's process group at once; for process exit, when nothing async can run. */
  killAllSync(): void {
    this.pool.killAllSync();
    this.shared.killAllSync();
    for (const session of this.table.values()) {
      const pid = session.opened?.upstream.pid;
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
    for (const session of this.table.values()) {
      if (session.inFlight === 0 && session.state === 'ready' && session.lastUsedAt + session.idleMs <= now) {
        this.track(this.close(session, 'idle timeout'));
      }
    }
    for (const [key, until] of this.resets) if (until <= now) this.resets.delete(key);
  }

  /** The (session, service) session, created (capacity-checked) when missing; marks it used. */
  private touch(sessionId: string, service: string, idleSeconds: number | undefined, prestart = false): Session {
    if (this.shuttingDown) throw new GatewayError('shutting_down', 'Gateway is shutting down');
    const session = this.table.get(sessionId, service) ?? this.open(sessionId, service, prestart);
    session.lastUsedAt = this.now();
    if (idleSeconds !== undefined) session.idleMs = idleSeconds * 1000;
    return session;
  }

  /** The server a lease gets: the session's own, or (shared scope) the service's current shared server. */
  private serverOf(session: Session): Promise<Upstream> | Upstream {
    if (session.scope === 'shared' && session.state === 'ready') return this.shared.current(session.service) ?? this.shared.get(session.service);
    return session.upstream ?? session.ready;
  }

  private checkCapacity(service: string): void {
    if (this.table.countOf(service) < this.opts.maxSessionsPerService) return;
    const now = this.now();
    let soonest = Infinity;
    for (const s of this.table.ofService(service)) soonest = Math.min(soonest, s.lastUsedAt + s.idleMs - now);
    throw new GatewayError('session_limit', `Service ${service} already has ${this.table.countOf(service)} sessions (max_sessions_per_service)`, {
      retryAfterSeconds: soonest / 1000,
    });
  }

  /** starting: a new session, counted (capacity, pool room, gauge) before its server starts. */
  private open(sessionId: string, service: string, prestart: boolean): Session {
    this.checkCapacity(service);
    const now = this.now();
    const started = deferred<Upstream>();
    const session: Session = {
      key: sessionKey(sessionId, service),
      sessionId,
      service,
      scope: this.opts.catalog.require(service).session_scope,
      createdAt: now,
      lastUsedAt: now,
      idleMs: this.opts.defaultTimeoutSeconds * 1000,
      inFlight: 0,
      state: 'starting',
      ready: started.promise,
    };
    this.table.add(session);
    this.opts.metrics.setLiveSessions(service, this.table.countOf(service));
    (session.scope === 'shared' ? this.startShared(session) : this.startOwn(session, prestart)).then(started.resolve, (err: unknown) => {
      this.track(this.close(session, 'start failed'));
      started.reject(
        err instanceof GatewayError ? err : new GatewayError('upstream_start_failed', `Service ${service} failed to start: ${(err as Error).message}`),
      );
    });
    return session;
  }

  /** (queued →) starting → ready, on the session's own server: a ready spare, else a new one started in its turn. */
  private async startOwn(session: Session, prestart: boolean): Promise<Upstream> {
    const spare = this.pool.take(session.service);
    if (spare) return this.startOnSpare(session, spare);
    const ticket = this.starts.enqueue(prestart ? 'prewarm' : 'call');
    session.state = 'queued';
    session.startTicket = ticket;
    const queuedAt = performance.now();
    try {
      await ticket.turn;
      if (isClosed(session)) throw closedWhileStarting();
      session.state = 'starting';
      const queued = { queued_ms: Math.round(performance.now() - queuedAt) };
      // A spare that became ready while this session waited serves it at once.
      const late = this.pool.takeReady(session.service);
      return await (late ? this.startOnSpare(session, late, queued) : this.startNewServer(session, prestart, queued));
    } finally {
      // The slot is held until the session is ready (initialize answered, tools listed, warmed up) or failed.
      ticket.done();
    }
  }

  /** A spare is already started, listed, warmed up and wired to the tool cache. */
  private async startOnSpare(session: Session, spare: OpenedUpstream, logged: Record<string, unknown> = {}): Promise<Upstream> {
    this.pool.fill(session.service);
    if (isClosed(session)) {
      await this.opts.catalog.dispose(spare).catch(() => undefined);
      throw closedWhileStarting();
    }
    session.opened = spare;
    spare.upstream.onExit((reason) => this.lost(session, reason));
    return this.ready(session, spare.upstream, { warm_spare: true, ...logged });
  }

  private async startNewServer(session: Session, prestart: boolean, logged: Record<string, unknown>): Promise<Upstream> {
    const { catalog, logger } = this.opts;
    const { service } = session;
    const began = performance.now();
    const opened = await catalog.open(service, session.sessionId);
    if (isClosed(session)) {
      await catalog.dispose(opened).catch(() => undefined);
      throw closedWhileStarting();
    }
    session.opened = opened;
    const { upstream } = opened;
    upstream.onExit((reason) => this.lost(session, reason));
    await catalog.start(service, opened, 'session');
    const initialized = performance.now();
    if (isClosed(session)) throw closedWhileStarting();
    // A cold cache is filled from this server (the call checks its tool against it).
    if (catalog.tools.peek(service) === undefined) catalog.tools.set(service, await upstream.listTools());
    upstream.onToolsChanged(() => catalog.tools.changed(service));
    if (prestart) await warmUp(upstream, service, catalog.tools, logger);
    // How long the server took to answer initialize, and to be ready (tools listed, warmed up): for tuning max_concurrent_starts.
    const took = { initialize_ms: Math.round(initialized - began), start_ms: Math.round(performance.now() - began) };
    return this.ready(session, upstream, { warm_spare: false, ...logged, ...took });
  }

  /** starting → ready, once the service's shared server is up. */
  private async startShared(session: Session): Promise<Upstream> {
    const upstream = await this.shared.get(session.service);
    return this.ready(session, upstream, { session_scope: 'shared' });
  }

  private ready(session: Session, upstream: Upstream, how: Record<string, unknown>): Upstream {
    if (isClosed(session)) throw closedWhileStarting();
    session.state = 'ready';
    session.upstream = upstream;
    this.opts.logger.info({ session_id: session.sessionId, service: session.service, child_pid: upstream.pid, ...how }, 'session started');
    return upstream;
  }

  /** The session's own server died: the session goes, and its next call is told it starts afresh. */
  private lost(session: Session, reason: string): void {
    if (session.state === 'closed') return;
    this.opts.logger.warn({ session_id: session.sessionId, service: session.service, reason }, 'mcp server went away');
    this.drop(session, reason);
  }

  /** Removes a broken session; the next call on it starts a fresh server and is told so. */
  private drop(session: Session, reason: string): void {
    if (session.state === 'closed') return;
    this.resets.set(session.key, this.now() + Math.max(session.idleMs, 60_000));
    this.track(this.close(session, reason));
  }

  /** any → closed: out of the queue and the table at once, its own server disposed, and the pool may use the freed room. */
  private async close(session: Session, reason: string): Promise<void> {
    if (session.state === 'closed') return;
    const wasStarting = session.state !== 'ready';
    session.state = 'closed';
    const ticket = session.startTicket;
    // Only a start still waiting needs a reason (an Error and its stack trace); a running one just gives its slot back.
    if (ticket) ticket.done(ticket.waiting ? new GatewayError('session_closed', 'Session was closed while waiting to start') : undefined);
    this.table.remove(session);
    this.opts.metrics.setLiveSessions(session.service, this.table.countOf(session.service));
    if (!this.shuttingDown) this.pool.fill(session.service);
    if (!wasStarting || reason !== 'start failed') this.opts.logger.info({ session_id: session.sessionId, service: session.service, reason }, 'session closed');
    if (session.opened) await this.opts.catalog.dispose(session.opened).catch(() => undefined);
  }

  private track(closing: Promise<void>): void {
    this.closing.add(closing);
    void closing.finally(() => this.closing.delete(closing));
  }
}
