/** Upstream built on the SDK Client; stdio and remote differ only in the transports they try. */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  CallToolResultSchema,
  ErrorCode,
  McpError,
  ToolListChangedNotificationSchema,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { GatewayError } from '../errors.js';
import { McpPassthrough } from './mcp-passthrough.js';
import { sharedSchemaValidator } from './shared-validator.js';
import type { CallOptions, Upstream, UpstreamTool } from './types.js';

/** A transport the upstream can start; `pid` and `stderrTail` are read when present. */
export type UpstreamTransport = Transport & {
  readonly pid?: number | undefined;
  readonly stderrTail?: string;
  /** How a child process ended, e.g. `signal SIGKILL`. */
  readonly exitDescription?: string | undefined;
};

/** Options of {@link McpUpstream}. */
export interface McpUpstreamOptions {
  kind: 'stdio' | 'http';
  /** Transports to try in order until one connects (remote: Streamable HTTP, then SSE). */
  transports: Array<() => UpstreamTransport | Promise<UpstreamTransport>>;
  /** Budget for connect + initialize, ms. */
  startupTimeoutMs: number;
  clientName?: string;
  clientVersion?: string;
}

const MAX_PAGES = 100;

function toUpstreamTool(tool: Tool): UpstreamTool {
  const out: UpstreamTool = { name: tool.name, description: tool.description ?? '', inputSchema: tool.inputSchema };
  if (tool.title !== undefined) out.title = tool.title;
  if (tool.annotations !== undefined) out.annotations = tool.annotations;
  if (tool.outputSchema !== undefined) out.outputSchema = tool.outputSchema;
  if (tool._meta !== undefined) out._meta = tool._meta;
  return out;
}

/** Strips the SDK's "MCP error -32603: " prefix so the server's own words reach the caller. */
function serverMessage(err: McpError): string {
  return err.message.replace(/^MCP error -?\d+: /, '');
}

export class McpUpstream implements Upstream {
  readonly kind: 'stdio' | 'http';
  private client: Client | undefined;
  private transport: UpstreamTransport | undefined;
  private closed = false;
  /** The server went away on its own (crash, exit, dropped connection). */
  private died = false;
  /** Calls in flight, so close() can cancel them (notifications/cancelled) before ending the connection. */
  private readonly inFlight = new Set<AbortController>();
  private exitListeners: Array<(reason: string) => void> = [];
  private toolsListeners: Array<() => void> = [];
  /** Prompts, resources and other notifications, for the gateway's `/mcp` endpoint. */
  readonly passthrough = new McpPassthrough(() => (this.closed ? undefined : this.client));

  constructor(private readonly opts: McpUpstreamOptions) {
    this.kind = opts.kind;
  }

  get pid(): number | undefined {
    return this.transport?.pid;
  }

  async start(): Promise<void> {
    const failures: string[] = [];
    for (const makeTransport of this.opts.transports) {
      if (this.closed) break;
      const transport = await makeTransport();
      const client = new Client(
        { name: this.opts.clientName ?? 'mcp-gateway', version: this.opts.clientVersion ?? '0.1.0' },
        { capabilities: {}, jsonSchemaValidator: sharedSchemaValidator },
      );
      this.transport = transport;
      try {
        await client.connect(transport, { timeout: this.opts.startupTimeoutMs });
        this.attach(client);
        return;
      } catch (err) {
        failures.push(this.describeStartFailure(err, transport));
        await client.close().catch(() => undefined);
        await transport.close().catch(() => undefined);
      }
    }
    if (this.closed) throw new GatewayError('session_closed', 'Session was closed while starting');
    throw new GatewayError('upstream_start_failed', failures.join('; then: '));
  }

  async listTools(): Promise<UpstreamTool[]> {
    const client = this.requireClient();
    const tools: UpstreamTool[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const res = await client.listTools(cursor === undefined ? {} : { cursor }, { timeout: this.opts.startupTimeoutMs });
      for (const tool of res.tools) if (tool.execution?.taskSupport !== 'required') tools.push(toUpstreamTool(tool));
      cursor = res.nextCursor;
      if (cursor === undefined) break;
    }
    return tools;
  }

