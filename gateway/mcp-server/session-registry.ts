/**
 * The open downstream MCP sessions of `/mcp`, by `Mcp-Session-Id`. Each has its own SDK server and
 * Streamable HTTP transport; its tool calls run on its own servers in the session store. Closing a session
 * (DELETE, idle timeout, shutdown) closes those servers too.
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Logger } from 'pino';
import { GatewayError } from '../errors.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { SessionStore } from '../sessions/session-store.js';
import { DownstreamSession } from './downstream-session.js';
import type { McpSessionInfo } from './session-info.js';

/** Options of {@link McpSessionRegistry}. */
export interface McpSessionRegistryOptions {
  sessions: SessionStore;
  logger: Logger;
  metrics: GatewayMetrics;
  /** Idle timeout of a session, ms. */
  idleMs: number;
  maxSessions: number;
  /** Period of the idle sweep, ms. */
  cleanupIntervalMs: number;
  /** Between service and prompt name (the session's prompt table). */
  separator: string;
  /** Builds the SDK server (handlers registered, not connected) of a new session. */
  createServer(session: DownstreamSession): Server;
  /** Clock, ms; default Date.now. */
  now?: () => number;
}

/** Why a session ended; the label of `mcp_gateway_mcp_sessions_closed_total`. */
export type CloseReason = 'deleted' | 'idle' | 'shutdown' | 'disconnected';

export class McpSessionRegistry {
  private readonly byId = new Map<string, DownstreamSession>();
  private readonly closing = new Set<Promise<void>>();
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private shuttingDown = false;

  constructor(private readonly opts: McpSessionRegistryOptions) {
    this.now = opts.now ?? Date.now;
    opts.metrics.bindMcpSessions(() => this.byId.size);
  }

  /** Starts the idle sweep (an unref'd timer). */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.sweep(), this.opts.cleanupIntervalMs);
    this.timer.unref();
  }

  get size(): number {
    return this.byId.size;
  }

  /** The open session with this id, if `principal` is the one that opened it. */
  find(mcpSessionId: string, principal: string): DownstreamSession | undefined {
    const session = this.byId.get(mcpSessionId);
    return session?.principal === principal ? session : undefined;
  }

  /**
   * A new session with its server connected to a fresh transport, for an initialize request. It is counted
   * once the transport has answered initialize; {@link abandon} it if that did not happen.
   */
  async open(principal: string): Promise<DownstreamSession> {
    if (this.shuttingDown) throw new GatewayError('shutting_down', 'Gateway is shutting down');
    if (this.byId.size >= this.opts.maxSessions) {
      const soonest = Math.min(...[...this.byId.values()].map((s) => s.lastUsedAt + this.opts.idleMs - this.now()));
      throw new GatewayError('mcp_session_limit', `${this.byId.size} MCP sessions are open (mcp.max_sessions)`, { retryAfterSeconds: soonest / 1000 });
    }
    const session = new DownstreamSession(principal, this.opts.separator, this.now);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => session.mcpSessionId,
      onsessioninitialized: () => this.register(session),
      onsessionclosed: () => this.close(session, 'deleted'),
    });
    const server = this.opts.createServer(session);
    session.attach(server, transport);
    server.onclose = () => this.close(session, 'disconnected');
    await server.connect(transport);
    return session;
  }

  /** Drops a session whose initialize failed (it was never counted). */
  abandon(session: DownstreamSession): void {
    if (this.byId.get(session.mcpSessionId) === session || session.closed) return;
    session.closed = true;
    this.track(session.server.close());
  }

  /** Closes the session and its servers; a later request with its id gets 404. */
  close(session: DownstreamSession, reason: CloseReason): void {
    if (session.closed) return;
    session.closed = true;
    if (this.byId.get(session.mcpSessionId) === session) {
      this.byId.delete(session.mcpSessionId);
      this.opts.metrics.mcpSessionClosed(reason);
    }
    const servers = this.opts.sessions.closeSession(session.gatewaySessionId);
    this.opts.logger.info({ session_id: session.gatewaySessionId, reason, servers }, 'mcp session closed');
    this.track(session.server.close());
  }

  /** Closes sessions idle past the timeout; runs on the timer, callable directly. */
  sweep(): void {
    const now = this.now();
    for (const session of [...this.byId.values()]) {
      if (session.inFlight === 0 && session.lastUsedAt + this.opts.idleMs <= now) this.close(session, 'idle');
    }
  }

  /** Stops the sweep and closes every session; later initialize requests get 503. */
  async closeAll(): Promise<void> {
    this.shuttingDown = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    for (const session of [...this.byId.values()]) this.close(session, 'shutdown');
    await Promise.allSettled([...this.closing]);
  }

  /** Sends notifications/tools/list_changed to every open session. */
  notifyToolsChanged(): void {
    for (const session of this.byId.values()) void session.server.sendToolListChanged().catch(() => undefined);
  }

  /** `/status` rows, with the services each session has a live server for. */
  list(): McpSessionInfo[] {
    const services = new Map<string, string[]>();
    for (const s of this.opts.sessions.list()) {
      const list = services.get(s.session_id) ?? [];
      list.push(s.service);
      services.set(s.session_id, list);
    }
    return [...this.byId.values()].map((s) => s.info(this.opts.idleMs, services.get(s.gatewaySessionId) ?? []));
  }

  private register(session: DownstreamSession): void {
    this.byId.set(session.mcpSessionId, session);
    this.opts.metrics.mcpSessionOpened();
    this.opts.logger.info({ session_id: session.gatewaySessionId }, 'mcp session opened');
  }

  private track(closing: Promise<void>): void {
    const settled = closing.catch(() => undefined);
    this.closing.add(settled);
    void settled.finally(() => this.closing.delete(settled));
  }
}
