/** Recent call latencies per (service, tool) in fixed-size ring buffers, for the status page's p50/p95. */

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
  next: number;
  filled: number;
}

/** Nearest-rank percentile of sorted values; `q` in 0..1. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

export class LatencyRing {
  private readonly rings = new Map<string, Ring>();

  /**
   * @param size samples kept per tool (default 200)
   * @param maxKeys distinct (service, tool) pairs tracked (default 1000); further pairs are ignored
   */
  constructor(
    private readonly size = 200,
    private readonly maxKeys = 1000,
  ) {}

  /** Records one call's latency, ms. */
  record(service: string, tool: string, ms: number): void {
    const key = `${service}\u0000${tool}`;
    let ring = this.rings.get(key);
    if (!ring) {
      if (this.rings.size >= this.maxKeys) return;
      ring = { service, tool, samples: new Float64Array(this.size), next: 0, filled: 0 };
      this.rings.set(key, ring);
    }
    ring.samples[ring.next] = ms;
    ring.next = (ring.next + 1) % this.size;
    if (ring.filled < this.size) ring.filled++;
  }

  /** p50/p95 per tool, sorted by service then tool. */
  summaries(): LatencySummary[] {
    return [...this.rings.values()]
      .map((ring) => {
        const sorted = ring.samples.slice(0, ring.filled).sort();
        return { service: ring.service, tool: ring.tool, count: ring.filled, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95) };
      })
      .sort((a, b) => a.service.localeCompare(b.service) || a.tool.localeCompare(b.tool));
  }
}
