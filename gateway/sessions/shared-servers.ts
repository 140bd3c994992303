/**
 * Servers of `session_scope: "shared"` services: one long-lived server per service serves every call's
 * session (stateless servers: weather, search, fetch). It runs in one sandbox of its own (private folder,
 * uid, cgroup, limits), started on first use or at start-up, and is restarted when it dies: at once if it
 * had been up a while, else on the next call (a crash loop does not spin).
 */
import type { Logger } from 'pino';
import type { OpenedUpstream, ServiceCatalog } from '../services/service-catalog.js';
import type { Upstream } from '../upstream/types.js';
import { deferred } from './deferred.js';
import type { StartQueue } from './start-queue.js';
import { warmUp } from './warm-up.js';

/** Options of {@link SharedServers}. */
export interface SharedServersOptions {
  catalog: ServiceCatalog;
  logger: Logger;
  /** Where a start waits for a slot (as urgent as a session a call waits on). */
  starts: StartQueue;
  /** A server that dies sooner than this after it was ready is restarted only on demand, ms. Default 5000. */
  stableAfterMs?: number;
}

/** The session id the shared server's sandbox folder and log lines carry. */
export const SHARED_SESSION = 'shared';

interface Slot {
  opened?: OpenedUpstream;
  upstream?: Upstream;
  readyAt?: number;
  ready: Promise<Upstream>;
}

export class SharedServers {
  private readonly slots = new Map<string, Slot>();
  private readonly closing = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly opts: SharedServersOptions) {}

  /** The service's started server, if it is up now (the fast path of every call). */
  current(service: string): Upstream | undefined {
    return this.slots.get(service)?.upstream;
  }

  /** The service's server: the running one, the one starting, or a new one. */
  get(service: string): Promise<Upstream> {
    const slot = this.slots.get(service);
    if (slot) return slot.ready;
    const started = deferred<Upstream>();
    const fresh: Slot = { ready: started.promise };
    this.slots.set(service, fresh);
    this.start(service, fresh).then(started.resolve, started.reject);
    return fresh.ready;
  }

  /** Process ids of the running shared servers, by service. */
  pids(): Map<string, number> {
    const out = new Map<string, number>();
    for (const [service, slot] of this.slots) if (slot.upstream?.pid !== undefined) out.set(service, slot.upstream.pid);
    return out;
  }

  async closeAll(): Promise<void> {
    this.closed = true;
    const slots = [...this.slots.values()];
    this.slots.clear();
    await Promise.allSettled(slots.map((s) => s.ready));
    await Promise.allSettled(slots.map((s) => (s.opened ? this.opts.catalog.dispose(s.opened) : undefined)));
    await Promise.allSettled([...this.closing]);
  }

  /** SIGKILLs every shared server's process group; for process exit. */
  killAllSync(): void {
    for (const pid of this.pids().values()) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  private async start(service: string, slot: Slot): Promise<Upstream> {
    const { catalog, logger } = this.opts;
    const ticket = this.opts.starts.enqueue('call');
    try {
      await ticket.turn;
      slot.opened = await catalog.open(service, SHARED_SESSION);
      const { upstream } = slot.opened;
      upstream.onExit((reason) => this.lost(service, slot, reason));
      await catalog.start(service, slot.opened, 'shared');
      upstream.onToolsChanged(() => catalog.tools.changed(service));
      await warmUp(upstream, service, catalog.tools, logger);
      if (this.closed || this.slots.get(service) !== slot) throw new Error('the gateway closed while the shared server started');
      slot.upstream = upstream;
      slot.readyAt = Date.now();
      logger.info({ service, child_pid: upstream.pid, session_scope: 'shared' }, 'shared server started');
      return upstream;
    } catch (err) {
      if (this.slots.get(service) === slot) this.slots.delete(service);
      if (slot.opened) this.track(catalog.dispose(slot.opened).catch(() => undefined));
      throw err;
    } finally {
      ticket.done();
    }
  }

  private lost(service: string, slot: Slot, reason: string): void {
    if (this.slots.get(service) !== slot) return;
    this.slots.delete(service);
    this.opts.logger.warn({ service, reason, session_scope: 'shared' }, 'shared server went away');
    if (slot.opened) this.track(this.opts.catalog.dispose(slot.opened).catch(() => undefined));
    const upFor = slot.readyAt === undefined ? 0 : Date.now() - slot.readyAt;
    if (!this.closed && upFor >= (this.opts.stableAfterMs ?? 5000)) {
      this.get(service).catch((err: Error) => this.opts.logger.warn({ service, err: err.message }, 'restarting the shared server failed'));
    }
  }

  private track(closing: Promise<void>): void {
    this.closing.add(closing);
    void closing.finally(() => this.closing.delete(closing));
  }
}
