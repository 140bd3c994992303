/**
 * The configured services: lookup, description, the per-service tool-list cache, and opening upstreams
 * (with their private folder). A listing with a cold cache starts one throw-away server; later listings
 * and the first session of a service reuse the cached list.
 */
import type { Logger } from 'pino';
import type { ServiceConfig } from '../config/schema.js';
import { NotFoundError, ServiceUnavailableError } from '../errors.js';
import { createSessionDir, removeSessionDir } from '../sandbox/session-dir.js';
import { createUpstream, type UpstreamFactory } from '../upstream/create-upstream.js';
import type { Upstream, UpstreamTool } from '../upstream/types.js';

/** Options of {@link ServiceCatalog}. */
export interface ServiceCatalogOptions {
  services: Record<string, ServiceConfig>;
  /** Parent folder of per-session private dirs. */
  sandboxDir: string;
  logger: Logger;
  upstreamFactory?: UpstreamFactory;
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
}

export class ServiceCatalog {
  private readonly tools = new Map<string, UpstreamTool[]>();
  private readonly loading = new Map<string, Promise<UpstreamTool[]>>();
  private readonly pending = new Set<Promise<void>>();
  private readonly factory: UpstreamFactory;

  constructor(private readonly opts: ServiceCatalogOptions) {
    this.factory = opts.upstreamFactory ?? createUpstream;
  }

  /** `GET /services` body. */
  describe(): Record<string, ServiceDescription> {
    return Object.fromEntries(
      Object.entries(this.opts.services).map(([name, svc]) => [name, { description: svc.description, enabled: svc.enabled, type: svc.type }]),
    );
  }

  /** The config of an enabled service; 404 unknown_service, 503 service_disabled. */
  require(name: string): ServiceConfig {
    const svc = Object.hasOwn(this.opts.services, name) ? this.opts.services[name] : undefined;
    if (!svc) throw new NotFoundError('unknown_service', `Unknown service: ${name}`, 'service');
    if (!svc.enabled) throw new ServiceUnavailableError('service_disabled', `Service ${name} is disabled`);
    return svc;
  }

  /** The cached tool list, if any. */
  cachedTools(name: string): UpstreamTool[] | undefined {
    return this.tools.get(name);
  }

  /** Replaces the cached tool list (a session listed its server). */
  setTools(name: string, tools: UpstreamTool[]): void {
    this.tools.set(name, tools);
  }

  /** The service's tools: from the cache, else from one throw-away server (concurrent callers share it). */
  async listTools(name: string): Promise<UpstreamTool[]> {
    const cached = this.tools.get(name);
    if (cached) return cached;
    let loading = this.loading.get(name);
    if (!loading) {
      loading = this.probe(name).finally(() => this.loading.delete(name));
      this.loading.set(name, loading);
    }
    return loading;
  }

  /** Creates a (not yet started) upstream for a session, with its private folder when sandboxed. */
  async open(name: string, sessionId: string): Promise<OpenedUpstream> {
    const svc = this.require(name);
    const privateDir = svc.type === 'stdio' && svc.sandbox.enabled ? await createSessionDir(this.opts.sandboxDir, name, sessionId) : undefined;
    const ctx = privateDir === undefined ? { logger: this.opts.logger } : { logger: this.opts.logger, privateDir };
    try {
      const upstream = this.factory(name, svc, ctx);
      return privateDir === undefined ? { upstream } : { upstream, privateDir };
    } catch (err) {
      if (privateDir !== undefined) await removeSessionDir(privateDir);
      throw err;
    }
  }

  /** Closes an upstream and removes its private folder. */
  async dispose(opened: OpenedUpstream): Promise<void> {
    try {
      await opened.upstream.close();
    } finally {
      if (opened.privateDir !== undefined) await removeSessionDir(opened.privateDir).catch(() => undefined);
    }
  }

  /** Waits for throw-away servers that are still shutting down. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.loading.values()]);
    await Promise.allSettled([...this.pending]);
  }

  private async probe(name: string): Promise<UpstreamTool[]> {
    const opened = await this.open(name, 'tools-probe');
    try {
      await opened.upstream.start();
      const tools = await opened.upstream.listTools();
      this.tools.set(name, tools);
      return tools;
    } finally {
      // Shut the probe down in the background: the listing should not wait for a slow exit.
      const closing = this.dispose(opened).catch((err: Error) => this.opts.logger.warn({ service: name, err: err.message }, 'closing tool probe failed'));
      this.pending.add(closing);
      void closing.finally(() => this.pending.delete(closing));
    }
  }
}
