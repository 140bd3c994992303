/**
 * The live (session_id, service) sessions and their states. Only the session store writes it; everything
 * else (the warm pool's cap, listings, counts) reads it. Adding and removing are the only two places the
 * per-service index changes, so the counts can never drift from the sessions.
 *
 *   queued ──(a start slot is free)──▶ starting ──(server answered, warm-up done)──▶ ready ──▶ closed
 *     └──────────(start failed, closed while queued or starting)──────────────────────▶ closed
 *
 * A session taking a warm-pool spare, or served by a shared server, skips `queued`.
 */
import type { OpenedUpstream } from '../services/service-catalog.js';
import type { Upstream } from '../upstream/types.js';
import type { StartTicket } from './start-queue.js';

export type SessionState = 'queued' | 'starting' | 'ready' | 'closed';

/** One session: a call's use of one service. */
export interface Session {
  readonly key: string;
  readonly sessionId: string;
  readonly service: string;
  /** `call`: a server of its own; `shared`: served by the service's shared server. */
  readonly scope: 'call' | 'shared';
  readonly createdAt: number;
  state: SessionState;
  lastUsedAt: number;
  idleMs: number;
  metadata?: Record<string, unknown>;
  /** Calls holding a lease. */
  inFlight: number;
  /** Its place in the start queue, while its own server waits for a start slot or starts. */
  startTicket?: StartTicket;
  /** The session's own server (call scope), once opened; shared-scope sessions have none. */
  opened?: OpenedUpstream;
  /** The server serving the session, once ready. */
  upstream?: Upstream;
  /** Settles when the session is ready (or failed to start). */
  ready: Promise<Upstream>;
}

/** What the warm pool may read: how many sessions a service has. */
export interface SessionCounts {
  countOf(service: string): number;
}

export const sessionKey = (sessionId: string, service: string): string => `${sessionId}\u0000${service}`;

export class SessionTable implements SessionCounts {
  private readonly byKey = new Map<string, Session>();
  private readonly byService = new Map<string, Set<Session>>();

  get size(): number {
    return this.byKey.size;
  }

  get(sessionId: string, service: string): Session | undefined {
    return this.byKey.get(sessionKey(sessionId, service));
  }

  add(session: Session): void {
    this.byKey.set(session.key, session);
    let set = this.byService.get(session.service);
    if (!set) this.byService.set(session.service, (set = new Set()));
    set.add(session);
  }

  /** Removes the session; false when it was not (or no longer) in the table. */
  remove(session: Session): boolean {
    if (this.byKey.get(session.key) !== session) return false;
    this.byKey.delete(session.key);
    const set = this.byService.get(session.service);
    set?.delete(session);
    if (set?.size === 0) this.byService.delete(session.service);
    return true;
  }

  countOf(service: string): number {
    return this.byService.get(service)?.size ?? 0;
  }

  counts(): Map<string, number> {
    return new Map([...this.byService].map(([service, set]) => [service, set.size]));
  }

  ofService(service: string): Iterable<Session> {
    return this.byService.get(service) ?? [];
  }

  ofCall(sessionId: string): Session[] {
    return [...this.byKey.values()].filter((s) => s.sessionId === sessionId);
  }

  values(): IterableIterator<Session> {
    return this.byKey.values();
  }
}
