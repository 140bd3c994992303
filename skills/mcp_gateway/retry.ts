/**
 * When to try a gateway request again. A request that never reached the gateway (connection refused, DNS,
 * connect timeout) is always safe to repeat. Anything that may have reached it (reset mid-request, 502/503)
 * is repeated only for tools whose MCP annotations say repeating has no extra effect. Timeouts, 4xx and 504
 * are never repeated: the tool may still be running, and a caller on the phone is waiting.
 */
import { setTimeout as sleep } from 'node:timers/promises';

/** How far a failed request got. */
export type DeliveryState = 'not_sent' | 'maybe_sent' | 'timeout';

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'UND_ERR_CONNECT_TIMEOUT']);
const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);
/** Gateway statuses that mean "the tool did not complete" rather than "your request is wrong". */
const RETRYABLE_STATUSES = new Set([502, 503]);

function collect(err: unknown, key: 'code' | 'name', depth = 0): string[] {
  if (typeof err !== 'object' || err === null || depth > 4) return [];
  const e = err as { code?: unknown; name?: unknown; cause?: unknown; errors?: unknown };
  const own = typeof e[key] === 'string' ? [e[key] as string] : [];
  const nested = [e.cause, ...(Array.isArray(e.errors) ? e.errors : [])].flatMap((c) => collect(c, key, depth + 1));
  return [...own, ...nested];
}

/** Classifies a transport error thrown by undici (or an abort by our own timeout). */
export function deliveryState(err: unknown): DeliveryState {
  const codes = collect(err, 'code');
  if (codes.some((c) => TIMEOUT_CODES.has(c)) || collect(err, 'name').includes('TimeoutError')) return 'timeout';
  // Happy-eyeballs wraps one error per address in an AggregateError: not sent only if every one was.
  return codes.length > 0 && codes.every((c) => NOT_SENT_CODES.has(c)) ? 'not_sent' : 'maybe_sent';
}

/** MCP tool annotations that make a repeat harmless (spec: hints, default false). */
export interface RetryHints {
  readOnlyHint?: boolean;
  idempotentHint?: boolean;
}

/** True when the tool says it has no effect, or repeating it has no extra effect. */
export function isRepeatSafe(annotations: RetryHints | undefined): boolean {
  return annotations?.readOnlyHint === true || annotations?.idempotentHint === true;
}

/** A failed attempt, as the retry loop sees it. */
export type AttemptFailure = { delivery: DeliveryState } | { status: number };

/** Whether this failure may be retried for a request that is (or is not) safe to repeat. */
export function isRetryable(failure: AttemptFailure, repeatSafe: boolean): boolean {
  if ('status' in failure) return repeatSafe && RETRYABLE_STATUSES.has(failure.status);
  if (failure.delivery === 'not_sent') return true;
  return failure.delivery === 'maybe_sent' && repeatSafe;
}

/** Backoff settings; defaults suit a live call (total added wait stays around a second). */
export interface BackoffOptions {
  /** First delay ceiling, ms (default 100). */
  baseMs?: number;
  /** Largest delay ceiling, ms (default 1000). */
  capMs?: number;
  /** Random source in [0, 1) (tests inject one). */
  random?: () => number;
}

/** "Full jitter": a random delay in [0, min(cap, base·2^retry)), so many agents do not retry in lockstep. */
export function backoffDelay(retry: number, opts: BackoffOptions = {}): number {
  const ceiling = Math.min(opts.capMs ?? 1000, (opts.baseMs ?? 100) * 2 ** retry);
  return Math.floor((opts.random ?? Math.random)() * ceiling);
}

/** Options of {@link withRetry}. */
export interface RetryOptions extends BackoffOptions {
  /** Extra attempts after the first (retry_attempts). */
  retries: number;
  /** Decides from the thrown error whether another attempt is allowed. */
  canRetry: (err: unknown) => boolean;
  /** Called before each retry (for logging). */
  onRetry?: (err: unknown, retry: number, delayMs: number) => void;
}

/** Runs `attempt` until it succeeds, the error is not retryable, or the retries are used up. */
export async function withRetry<T>(attempt: (n: number) => Promise<T>, opts: RetryOptions): Promise<T> {
  for (let n = 0; ; n += 1) {
    try {
      return await attempt(n);
    } catch (err) {
      if (n >= opts.retries || !opts.canRetry(err)) throw err;
      const delay = backoffDelay(n, opts);
      opts.onRetry?.(err, n + 1, delay);
      if (delay > 0) await sleep(delay);
    }
  }
}
