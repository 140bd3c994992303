/**
 * Per-service cache of one listing (prompts, resources): fetched once (concurrent callers share the fetch),
 * served from memory until its TTL passes or the server announces a change, then fetched again on next use.
 */

/** Options of {@link ListingCache}. */
export interface ListingCacheOptions<T> {
  fetch(service: string): Promise<T>;
  /** Age after which a listing is fetched again, ms; 0 = only after a change notice. */
  ttlMs(service: string): number;
  now?: () => number;
}

interface Slot<T> {
  value?: T;
  fetchedAt: number;
  loading?: Promise<T>;
}

export class ListingCache<T> {
  private readonly slots = new Map<string, Slot<T>>();
  private readonly now: () => number;

  constructor(private readonly opts: ListingCacheOptions<T>) {
    this.now = opts.now ?? Date.now;
  }

  /** The service's listing: cached while fresh, else fetched (single-flight). */
  get(service: string): Promise<T> {
    let slot = this.slots.get(service);
    if (!slot) {
      slot = { fetchedAt: 0 };
      this.slots.set(service, slot);
    }
    if (slot.value !== undefined && !this.expired(service, slot)) return Promise.resolve(slot.value);
    if (slot.loading) return slot.loading;
    const current = slot;
    const loading = this.opts
      .fetch(service)
      .then((value) => {
        // A change notice during the fetch dropped the slot: this value may already be old, keep it out.
        if (this.slots.get(service) === current) Object.assign(current, { value, fetchedAt: this.now() });
        return value;
      })
      .finally(() => {
        if (current.loading === loading) delete current.loading;
      });
    current.loading = loading;
    return loading;
  }

  /** A server announced a change: the next `get` fetches again. */
  invalidate(service: string): void {
    this.slots.delete(service);
  }

  private expired(service: string, slot: Slot<T>): boolean {
    const ttl = this.opts.ttlMs(service);
    return ttl > 0 && this.now() - slot.fetchedAt >= ttl;
  }
}
