/**
 * Graceful drain of an agent process behind a load balancer. Calls this process owns are the ones whose webhooks
 * it has served (the balancer pins a call's webhooks to one instance by the `call_id` in their URLs). On SIGTERM
 * the process stops taking new calls (`/ready`, SWML fetches and webhooks of calls it does not own answer 503
 * `draining`, which nginx's `proxy_next_upstream http_503` sends to another instance), keeps serving its own calls
 * until their `hangup_hook`, and resolves `drained()` once none is left or the drain timeout has passed.
 */
import type { RequestHandler } from 'express';
import { AgentError } from '../errors.js';

/**
 * Default drain timeout, seconds: 0, stop at once, as a lone instance should (no other instance would take its
 * calls). Behind a balancer, set it to about the longest call.
 */
export const DEFAULT_DRAIN_TIMEOUT_SECONDS = 0;

/**
 * A call not heard from for this long is taken as gone (its hangup was lost, or the agent has no hangup_hook), ms.
 * Past {@link PRUNE_ABOVE} tracked calls, such calls are dropped at most once a minute, so the map stays bounded.
 */
const CALL_IDLE_MS = 60 * 60 * 1000;
const PRUNE_ABOVE = 1000;

/** 503 `draining`: the balancer retries the request on another instance. */
export class DrainingError extends AgentError {
  constructor() {
    super('draining', 'This instance is shutting down and takes no new calls');
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The call a webhook belongs to: the envelope's `call_id`, else the routing key in the query. */
function callIdOf(body: unknown, query: Record<string, unknown>): string | undefined {
  const fromBody = isObject(body) ? body.call_id : undefined;
  if (typeof fromBody === 'string' && fromBody !== '') return fromBody;
  return typeof query.call_id === 'string' && query.call_id !== '' ? query.call_id : undefined;
}

export class CallDrain {
  /** Owned calls: call id → last time one of its webhooks arrived, ms. */
  private readonly calls = new Map<string, number>();
  private draining_ = false;
  private wake: (() => void) | undefined;
  private lastPrune = 0;

  /** True once {@link drain} has started. */
  get draining(): boolean {
    return this.draining_;
  }

  /** Calls this process serves now. */
  get openCalls(): number {
    this.forgetIdle();
    return this.calls.size;
  }

  /**
   * Middleware for an agent's routes, after body parsing: notes the calls served here, ends one at its
   * `hangup_hook`, and while draining refuses SWML fetches (`root`) and webhooks of calls it does not own.
   */
  track(): RequestHandler {
    return (req, res, next) => {
      const isSwml = req.path === '/' && (req.method === 'POST' || req.method === 'GET');
      if (isSwml) return next(this.draining_ ? new DrainingError() : undefined);
      const callId = callIdOf(req.body, req.query as Record<string, unknown>);
      if (callId === undefined) return next();
      if (this.draining_ && !this.calls.has(callId)) return next(new DrainingError());
      const now = Date.now();
      if (this.calls.size > PRUNE_ABOVE && now - this.lastPrune > 60_000) this.forgetIdle();
      this.calls.set(callId, now);
      const fn = isObject(req.body) ? req.body.function : undefined;
      if (fn === 'hangup_hook') res.once('finish', () => this.end(callId));
      next();
    };
  }

  /** Starts draining; resolves when no owned call is left or after `timeoutSeconds`. */
  async drain(timeoutSeconds: number): Promise<{ left: number }> {
    this.draining_ = true;
    if (this.openCalls > 0 && timeoutSeconds > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutSeconds * 1000);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    this.wake = undefined;
    return { left: this.openCalls };
  }

  private end(callId: string): void {
    this.calls.delete(callId);
    if (this.calls.size === 0) this.wake?.();
  }

  private forgetIdle(): void {
    this.lastPrune = Date.now();
    const cutoff = this.lastPrune - CALL_IDLE_MS;
    for (const [id, seen] of this.calls) if (seen < cutoff) this.calls.delete(id);
  }
}
