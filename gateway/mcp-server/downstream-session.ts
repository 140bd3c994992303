/**
 * One downstream MCP session (one `Mcp-Session-Id`): its SDK server and transport, the gateway session id its
 * servers run under, and what it has learnt from its listings (prompt names, which service owns a resource).
 */
import { randomBytes } from 'node:crypto';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Upstream } from '../upstream/types.js';
import { NameTable } from './names.js';
import { MCP_SESSION_PREFIX, type McpSessionInfo } from './session-info.js';

export class DownstreamSession {
  /** The `Mcp-Session-Id`: 256 random bits, known only to the client that initialized. */
  readonly mcpSessionId = randomBytes(32).toString('base64url');
  /** Key of this session's servers in the session store. */
  readonly gatewaySessionId = `${MCP_SESSION_PREFIX}${randomBytes(12).toString('base64url')}`;
  readonly createdAt: number;
  lastUsedAt: number;
  /** Requests being handled; an idle sweep leaves a session with requests in flight alone. */
  inFlight = 0;
  closed = false;
  /** Exposed prompt names of this session's last prompt listing. */
  readonly prompts: NameTable;
  /** Resource URI → service, from listings and tool results. */
  readonly resourceOwners = new Map<string, string>();
  /** Service → literal prefixes of its resource templates (the text before the first `{`). */
  readonly templatePrefixes = new Map<string, string[]>();
  private readonly watched = new WeakSet<Upstream>();
  private attached: { server: Server; transport: StreamableHTTPServerTransport } | undefined;

  constructor(
    /** Credential that opened the session; only it may use the session. */
    readonly principal: string,
    separator: string,
    private readonly now: () => number,
  ) {
    this.createdAt = now();
    this.lastUsedAt = this.createdAt;
    this.prompts = new NameTable(separator);
  }

  attach(server: Server, transport: StreamableHTTPServerTransport): void {
    this.attached = { server, transport };
  }

  get server(): Server {
    if (!this.attached) throw new Error('MCP session used before its server was attached');
    return this.attached.server;
  }

  get transport(): StreamableHTTPServerTransport {
    if (!this.attached) throw new Error('MCP session used before its transport was attached');
    return this.attached.transport;
  }

  touch(): void {
    this.lastUsedAt = this.now();
  }

  /** Runs one request of this session, counted as in flight (the idle sweep waits for it). */
  async during<T>(work: () => Promise<T>): Promise<T> {
    this.inFlight++;
    this.touch();
    try {
      return await work();
    } finally {
      this.inFlight--;
      this.touch();
    }
  }

  /** Forwards the upstream's prompt and resource list changes to this session's client (once per upstream). */
  watch(upstream: Upstream): void {
    const passthrough = upstream.passthrough;
    if (!passthrough || this.watched.has(upstream)) return;
    this.watched.add(upstream);
    passthrough.onNotification((method) => {
      if (this.closed || !this.attached) return;
      const server = this.attached.server;
      if (method === 'notifications/prompts/list_changed') void server.sendPromptListChanged().catch(() => undefined);
      if (method === 'notifications/resources/list_changed') void server.sendResourceListChanged().catch(() => undefined);
    });
  }

  /** The `/status` row. */
  info(idleMs: number, services: string[]): McpSessionInfo {
    const client = this.attached?.server.getClientVersion();
    return {
      session_id: this.gatewaySessionId,
      ...(client === undefined ? {} : { client: `${client.name}/${client.version}` }),
      created_at: new Date(this.createdAt).toISOString(),
      last_used_at: new Date(this.lastUsedAt).toISOString(),
      expires_at: new Date(this.lastUsedAt + idleMs).toISOString(),
      services,
    };
  }
}
