/**
 * The latest MCP progress notification of each running tool call, for the log and `/status`: a long call shows
 * how far it got, per session. A finished call stays listed for a while so its last progress can still be seen.
 */
import type { Progress } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from 'pino';

/** One call's row on `/status`. */
export interface ProgressRow {
  session_id: string;
  service: string;
  tool: string;
  progress: number;
  total?: number;
  message?: string;
  /** Notifications received for the call so far. */
  notifications: number;
  updated_at: string;
  running: boolean;
}

/** Progress reporting of one call. */
export interface ProgressTracker {
  /** Receives the server's notifications/progress for the call. */
  onprogress(progress: Progress): void;
  /** The call is over (answered or failed). */
  finish(): void;
}

/** Options of {@link ProgressBoard}. */
export interface ProgressBoardOptions {
  /** How long a finished call stays listed, ms (default 60 s). */
  keepFinishedMs?: number;
  /** Most calls listed (oldest finished ones go first; default 200). */
  maxRows?: number;
  /** Shortest gap between two log lines of one call, ms (default 1 s): a chatty server does not flood the log. */
  logEveryMs?: number;
  now?: () => number;
}

interface Entry {
  row: ProgressRow;
  finishedAt?: number;
  lastLoggedAt: number;
}

export class ProgressBoard {
  private readonly entries = new Set<Entry>();
  private readonly now: () => number;

  constructor(private readonly opts: ProgressBoardOptions = {}) {
    this.now = opts.now ?? Date.now;
  }

  /** Starts tracking one call (notifications are logged to `logger`); nothing is listed until the first one. */
  track(sessionId: string, service: string, tool: string, logger: Logger): ProgressTracker {
    let entry: Entry | undefined;
    return {
      onprogress: (p) => {
        const now = this.now();
        if (!entry) {
          entry = { row: { session_id: sessionId, service, tool, progress: 0, notifications: 0, updated_at: '', running: true }, lastLoggedAt: -Infinity };
          this.add(entry);
        }
        const row = entry.row;
        row.progress = p.progress;
        if (p.total !== undefined) row.total = p.total;
        if (p.message !== undefined) row.message = p.message.slice(0, 200);
        row.notifications += 1;
        row.updated_at = new Date(now).toISOString();
        if (now - entry.lastLoggedAt >= (this.opts.logEveryMs ?? 1000)) {
          entry.lastLoggedAt = now;
          logger.info(
            { session_id: sessionId, service, tool, progress: p.progress, total: p.total, progress_message: row.message, notifications: row.notifications },
            'tool progress',
          );
        }
      },
      finish: () => {
        if (!entry || !entry.row.running) return;
        entry.row.running = false;
        entry.finishedAt = this.now();
      },
    };
  }

  /** Running calls first, then recently finished ones; newest updates first. */
  list(): ProgressRow[] {
    this.prune();
    return [...this.entries].map((e) => ({ ...e.row })).sort((a, b) => Number(b.running) - Number(a.running) || b.updated_at.localeCompare(a.updated_at));
  }

  private add(entry: Entry): void {
    this.prune();
    const max = this.opts.maxRows ?? 200;
    if (this.entries.size >= max) {
      const oldest = [...this.entries].find((e) => !e.row.running) ?? [...this.entries][0];
      if (oldest) this.entries.delete(oldest);
    }
    this.entries.add(entry);
  }

  private prune(): void {
    const cutoff = this.now() - (this.opts.keepFinishedMs ?? 60_000);
    for (const e of this.entries) if (e.finishedAt !== undefined && e.finishedAt <= cutoff) this.entries.delete(e);
  }
}
