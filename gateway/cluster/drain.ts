/**
 * Graceful drain of a gateway instance behind a balancer (SIGTERM): `/ready` answers 503, requests that would
 * start a session here answer 503 `draining` (nginx `proxy_next_upstream http_503` sends them to another
 * instance), and the sessions already held are served until their hangup closes them or `cluster.drain_timeout`.
 */
import { GatewayError } from '../errors.js';

/** How often the drain looks whether the last session has gone, ms. */
const POLL_MS = 100;

export class GatewayDrain {
  private draining_ = false;

  /** True once {@link drain} has started. */
  get draining(): boolean {
    return this.draining_;
  }

  /** Throws 503 `draining` while draining, unless the session is already held here (`live`). */
  refuseNewSession(live: boolean): void {
    if (this.draining_ && !live) throw new GatewayError('draining', 'This gateway instance is shutting down and starts no new sessions');
  }

  /** Starts draining; resolves when `sessionsLeft()` is 0 or after `timeoutSeconds`, with what is left. */
  async drain(sessionsLeft: () => number, timeoutSeconds: number): Promise<number> {
    this.draining_ = true;
    const until = Date.now() + timeoutSeconds * 1000;
    while (sessionsLeft() > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    return sessionsLeft();
  }
}