  async callTool(name: string, args: Record<string, unknown>, opts: CallOptions): Promise<CallToolResult> {
    const client = this.requireClient();
    const cancel = new AbortController();
    const signal = opts.signal === undefined ? cancel.signal : AbortSignal.any([opts.signal, cancel.signal]);
    this.inFlight.add(cancel);
    try {
      // client.request (not callTool) skips the SDK's outputSchema check, which rejects valid
      // isError results that carry structuredContent (typescript-sdk#1943).
      return await client.request({ method: 'tools/call', params: { name, arguments: args } }, CallToolResultSchema, {
        timeout: opts.timeoutMs,
        resetTimeoutOnProgress: true,
        onprogress: opts.onprogress ?? (() => undefined),
        maxTotalTimeout: opts.timeoutMs * 4,
        signal,
      });
    } catch (err) {
      if (!(err instanceof McpError)) throw new GatewayError('upstream_failed', `Service answered badly: ${(err as Error).message}`);
      if (err.code === ErrorCode.RequestTimeout) {
        if (signal.aborted) throw new GatewayError('session_closed', 'Call aborted: session closed');
        throw new GatewayError('tool_timeout', `Tool ${name} did not answer within ${opts.timeoutMs / 1000} s`);
      }
      if (this.closed && !this.died) throw new GatewayError('session_closed', 'Session was closed during the call');
      if (err.code === ErrorCode.ConnectionClosed) {
        const how = this.transport?.exitDescription;
        throw new GatewayError(
          'upstream_failed',
          `MCP server ${how ? `died (${how})` : 'closed the connection'} during the call; the next call starts a fresh server`,
        );
      }
      // A JSON-RPC error answering tools/call is a tool-level failure the caller should see.
      return { content: [{ type: 'text', text: serverMessage(err) }], isError: true };
    } finally {
      this.inFlight.delete(cancel);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // MCP asks clients to cancel what is still running before they disconnect (a hangup mid-call): the SDK
    // sends notifications/cancelled for each aborted request, ahead of the stdin close below. A server that
    // died has nobody left to tell, and its callers must learn that it died.
    if (!this.died) for (const cancel of this.inFlight) cancel.abort('session closed');
    const transport = this.transport as (UpstreamTransport & { terminateSession?: () => Promise<void> }) | undefined;
    if (transport?.terminateSession) await transport.terminateSession().catch(() => undefined);
    // Client.close() closes the transport; for stdio that is the full process-group shutdown.
    await (this.client ? this.client.close() : transport?.close())?.catch(() => undefined);
  }

  onExit(listener: (reason: string) => void): void {
    this.exitListeners.push(listener);
  }

  onToolsChanged(listener: () => void): void {
    this.toolsListeners.push(listener);
  }

  /** One readable line per failed start: what happened (timeout, exit) plus the server's last stderr. */
  private describeStartFailure(err: unknown, transport: UpstreamTransport): string {
    const seconds = this.opts.startupTimeoutMs / 1000;
    const how = transport.exitDescription;
    let what = (err as Error).message;
    if (err instanceof McpError && err.code === ErrorCode.RequestTimeout) what = `no answer to initialize within ${seconds} s`;
    else if (how !== undefined) what = `server exited during start-up (${how})`;
    const tail = transport.stderrTail?.trim();
    return `${what}${tail ? ` (stderr: ${tail.slice(-500)})` : ''}`;
  }

  private attach(client: Client): void {
    this.client = client;
    client.onclose = () => {
      if (this.closed) return;
      this.died = true;
      const tail = this.transport?.stderrTail?.trim();
      const reason = `connection closed${tail ? ` (stderr: ${tail.slice(-300)})` : ''}`;
      for (const listener of this.exitListeners.splice(0)) listener(reason);
    };
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      for (const listener of this.toolsListeners) listener();
    });
    client.fallbackNotificationHandler = this.passthrough.handleNotification;
  }

  private requireClient(): Client {
    if (!this.client || this.closed) throw new GatewayError('upstream_failed', 'MCP server is not connected');
    return this.client;
  }
}
