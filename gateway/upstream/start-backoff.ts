/**
 * Start-failure backoff per service: after `after_failures` failed starts in a row, new starts are refused with
 * 503 `service_unavailable` + Retry-After for a window that doubles with every further failure (capped), instead
 * of spawning a server that is known to fail. After the window one start is tried again; a success resets all.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ServiceConfig } from '../config/schema.js';
import { GatewayError } from '../errors.js';
import type { UpstreamFactory } from './create-upstream.js';
import type { CallOptions, Upstream, UpstreamPassthrough, UpstreamTool } from './types.js';

interface State {
  failures: number;
  blockedUntil: number;
  lastError: string;
}

/** Tracks consecutive start failures of each service. */
export class StartBackoff {
  private readonly state = new Map<string, State>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Throws 503 service_unavailable while the service is in its backoff window. */
  check(service: string): void {
    const s = this.state.get(service);
    if (!s || s.blockedUntil <= this.now()) return;
    const wait = Math.ceil((s.blockedUntil - this.now()) / 1000);
    throw new GatewayError(
      'service_unavailable',
      `Service ${service} failed to start ${s.failures} times in a row; not retrying for ${wait} s (last error: ${s.lastError})`,
      { retryAfterSeconds: wait },
    );
  }

  /** Records a failed start; opens (or widens) the window once the threshold is reached. */
  failed(service: string, cfg: ServiceConfig['start_backoff'], message: string): void {
    const s = this.state.get(service) ?? { failures: 0, blockedUntil: 0, lastError: '' };
    s.failures += 1;
    s.lastError = message.slice(0, 300);
    if (s.failures >= cfg.after_failures) {
      const seconds = Math.min(cfg.max_seconds, cfg.initial_seconds * 2 ** (s.failures - cfg.after_failures));
      s.blockedUntil = this.now() + seconds * 1000;
    }
    this.state.set(service, s);
  }

  /** A successful start clears the service's record. */
  succeeded(service: string): void {
    this.state.delete(service);
  }

  /** Consecutive failures so far (for tests and status pages). */
  failures(service: string): number {
    return this.state.get(service)?.failures ?? 0;
  }
}

/** An upstream whose start() consults and feeds the backoff; everything else is passed through. */
class BackoffUpstream implements Upstream {
  constructor(
    private readonly inner: Upstream,
    private readonly service: string,
    private readonly cfg: ServiceConfig['start_backoff'],
    private readonly backoff: StartBackoff,
  ) {}

  get kind(): 'stdio' | 'http' {
    return this.inner.kind;
  }

  get pid(): number | undefined {
    return this.inner.pid;
  }

  get passthrough(): UpstreamPassthrough | undefined {
    return this.inner.passthrough;
  }

  async start(): Promise<void> {
    this.backoff.check(this.service);
    try {
      await this.inner.start();
    } catch (err) {
      const closedOnPurpose = err instanceof GatewayError && err.code === 'session_closed';
      if (!closedOnPurpose) this.backoff.failed(this.service, this.cfg, (err as Error).message);
      throw err;
    }
    this.backoff.succeeded(this.service);
  }

  listTools(): Promise<UpstreamTool[]> {
    return this.inner.listTools();
  }

  callTool(name: string, args: Record<string, unknown>, opts: CallOptions): Promise<CallToolResult> {
    return this.inner.callTool(name, args, opts);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  onExit(listener: (reason: string) => void): void {
    this.inner.onExit(listener);
  }

  onToolsChanged(listener: () => void): void {
    this.inner.onToolsChanged(listener);
  }
}

/** Wraps an upstream factory so every upstream it makes honours the service's start backoff. */
export function withStartBackoff(factory: UpstreamFactory, backoff: StartBackoff): UpstreamFactory {
  return (service, config, ctx) => new BackoffUpstream(factory(service, config, ctx), service, config.start_backoff, backoff);
}
