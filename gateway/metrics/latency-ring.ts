/**
 * Recent call latencies per (service, tool) in fixed-size ring buffers: the status page's p50/p95, and the
 * per-tool p95 over a recent time window that agents read to decide which functions need spoken fillers.
 */

/** Summary of the recent calls of one tool. */
export interface LatencySummary {
  service: string;
  tool: string;
  /** Samples currently held (at most the ring size). */
  count: number;
  /** Median of the held samples, ms. */
  p50: number;
  /** 95th percentile of the held samples, ms. */
  p95: number;
}

interface Ring {
  service: string;
  tool: string;
  samples: Float64Array;
  /** When each sample was recorded, ms since the epoch (same slots as `samples`). */
  times: Float64Array;
  next: number;
  filled: number;
}

/** Nearest-rank percentile of sorted values; `q` in 0..1. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

function summarize(ring: Ring, sorted: Float64Array): LatencySummary {
  return { service: ring.service, tool: ring.tool, count: sorted.length, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95) };
}

export class LatencyRing {
  private readonly rings = new Map<string, Ring>();

  /**
   * @param size samples kept per tool (default 200)
   * @param maxKeys distinct (service, tool) pairs tracked (default 1000); further pairs are ignored
   * @param now clock, ms (tests inject one)
   */
  constructor(
    private readonly size = 200,
    private readonly maxKeys = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Records one call's latency, ms. */
  record(service: string, tool: string, ms: number): void {
    const key = `${service}\u0000${tool}`;
    let ring = this.rings.get(key);
    if (!ring) {
      if (this.rings.size >= this.maxKeys) return;
      ring = { service, tool, samples: new Float64Array(this.size), times: new Float64Array(this.size), next: 0, filled: 0 };
      this.rings.set(key, ring);
    }
    ring.samples[ring.next] = ms;
    ring.times[ring.next] = this.now();
    ring.next = (ring.next + 1) % this.size;
    if (ring.filled < this.size) ring.filled++;
  }

  /** p50/p95 per tool, sorted by service then tool. */
  summaries(): LatencySummary[] {
    return [...this.rings.values()]
      .map((ring) => summarize(ring, ring.samples.slice(0, ring.filled).sort()))
      .sort((a, b) => a.service.localeCompare(b.service) || a.tool.localeCompare(b.tool));
  }

  /** p50/p95 of one service's tools over the samples of the last `windowMs` (tools with none are left out), by tool. */
  recent(service: string, windowMs: number): LatencySummary[] {
    const since = this.now() - windowMs;
    const out: LatencySummary[] = [];
    for (const ring of this.rings.values()) {
      if (ring.service !== service) continue;
      const kept: number[] = [];
      for (let i = 0; i < ring.filled; i++) if ((ring.times[i] as number) >= since) kept.push(ring.samples[i] as number);
      if (kept.length > 0) out.push(summarize(ring, Float64Array.from(kept).sort()));
    }
    return out.sort((a, b) => a.tool.localeCompare(b.tool));
  }
}
