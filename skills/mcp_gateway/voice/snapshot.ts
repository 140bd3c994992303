/**
 * What a SWML render needs from the gateway besides the tool list: each service's measured per-tool p95 and its
 * argument-free prompts. Fetched again once older than `maxAgeMs` (single-flight); a render waits for that
 * fetch at most `waitMs` and otherwise uses what it has, so a slow or absent gateway never delays a call setup.
 */
import type { Logger } from 'pino';
import type { GatewayClient, GatewayPrompt } from '../gateway-client.js';

/** Measured latency of one tool. */
export interface ToolLatency {
  count: number;
  p95Ms: number;
}

/** One fetch's result. */
export interface Snapshot {
  /** service → tool → latency (tools without calls in the window are absent). */
  latency: Map<string, Map<string, ToolLatency>>;
  /** service → its prompts (only services whose prompts the skill uses and the gateway exposes). */
  prompts: Map<string, GatewayPrompt[]>;
}

/** Options of {@link VoiceSnapshot}. */
export interface VoiceSnapshotOptions {
  client: () => GatewayClient | undefined;
  /** The services to ask about, and whether their prompts are wanted. */
  services: () => Array<{ name: string; prompts: boolean }>;
  windowSeconds: number;
  maxAgeMs: number;
  /** Longest a render waits for a fetch in flight, ms. */
  waitMs: number;
  logger: Logger;
  now?: () => number;
}

const EMPTY: Snapshot = { latency: new Map(), prompts: new Map() };

export class VoiceSnapshot {
  private current: Snapshot = EMPTY;
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private loading: Promise<void> | undefined;
  private readonly now: () => number;

  constructor(private readonly opts: VoiceSnapshotOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** The latest snapshot, fetched again first when it is too old (waiting at most `waitMs` for it). */
  async get(): Promise<Snapshot> {
    if (this.now() - this.fetchedAt >= this.opts.maxAgeMs) await this.refresh(this.opts.waitMs);
    return this.current;
  }

  /** Starts a fetch (or joins the one in flight) and waits for it at most `waitMs`. */
  async refresh(waitMs: number): Promise<void> {
    this.loading ??= this.fetch().finally(() => {
      this.loading = undefined;
    });
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMs);
      timer.unref();
    });
    await Promise.race([this.loading, waited]);
    clearTimeout(timer);
  }

  /** Latency of one tool in the latest snapshot. */
  latencyOf(service: string, tool: string): ToolLatency | undefined {
    return this.current.latency.get(service)?.get(tool);
  }

  private async fetch(): Promise<void> {
    const client = this.opts.client();
    if (!client) return;
    const services = this.opts.services();
    const latency = new Map<string, Map<string, ToolLatency>>();
    const prompts = new Map<string, GatewayPrompt[]>();
    await Promise.all(
      services.map(async ({ name, prompts: wantPrompts }) => {
        const [measured, listed] = await Promise.all([
          client.latency(name, this.opts.windowSeconds).catch((err: unknown) => this.failed(name, 'latency', err, [])),
          wantPrompts ? client.listPrompts(name).catch((err: unknown) => this.failed(name, 'prompts', err, this.current.prompts.get(name))) : undefined,
        ]);
        latency.set(name, new Map(measured.map((t) => [t.tool, { count: t.count, p95Ms: t.p95_ms }])));
        if (listed !== undefined) prompts.set(name, listed);
      }),
    );
    this.current = { latency, prompts };
    this.fetchedAt = this.now();
  }

  private failed<T>(service: string, what: string, err: unknown, fallback: T): T {
    this.opts.logger.debug({ service, err: (err as Error).message }, `reading ${what} from the gateway failed; using what the skill had`);
    return fallback;
  }
}
