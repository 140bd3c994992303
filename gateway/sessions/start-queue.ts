/**
 * Admission of server starts (`session.max_concurrent_starts`). A server's start (spawn, sandbox set-up, the
 * runtime booting, initialize) is CPU-heavy: a hundred at once share the cores and all become ready late
 * together, while a few at a time become ready one after another. A start waits here for a slot and holds it
 * until its server answered initialize or failed, or for at most `slotMs`, so a launcher that spends its
 * start waiting on the network (npx, uvx downloading) never blocks the others.
 *
 * Waiting starts go by class, then first come first served: a session a tool call waits on, then a
 * pre-warmed session, then a warm-pool spare. A pre-warm a call arrives for is raised to the call class.
 */
import { deferred, type Deferred } from './deferred.js';

/** Start classes, most urgent first. */
export const START_PRIORITIES = ['call', 'prewarm', 'spare'] as const;
export type StartPriority = (typeof START_PRIORITIES)[number];

/** Longest a start holds its slot, ms: ~3x a sandboxed Node server's start on an idle 2-core machine. */
export const DEFAULT_START_SLOT_MS = 400;

/** One start's place in the queue. */
export interface StartTicket {
  /** Resolves when the start may run; rejects (with the reason given to {@link done}) if it left the queue first. */
  readonly turn: Promise<void>;
  /** True while the start waits for a slot. */
  readonly waiting: boolean;
  /** Waiting: moves the start to a more urgent class (never to a less urgent one). */
  raise(priority: StartPriority): void;
  /** The start is over (ready or failed): gives the slot back. Still waiting: leaves the queue, `turn` rejects with `reason`. */
  done(reason?: unknown): void;
}

/** Options of {@link StartQueue}. */
export interface StartQueueOptions {
  /** Starts running at once; 0 = no limit. */
  limit: number;
  /** Longest a start holds its slot, ms. Default {@link DEFAULT_START_SLOT_MS}. */
  slotMs?: number;
}

type TicketState = 'waiting' | 'running' | 'over';

class Ticket implements StartTicket {
  state: TicketState = 'waiting';
  timer: NodeJS.Timeout | undefined;
  readonly granted: Deferred<void> = deferred<void>();

  constructor(
    private readonly queue: StartQueue,
    public priority: StartPriority,
  ) {}

  get turn(): Promise<void> {
    return this.granted.promise;
  }

  get waiting(): boolean {
    return this.state === 'waiting';
  }

  raise(priority: StartPriority): void {
    this.queue.raise(this, priority);
  }

  done(reason?: unknown): void {
    this.queue.finish(this, reason);
  }
}

export class StartQueue {
  private readonly waiting = new Map<StartPriority, Set<Ticket>>(START_PRIORITIES.map((p) => [p, new Set()]));
  private running = 0;
  private closedWith: { reason: unknown } | undefined;
  private readonly limit: number;
  private readonly slotMs: number;

  constructor(opts: StartQueueOptions) {
    this.limit = opts.limit === 0 ? Infinity : opts.limit;
    this.slotMs = opts.slotMs ?? DEFAULT_START_SLOT_MS;
  }

  /** Starts waiting for a slot now (none running). */
  get queued(): number {
    let n = 0;
    for (const set of this.waiting.values()) n += set.size;
    return n;
  }

  /** A place in the queue for one start; after {@link close}, a ticket whose turn is already rejected. */
  enqueue(priority: StartPriority): StartTicket {
    const ticket = new Ticket(this, priority);
    if (this.closedWith) {
      ticket.state = 'over';
      ticket.granted.reject(this.closedWith.reason);
      return ticket;
    }
    this.waiting.get(priority)?.add(ticket);
    this.admit();
    return ticket;
  }

  /** Rejects every waiting start with `reason`, and every later one; running starts keep their slots until done. */
  close(reason: unknown): void {
    this.closedWith = { reason };
    for (const set of this.waiting.values()) {
      for (const ticket of set) {
        ticket.state = 'over';
        ticket.granted.reject(reason);
      }
      set.clear();
    }
  }

  /** @internal through {@link StartTicket.raise} */
  raise(ticket: Ticket, priority: StartPriority): void {
    if (ticket.state !== 'waiting' || START_PRIORITIES.indexOf(priority) >= START_PRIORITIES.indexOf(ticket.priority)) return;
    this.waiting.get(ticket.priority)?.delete(ticket);
    ticket.priority = priority;
    this.waiting.get(priority)?.add(ticket);
  }

  /** @internal through {@link StartTicket.done} */
  finish(ticket: Ticket, reason: unknown): void {
    if (ticket.state === 'waiting') {
      this.waiting.get(ticket.priority)?.delete(ticket);
      ticket.state = 'over';
      ticket.granted.reject(reason);
      return;
    }
    this.release(ticket);
  }

  private release(ticket: Ticket): void {
    if (ticket.state !== 'running') return;
    ticket.state = 'over';
    clearTimeout(ticket.timer);
    this.running--;
    this.admit();
  }

  private admit(): void {
    while (this.running < this.limit) {
      const next = this.next();
      if (!next) return;
      this.waiting.get(next.priority)?.delete(next);
      next.state = 'running';
      this.running++;
      if (this.limit !== Infinity) {
        // A start that outlasts its slot keeps running, but no longer holds the others back.
        next.timer = setTimeout(() => this.release(next), this.slotMs);
        next.timer.unref();
      }
      next.granted.resolve();
    }
  }

  private next(): Ticket | undefined {
    for (const priority of START_PRIORITIES) {
      const first = this.waiting.get(priority)?.values().next();
      if (first && !first.done) return first.value;
    }
    return undefined;
  }
}
