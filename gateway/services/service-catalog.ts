/**
 * The configured services: lookup, description, starting upstreams (with their private folder), and the
 * per-service tool-list cache. Every server it starts (for a session, a spare or a shared server) is known
 * here from start() to dispose(), so tool lists come from a live server of the service when there is one;
 * only a cold service with none starts one throw-away server. Nobody else keeps that index.
 */
import type { Logger } from 'pino';
import type { ServiceConfig } from '../config/schema.js';
import { GatewayError } from '../errors.js';
import type { GatewayMetrics, SpawnPurpose } from '../metrics/gateway-metrics.js';
import type { SandboxEnvironment } from '../sandbox/launch.js';
import { describePlan, type SandboxPlan } from '../sandbox/plan.js';
import { createSessionDir, removeSessionDir } from '../sandbox/session-dir.js';
import { createUpstream, type UpstreamFactory } from '../upstream/create-upstream.js';
import type { Upstream, UpstreamTool } from '../upstream/types.js';
import { ToolCache, type CachedTools } from './tool-cache.js';

/** Options of {@link ServiceCatalog}. */
export interface ServiceCatalogOptions {
  services: Record<string, ServiceConfig>;
  /** Parent folder of per-session private dirs. */
  sandboxDir: string;
  logger: Logger;
  metrics: GatewayMetrics;
  upstreamFactory?: UpstreamFactory;
  /** Coalescing window for list_changed bursts, ms (default 250). */
  toolsDebounceMs?: number;
  /** The host's sandbox mechanisms and the paths servers must not see (default: probed, none hidden). */
  sandbox?: SandboxEnvironment;
  /** What each stdio service's sandbox gives on this host (shown by `GET /services` and `/status`). */
  sandboxPlans?: Record<string, SandboxPlan>;
}

/** An upstream plus the private folder that goes away with it. */
export interface OpenedUpstream {
  upstream: Upstream;
  privateDir?: string;
}

/** Wire shape of one entry of `GET /services`. */
export interface ServiceDescription {
  description: string;
  enabled: boolean;
  type: 'stdio' | 'http';
  /** stdio services: the sandbox layers in force, and what this host cannot give. */
  sandbox?: { layers: string; missing: string[] };
}

export class ServiceCatalog {
  /** The tool-list cache (see {@link ToolCache}). */
  readonly tools: ToolCache;
  private readonly pending = new Set<Promise<void>>();
  private readonly factory: UpstreamFactory;
  /** Started servers per service (sessions', spares, shared), probes excepted. */
  private readonly started = new Map<string, Set<Upstream>>();
  /** Disposed while still starting: never enters `started`. */
  private readonly disposed = new WeakSet<Upstream>();
  private descriptions: Record<string, ServiceDescription> | undefined;
  private readonly toolsChangedListeners: Array<(service: string) => void> = [];

  constructor(private readonly opts: ServiceCatalogOptions) {
    this.factory = opts.upstreamFactory ?? createUpstream;
    this.tools = new ToolCache({
      fetch: (name) => this.fetchTools(name),
      ttlMs: (name) => (this.opts.services[name]?.tools_ttl ?? 0) * 1000,
      logger: opts.logger,
      onLookup: (name, hit) => opts.metrics.toolCache(name, hit),
      onChanged: (name) => {
        for (const listener of this.toolsChangedListeners) listener(name);
      },
      ...(opts.toolsDebounceMs === undefined ? {} : { debounceMs: opts.toolsDebounceMs }),
    });
  }

  /** Names of the enabled services. */
  enabledNames(): string[] {
    return Object.entries(this.opts.services)
      .filter(([, svc]) => svc.enabled)
      .map(([name]) => name);
  }

  /** `GET /services` body (fixed for the gateway's life: built once, callers copy before adding to it). */
  describe(): Readonly<Record<string, ServiceDescription>> {
    this.descriptions ??= Object.fromEntries(
      Object.entries(this.opts.services).map(([name, svc]) => {
        const plan = this.opts.sandboxPlans?.[name];
        const sandbox = plan === undefined ? {} : { sandbox: { layers: describePlan(plan), missing: plan.missing.map((m) => `${m.layer}: ${m.why}`) } };
        return [name, { description: svc.description, enabled: svc.enabled, type: svc.type, ...sandbox }];
      }),
    );
    return this.descriptions;
  }

  /** The config of an enabled service; 404 unknown_service, 503 service_disabled. */
  require(name: string, field = 'service'): ServiceConfig {
    const svc = Object.hasOwn(this.opts.services, name) ? this.opts.services[name] : undefined;
    if (!svc) throw new GatewayError('unknown_service', `Unknown service: ${name}`, { field });
    if (!svc.enabled) throw new GatewayError('service_disabled', `Service ${name} is disabled`);
    return svc;
  }

