/**
 * Per-service tool-list cache. A listing is fetched once (single-flight) and then served from memory.
 * Past its TTL the stale list is still served while one background refresh runs; a server's
 * `notifications/tools/list_changed` triggers a debounced refresh. Where the list comes from (a live
 * session, a spare, or a throw-away server) is the fetcher's business.
 */
import type { Logger } from 'pino';
import type { UpstreamTool } from '../upstream/types.js';

/** Options of {@link ToolCache}. */
export interface ToolCacheOptions {
  /** Lists a service's tools from wherever it can (may start a server). */
  fetch(service: string): Promise<UpstreamTool[]>;
  /** Age after which a list is refreshed in the background, ms; 0 = never. */
  ttlMs(service: string): number;
  logger: Logger;
  /** Called on every `get()`: true when answered from memory. */
  onLookup?(service: string, hit: boolean): void;
  /** Called when a service's stored list replaces a different one (not for its first list). */
  onChanged?(service: string): void;
  /** Coalescing window for list_changed bursts, ms. Default 250. */
  debounceMs?: number;
  /** Clock, ms; default Date.now. */
  now?: () => number;
}

/** A cached list plus its JSON form, so listings do not re-serialise it. */
export interface CachedTools {
  tools: UpstreamTool[];
  /** `JSON.stringify(tools)`, computed once per list. */
  json: string;
  /** Tool names, for O(1) checks on every call. */
  names: ReadonlySet<string>;
  /** When the list was fetched, ms. */
  fetchedAt: number;
}

interface Slot {
  cached?: CachedTools;
  /** Marked by list_changed: refresh on the next lookup even within the TTL. */
  dirty: boolean;
  loading?: Promise<CachedTools>;
  debounce?: NodeJS.Timeout;
  /** After a failed background refresh, the next one waits until then (ms): a broken server is not hammered. */
  retryAt: number;
}

/** Pause after a failed background refresh, ms. */
const RETRY_AFTER_FAILURE_MS = 5000;

export class ToolCache {
  private readonly slots = new Map<string, Slot>();
  private readonly now: () => number;
  private closed = false;

  constructor(private readonly opts: ToolCacheOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** The cached list (fresh or stale) without fetching or counting; undefined when cold. */
  peek(service: string): CachedTools | undefined {
    return this.slots.get(service)?.cached;
  }

  /** True when a list is cached and neither past its TTL nor marked changed. */
  isFresh(service: string): boolean {
    const slot = this.slots.get(service);
    return slot?.cached !== undefined && !slot.dirty && !this.expired(service, slot.cached);
  }

  /**
   * The service's tools. Cold: waits for one fetch shared by all concurrent callers. Stale (past the
   * TTL or changed): answers at once with the old list and refreshes in the background.
   */
  async get(service: string): Promise<CachedTools> {
    const slot = this.slot(service);
    const cached = slot.cached;
    this.opts.onLookup?.(service, cached !== undefined);
    if (cached === undefined) return this.refresh(service);
    if (slot.dirty || this.expired(service, cached)) this.refreshInBackground(service);
    return cached;
  }

  /** Stores a list a session or spare just fetched. */
  set(service: string, tools: UpstreamTool[]): CachedTools {
    const slot = this.slot(service);
    const previous = slot.cached;
    const cached: CachedTools = { tools, json: JSON.stringify(tools), names: new Set(tools.map((t) => t.name)), fetchedAt: this.now() };
    slot.cached = cached;
    slot.dirty = false;
    if (previous !== undefined && previous.json !== cached.json) this.opts.onChanged?.(service);
    return cached;
  }

  /** A server announced `tools/list_changed`: refresh once the burst is over. */
  changed(service: string): void {
    if (this.closed) return;
    const slot = this.slot(service);
    slot.dirty = true;
    if (slot.debounce) slot.debounce.refresh();
    else {
      slot.debounce = setTimeout(() => {
        slot.debounce = undefined;
        this.refreshInBackground(service);
      }, this.opts.debounceMs ?? 250);
      slot.debounce.unref();
    }
  }

  /** Fetches now (single-flight per service) and stores the result. */
  refresh(service: string): Promise<CachedTools> {
    const slot = this.slot(service);
    if (slot.loading) return slot.loading;
    // A change notice that arrives while this fetch runs must trigger another one.
    slot.dirty = false;
    const loading = this.opts
      .fetch(service)
      .then(
        (tools) => this.set(service, tools),
        (err: unknown) => {
          slot.dirty ||= slot.cached !== undefined;
          slot.retryAt = this.now() + RETRY_AFTER_FAILURE_MS;
          throw err;
        },
      )
      .finally(() => {
        if (slot.loading === loading) delete slot.loading;
      });
    slot.loading = loading;
    return loading;
  }

  /** Stops debounce timers and waits for fetches in flight. */
  async close(): Promise<void> {
    this.closed = true;
    const loading: Promise<unknown>[] = [];
    for (const slot of this.slots.values()) {
      if (slot.debounce) clearTimeout(slot.debounce);
      slot.debounce = undefined;
      if (slot.loading) loading.push(slot.loading);
    }
    await Promise.allSettled(loading);
  }

  private refreshInBackground(service: string): void {
    if (this.closed || this.now() < this.slot(service).retryAt) return;
    this.refresh(service).catch((err: Error) =>
      this.opts.logger.warn({ service, err: err.message }, 'refreshing the tool list failed; serving the cached one'),
    );
  }

  private expired(service: string, cached: CachedTools): boolean {
    const ttl = this.opts.ttlMs(service);
    return ttl > 0 && this.now() - cached.fetchedAt >= ttl;
  }

  private slot(service: string): Slot {
    let slot = this.slots.get(service);
    if (!slot) {
      slot = { dirty: false, retryAt: 0 };
      this.slots.set(service, slot);
    }
    return slot;
  }
}
