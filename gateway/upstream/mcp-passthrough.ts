/** Prompts, resources and stray notifications of an SDK Client, for the gateway's own `/mcp` endpoint. */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { RequestOptions } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type {
  GetPromptResult,
  Notification,
  Prompt,
  ReadResourceResult,
  Resource,
  ResourceTemplate,
  ServerCapabilities,
} from '@modelcontextprotocol/sdk/types.js';
import { GatewayError } from '../errors.js';
import type { CallOptions, UpstreamPassthrough } from './types.js';

const MAX_PAGES = 100;

function requestOptions(opts: CallOptions): RequestOptions {
  const out: RequestOptions = { timeout: opts.timeoutMs, maxTotalTimeout: opts.timeoutMs * 4, resetTimeoutOnProgress: true };
  if (opts.signal) out.signal = opts.signal;
  if (opts.onprogress) out.onprogress = opts.onprogress;
  return out;
}

/** Collects every page of a cursor-paginated listing. */
async function allPages<T>(page: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string | undefined }>): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (let n = 0; n < MAX_PAGES; n++) {
    const res = await page(cursor);
    out.push(...res.items);
    cursor = res.nextCursor;
    if (cursor === undefined) break;
  }
  return out;
}

export class McpPassthrough implements UpstreamPassthrough {
  private readonly listeners: Array<(method: string) => void> = [];

  /** `client` is read on every use: it exists only once the upstream has connected. */
  constructor(private readonly client: () => Client | undefined) {}

  /** Hook for the connected client's fallback notification handler. */
  readonly handleNotification = async (notification: Notification): Promise<void> => {
    for (const listener of this.listeners) listener(notification.method);
  };

  capabilities(): ServerCapabilities | undefined {
    return this.client()?.getServerCapabilities();
  }

  listPrompts(opts: CallOptions): Promise<Prompt[]> {
    const client = this.require();
    return allPages(async (cursor) => {
      const res = await client.listPrompts(cursor === undefined ? {} : { cursor }, requestOptions(opts));
      return { items: res.prompts, nextCursor: res.nextCursor };
    });
  }

  getPrompt(name: string, args: Record<string, string> | undefined, opts: CallOptions): Promise<GetPromptResult> {
    return this.require().getPrompt(args === undefined ? { name } : { name, arguments: args }, requestOptions(opts));
  }

  listResources(opts: CallOptions): Promise<Resource[]> {
    const client = this.require();
    return allPages(async (cursor) => {
      const res = await client.listResources(cursor === undefined ? {} : { cursor }, requestOptions(opts));
      return { items: res.resources, nextCursor: res.nextCursor };
    });
  }

  listResourceTemplates(opts: CallOptions): Promise<ResourceTemplate[]> {
    const client = this.require();
    return allPages(async (cursor) => {
      const res = await client.listResourceTemplates(cursor === undefined ? {} : { cursor }, requestOptions(opts));
      return { items: res.resourceTemplates, nextCursor: res.nextCursor };
    });
  }

  readResource(uri: string, opts: CallOptions): Promise<ReadResourceResult> {
    return this.require().readResource({ uri }, requestOptions(opts));
  }

  onNotification(listener: (method: string) => void): void {
    this.listeners.push(listener);
  }

  private require(): Client {
    const client = this.client();
    if (!client) throw new GatewayError('upstream_failed', 'MCP server is not connected');
    return client;
  }
}