  /** `listener` runs whenever a service's cached tool list is replaced by a different one. */
  onToolsChanged(listener: (service: string) => void): void {
    this.toolsChangedListeners.push(listener);
  }

  /** The cached tool list (fresh or stale), if any; never fetches. */
  cachedTools(name: string): UpstreamTool[] | undefined {
    return this.tools.peek(name)?.tools;
  }

  /** Whether the cached list has `tool`; undefined while the cache is cold. */
  hasTool(name: string, tool: string): boolean | undefined {
    return this.tools.peek(name)?.names.has(tool);
  }

  /** The service's tools (and their JSON): from the cache, else listed once (concurrent callers share it). */
  listTools(name: string): Promise<CachedTools> {
    return this.tools.get(name);
  }

  /** Starts background listings for services with `prefetch_tools`; start-up never waits for them. */
  prefetchTools(): void {
    for (const name of this.enabledNames()) {
      if (!this.opts.services[name]?.prefetch_tools) continue;
      this.tools.refresh(name).catch((err: Error) => this.opts.logger.warn({ service: name, err: err.message }, 'listing tools at start-up failed'));
    }
  }

  /** Creates a (not yet started) upstream for a session, with its private folder when sandboxed. */
  async open(name: string, sessionId: string): Promise<OpenedUpstream> {
    const svc = this.require(name);
    const privateDir = svc.type === 'stdio' && svc.sandbox.enabled ? await createSessionDir(this.opts.sandboxDir, name, sessionId) : undefined;
    // Every line the server's transport logs carries the call id (the upstream factory adds the service).
    const logger = this.opts.logger.child({ session_id: sessionId });
    const sandbox = this.opts.sandbox === undefined ? {} : { sandbox: this.opts.sandbox };
    const ctx = privateDir === undefined ? { logger, ...sandbox } : { logger, privateDir, ...sandbox };
    try {
      const upstream = this.factory(name, svc, ctx);
      return privateDir === undefined ? { upstream } : { upstream, privateDir };
    } catch (err) {
      if (privateDir !== undefined) await removeSessionDir(privateDir);
      throw err;
    }
  }

  /** Starts an opened upstream, counting the spawn (and a failure) for `purpose`. */
  async start(name: string, opened: OpenedUpstream, purpose: SpawnPurpose): Promise<void> {
    this.opts.metrics.spawned(name, purpose);
    try {
      await opened.upstream.start();
    } catch (err) {
      this.opts.metrics.spawnFailed(name, purpose);
      throw err;
    }
    if (purpose === 'probe' || this.disposed.has(opened.upstream)) return;
    let set = this.started.get(name);
    if (!set) this.started.set(name, (set = new Set()));
    set.add(opened.upstream);
  }

  /** Closes an upstream and removes its private folder. */
  async dispose(opened: OpenedUpstream): Promise<void> {
    this.disposed.add(opened.upstream);
    for (const [name, set] of this.started) if (set.delete(opened.upstream) && set.size === 0) this.started.delete(name);
    try {
      await opened.upstream.close();
    } finally {
      if (opened.privateDir !== undefined) await removeSessionDir(opened.privateDir).catch(() => undefined);
    }
  }

  /** Waits for listings in flight and throw-away servers that are still shutting down. */
  async close(): Promise<void> {
    await this.tools.close();
    await Promise.allSettled([...this.pending]);
  }

  /** Lists on a live server of the service, falling back to a throw-away one. */
  private fetchTools(name: string): Promise<UpstreamTool[]> {
    return this.withServer(name, (upstream) => upstream.listTools());
  }

  /**
   * Runs a listing (`work`) on a live server of the service, falling back to a throw-away one started for it.
   * For listings only: nothing session-specific may be done on the server it gets.
   */
  async withServer<T>(name: string, work: (upstream: Upstream) => Promise<T>): Promise<T> {
    const live = this.started.get(name)?.values().next().value;
    if (live) {
      try {
        return await work(live);
      } catch (err) {
        this.opts.logger.debug({ service: name, err: (err as Error).message }, 'listing on a live server failed; using a probe');
      }
    }
    return this.probe(name, work);
  }

  private async probe<T>(name: string, work: (upstream: Upstream) => Promise<T>): Promise<T> {
    const opened = await this.open(name, 'tools-probe');
    try {
      await this.start(name, opened, 'probe');
      return await work(opened.upstream);
    } finally {
      // Shut the probe down in the background: the listing should not wait for a slow exit.
      const closing = this.dispose(opened).catch((err: Error) => this.opts.logger.warn({ service: name, err: err.message }, 'closing tool probe failed'));
      this.pending.add(closing);
      void closing.finally(() => this.pending.delete(closing));
    }
  }
}
