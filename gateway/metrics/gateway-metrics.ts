/**
 * Prometheus metrics of one gateway instance (prom-client). Every gateway owns its own Registry, so two
 * gateways in one process never clash, and nothing is registered in prom-client's global registry.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { LatencyRing } from './latency-ring.js';
import { ProgressBoard } from './progress-board.js';

/** Why a server was started: for a call's session, as a warm-pool spare, to list tools, or shared by every call. */
export type SpawnPurpose = 'session' | 'pool' | 'probe' | 'shared';

/** Call latency buckets, seconds: sub-millisecond warm calls up to slow tools and cold starts. */
export const CALL_BUCKETS = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

export class GatewayMetrics {
  /** This gateway's registry; `GET /metrics` serialises it. */
  readonly registry = new Registry();
  /** Recent latencies for the status page. */
  readonly recent = new LatencyRing();
  /** Latest progress of long tool calls, for `/status`. */
  readonly progress = new ProgressBoard();
  private liveMcpSessions: () => number = () => 0;

  private readonly callDuration = new Histogram({
    name: 'mcp_gateway_call_duration_seconds',
    help: 'Duration of POST /services/:name/call from validated request to answer (includes a cold session start)',
    labelNames: ['service', 'tool', 'outcome'] as const,
    buckets: CALL_BUCKETS,
    registers: [this.registry],
  });

  private readonly callFailures = new Counter({
    name: 'mcp_gateway_call_failures_total',
    help: 'Failed tool calls by kind: tool_error (isError answer) or the gateway error code (tool_timeout, upstream_failed, session_limit, ...)',
    labelNames: ['service', 'kind'] as const,
    registers: [this.registry],
  });

  private readonly spawns = new Counter({
    name: 'mcp_gateway_spawns_total',
    help: 'MCP servers started (stdio processes spawned or remote sessions opened), by purpose',
    labelNames: ['service', 'purpose'] as const,
    registers: [this.registry],
  });

  private readonly spawnFailures = new Counter({
    name: 'mcp_gateway_spawn_failures_total',
    help: 'MCP servers that failed to start (spawn, connect or initialize), by purpose',
    labelNames: ['service', 'purpose'] as const,
    registers: [this.registry],
  });

  private readonly cacheHits = new Counter({
    name: 'mcp_gateway_tool_cache_hits_total',
    help: 'Tool listings answered from the cache (fresh or stale-while-refreshing)',
    labelNames: ['service'] as const,
    registers: [this.registry],
  });

  private readonly cacheMisses = new Counter({
    name: 'mcp_gateway_tool_cache_misses_total',
    help: 'Tool listings that had to wait for a server to list its tools',
    labelNames: ['service'] as const,
    registers: [this.registry],
  });

  private readonly poolHits = new Counter({
    name: 'mcp_gateway_warm_pool_hits_total',
    help: 'Sessions that got a ready spare server from the warm pool',
    labelNames: ['service'] as const,
    registers: [this.registry],
  });

  private readonly poolMisses = new Counter({
    name: 'mcp_gateway_warm_pool_misses_total',
    help: 'Sessions of a service with a warm pool that found no ready spare and started their own server',
    labelNames: ['service'] as const,
    registers: [this.registry],
  });

  private readonly liveSessions = new Gauge({
    name: 'mcp_gateway_live_sessions',
    help: 'Live sessions (started or starting) per service',
    labelNames: ['service'] as const,
    registers: [this.registry],
  });

  private readonly spares = new Gauge({
    name: 'mcp_gateway_warm_pool_spares',
    help: 'Ready spare servers in the warm pool per service',
    labelNames: ['service'] as const,
    registers: [this.registry],
  });

  private readonly mcpOpened = new Counter({
    name: 'mcp_gateway_mcp_sessions_opened_total',
    help: 'Downstream MCP sessions opened at /mcp (initialize answered)',
    registers: [this.registry],
  });

  private readonly mcpClosed = new Counter({
    name: 'mcp_gateway_mcp_sessions_closed_total',
    help: 'Downstream MCP sessions closed, by reason (deleted by the client, idle timeout, shutdown, ...)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  constructor() {
    const metrics = this;
    new Gauge({
      name: 'mcp_gateway_mcp_sessions',
      help: 'Open downstream MCP sessions at /mcp (their servers also count in mcp_gateway_live_sessions)',
      registers: [this.registry],
      collect() {
        this.set(metrics.liveMcpSessions());
      },
    });
    new Gauge({
      name: 'mcp_gateway_resident_memory_bytes',
      help: 'Resident set size of the gateway process (MCP servers are separate processes)',
      registers: [this.registry],
      collect() {
        this.set(process.memoryUsage.rss());
      },
    });
  }

  /** Set by the session store whenever a service's session count changes. */
  setLiveSessions(service: string, count: number): void {
    if (count > 0) this.liveSessions.set({ service }, count);
    else this.liveSessions.remove({ service });
  }

  /** Set by the warm pool whenever a service's ready spares change. */
  setSpares(service: string, count: number): void {
    this.spares.set({ service }, count);
  }

  /** Connects the MCP-session gauge to the `/mcp` session registry. */
  bindMcpSessions(count: () => number): void {
    this.liveMcpSessions = count;
  }

  mcpSessionOpened(): void {
    this.mcpOpened.inc();
  }

  mcpSessionClosed(reason: string): void {
    this.mcpClosed.inc({ reason });
  }

  /**
   * Records one finished call; `failure` is `tool_error` or a gateway error code, undefined on success.
   * `toolMs` is the server's own time (without a cold session start): the recent-latency ring keeps that, so a
   * fast tool does not look slow because its first call started the server; without it the ring keeps `ms`.
   */
  observeCall(service: string, tool: string, ms: number, failure?: string, toolMs?: number): void {
    this.callDuration.observe({ service, tool, outcome: failure === undefined ? 'ok' : 'error' }, ms / 1000);
    if (failure !== undefined) this.callFailures.inc({ service, kind: failure });
    this.recent.record(service, tool, toolMs ?? ms);
  }

  /**
   * Records one call attempt. `tool` is given only for tools the service really has (label values must
   * not come from arbitrary client input); otherwise only the failure is counted.
   */
  recordCall(service: string, tool: string | undefined, ms: number, failure: string | undefined, toolMs?: number): void {
    if (tool !== undefined) this.observeCall(service, tool, ms, failure, toolMs);
    else if (failure !== undefined) this.callFailures.inc({ service, kind: failure });
  }

  spawned(service: string, purpose: SpawnPurpose): void {
    this.spawns.inc({ service, purpose });
  }

  spawnFailed(service: string, purpose: SpawnPurpose): void {
    this.spawnFailures.inc({ service, purpose });
  }

  toolCache(service: string, hit: boolean): void {
    (hit ? this.cacheHits : this.cacheMisses).inc({ service });
  }

  warmPool(service: string, hit: boolean): void {
    (hit ? this.poolHits : this.poolMisses).inc({ service });
  }

  /** Total spawns of a service (all purposes); handy for tests and the status page. */
  async spawnCount(service: string): Promise<number> {
    const { values } = await this.spawns.get();
    return values.filter((v) => v.labels.service === service).reduce((sum, v) => sum + v.value, 0);
  }
}
