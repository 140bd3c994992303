/**
 * Looks again, with back-off, for MCP services that were not available when the agent started, so the agent
 * serves calls meanwhile and gains their tools once they answer. Timers are unref'd: they never keep the
 * process alive, and `stop()` ends the loop (skill cleanup).
 */

/** Options of {@link Rediscovery}. */
export interface RediscoveryOptions {
  /** One attempt; resolves true when nothing is left to look for. A rejection counts as "try again later". */
  attempt: () => Promise<boolean>;
  /** First delay, ms (default 500). */
  initialDelayMs?: number;
  /** Longest delay, ms. */
  maxDelayMs: number;
  /** Told about an attempt that threw (the loop goes on). */
  onError?: (err: unknown) => void;
  /** Random source in [0, 1) (tests inject one). */
  random?: () => number;
}

/** Delay before attempt `n` (0-based): doubling from the initial delay up to the cap, the upper half jittered. */
export function rediscoveryDelay(n: number, opts: Pick<RediscoveryOptions, 'initialDelayMs' | 'maxDelayMs' | 'random'>): number {
  const ceiling = Math.min(opts.maxDelayMs, (opts.initialDelayMs ?? 500) * 2 ** Math.min(n, 30));
  return Math.round(ceiling / 2 + (opts.random ?? Math.random)() * (ceiling / 2));
}

export class Rediscovery {
  private timer: NodeJS.Timeout | undefined;
  private attempts = 0;
  private stopped = false;

  constructor(private readonly opts: RediscoveryOptions) {}

  /** Schedules the first attempt (idempotent while running). */
  start(): void {
    if (this.timer || this.stopped) return;
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(): void {
    const delay = rediscoveryDelay(this.attempts, this.opts);
    this.attempts += 1;
    this.timer = setTimeout(() => void this.run(), delay);
    this.timer.unref();
  }

  private async run(): Promise<void> {
    let done = false;
    try {
      done = await this.opts.attempt();
    } catch (err) {
      this.opts.onError?.(err);
    }
    this.timer = undefined;
    if (!done && !this.stopped) this.schedule();
  }
}
