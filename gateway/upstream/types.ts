/** The one interface the session store sees, whatever the server runs on (stdio child or remote HTTP). */
import type { ProgressCallback } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type {
  CallToolResult,
  GetPromptResult,
  Prompt,
  ReadResourceResult,
  Resource,
  ResourceTemplate,
  ServerCapabilities,
} from '@modelcontextprotocol/sdk/types.js';

/** A tool as the gateway lists it (`GET /services/:name/tools`). */
export interface UpstreamTool {
  name: string;
  title?: string;
  description: string;
  inputSchema: Record<string, unknown>;
  annotations?: Record<string, unknown>;
  /** JSON Schema of `structuredContent`, when the server declares one. */
  outputSchema?: Record<string, unknown>;
  /** The server's `_meta` of the tool, passed on untouched. */
  _meta?: Record<string, unknown>;
}

/** Options of one tool call. */
export interface CallOptions {
  /** Give up (and send notifications/cancelled) after this long, ms; reset while the server reports progress. */
  timeoutMs: number;
  /** Abort the call early (e.g. the session is being closed, or the caller cancelled). */
  signal?: AbortSignal;
  /** Receives the server's progress notifications for this call. */
  onprogress?: ProgressCallback;
}

/**
 * Requests other than tools, passed through as the server answers them (for the gateway's own `/mcp`
 * endpoint). A JSON-RPC error from the server rejects with the SDK's McpError, code kept.
 */
export interface UpstreamPassthrough {
  /** What the server declared in initialize; undefined before start. */
  capabilities(): ServerCapabilities | undefined;
  /** All prompts, every page. */
  listPrompts(opts: CallOptions): Promise<Prompt[]>;
  getPrompt(name: string, args: Record<string, string> | undefined, opts: CallOptions): Promise<GetPromptResult>;
  /** All resources, every page. */
  listResources(opts: CallOptions): Promise<Resource[]>;
  /** All resource templates, every page. */
  listResourceTemplates(opts: CallOptions): Promise<ResourceTemplate[]>;
  readResource(uri: string, opts: CallOptions): Promise<ReadResourceResult>;
  /** Called with the method of each server notification the upstream does not handle itself (e.g. prompts/list_changed). */
  onNotification(listener: (method: string) => void): void;
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
   * `isError: true`. Rejects with GatewayError `tool_timeout` on timeout and `upstream_failed`/`session_closed` when the server is gone.
   */
  callTool(name: string, args: Record<string, unknown>, opts: CallOptions): Promise<CallToolResult>;
  /** Ends the connection; for stdio the whole process group. Safe to call twice. */
  close(): Promise<void>;
  /** Called once if the server goes away on its own (not after close()). */
  onExit(listener: (reason: string) => void): void;
  /** Called when the server announces notifications/tools/list_changed. */
  onToolsChanged(listener: () => void): void;
  /** Prompts, resources and other notifications, for upstreams that speak MCP (absent on test doubles). */
  readonly passthrough?: UpstreamPassthrough;
}
