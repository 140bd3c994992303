/** The one interface the session store sees, whatever the server runs on (stdio child or remote HTTP). */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** A tool as the gateway lists it (`GET /services/:name/tools`). */
export interface UpstreamTool {
  name: string;
  title?: string;
  description: string;
  inputSchema: Record<string, unknown>;
  annotations?: Record<string, unknown>;
}

/** Options of one tool call. */
export interface CallOptions {
  /** Give up (and send notifications/cancelled) after this long, ms; reset while the server reports progress. */
  timeoutMs: number;
  /** Abort the call early (e.g. the session is being closed). */
  signal?: AbortSignal;
}

/** A connection to one MCP server instance. */
export interface Upstream {
  readonly kind: 'stdio' | 'http';
  /** Process (and process group) id of a stdio server, once started. */
  readonly pid: number | undefined;
  /** Connects and completes the MCP initialize handshake. */
  start(): Promise<void>;
  /** All tools, every page; tools that require task-based execution are left out. */
  listTools(): Promise<UpstreamTool[]>;
  /**
   * Calls a tool. A tool-level failure (isError, or a JSON-RPC error answering tools/call) resolves with
   * `isError: true`. Rejects with ToolTimeoutError on timeout and UpstreamError when the server is gone.
   */
  callTool(name: string, args: Record<string, unknown>, opts: CallOptions): Promise<CallToolResult>;
  /** Ends the connection; for stdio the whole process group. Safe to call twice. */
  close(): Promise<void>;
  /** Called once if the server goes away on its own (not after close()). */
  onExit(listener: (reason: string) => void): void;
  /** Called when the server announces notifications/tools/list_changed. */
  onToolsChanged(listener: () => void): void;
}
