/**
 * The prompts and resources of services that opt in (`expose_prompts`, `expose_resources`), for the HTTP API:
 * listings are cached like tool lists (TTL `tools_ttl`, dropped on the server's list_changed notice) and made on
 * a live server of the service, or a throw-away one; a resource read runs on the caller's session server.
 * Prompts without required arguments come with their messages (prompts/get), so an agent can use them as
 * prompt text without another round trip.
 */
import { ErrorCode, McpError, type GetPromptResult, type Prompt, type Resource, type ResourceTemplate } from '@modelcontextprotocol/sdk/types.js';
import type { Logger } from 'pino';
import type { ServiceConfig } from '../config/schema.js';
import { GatewayError } from '../errors.js';
import type { ServiceCatalog } from '../services/service-catalog.js';
import type { SessionStore } from '../sessions/session-store.js';
import type { CallOptions, Upstream, UpstreamPassthrough } from '../upstream/types.js';
import { capText } from '../upstream/result.js';
import { ListingCache } from './listing-cache.js';

/** One prompt of `GET /services/:name/prompts`. */
export type ListedPrompt = Prompt & {
  /** prompts/get of a prompt without required arguments (absent when it has some, or its answer was too big). */
  messages?: GetPromptResult['messages'];
  /** Why `messages` is missing for a prompt without required arguments. */
  messages_error?: string;
};

/** `GET /services/:name/resources` body (without the service name). */
export interface ResourceListing {
  resources: Resource[];
  resource_templates: ResourceTemplate[];
}

/** One part of a read resource, as the HTTP API answers it: text (capped) or the size of binary data. */
export interface ReadContent {
  uri: string;
  mime_type?: string;
  text?: string;
  /** Decoded size of a binary part, bytes (its data is not returned). */
  blob_bytes?: number;
}

/** `POST /services/:name/resources/read` body (without service and session). */
export interface ReadAnswer {
  uri: string;
  contents: ReadContent[];
  truncated?: true;
}

type Kind = 'prompts' | 'resources';

/** JSON-RPC code MCP uses for an unknown resource. */
const RESOURCE_NOT_FOUND = -32002;

/** A server's JSON-RPC error on a resource read, as the HTTP API reports it. */
function readFailure(service: string, uri: string, err: unknown): unknown {
  if (!(err instanceof McpError)) return err;
  const message = err.message.replace(/^MCP error -?\d+: /, '');
  if (err.code === RESOURCE_NOT_FOUND || err.code === ErrorCode.InvalidParams)
    return new GatewayError('resource_not_found', `Service ${service} has no resource ${uri}: ${message}`, { field: 'uri' });
  if (err.code === ErrorCode.RequestTimeout) return new GatewayError('resource_timeout', `Service ${service} did not answer the read of ${uri} in time`);
  return new GatewayError('upstream_failed', `Service ${service} could not read ${uri}: ${message}`);
}

const hasRequiredArgs = (p: Prompt): boolean => (p.arguments ?? []).some((a) => a.required === true);

function base64Bytes(data: string): number {
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((data.length * 3) / 4) - padding);
}

export class ServiceContent {
  private readonly prompts: ListingCache<ListedPrompt[]>;
  private readonly resources: ListingCache<ResourceListing>;
  private readonly watched = new WeakSet<Upstream>();

  constructor(
    private readonly catalog: ServiceCatalog,
    private readonly sessions: SessionStore,
    private readonly logger: Logger,
  ) {
    const ttlMs = (service: string) => {
      const svc = this.config(service);
      return svc ? svc.tools_ttl * 1000 : 0;
    };
    this.prompts = new ListingCache({ ttlMs, fetch: (service) => this.onServer(service, (p, opts) => this.fetchPrompts(service, p, opts)) });
    this.resources = new ListingCache({ ttlMs, fetch: (service) => this.onServer(service, (p, opts) => this.fetchResources(p, opts)) });
  }

  /** The prompts of an opted-in service (404 prompts_not_exposed otherwise). */
  listPrompts(service: string): Promise<ListedPrompt[]> {
    this.requireExposed(service, 'prompts');
    return this.prompts.get(service);
  }

  /** The resources and templates of an opted-in service (404 resources_not_exposed otherwise). */
  listResources(service: string): Promise<ResourceListing> {
    this.requireExposed(service, 'resources');
    return this.resources.get(service);
  }

  /** Reads `uri` on the session's server of the service; text capped at the service's `max_result_bytes`. */
  async readResource(sessionId: string, service: string, uri: string, idleSeconds?: number): Promise<ReadAnswer> {
    const svc = this.requireExposed(service, 'resources');
    const lease = await this.sessions.acquire(sessionId, service, idleSeconds);
    try {
      const passthrough = this.passthroughOf(service, lease.upstream);
      const result = await passthrough.readResource(uri, { timeoutMs: svc.tool_timeout * 1000 }).catch((err: unknown) => {
        throw readFailure(service, uri, err);
      });
      let budget = svc.max_result_bytes;
      let truncated = false;
      const contents = result.contents.map((part): ReadContent => {
        const out: ReadContent = { uri: part.uri };
        if (part.mimeType !== undefined) out.mime_type = part.mimeType;
        if ('text' in part && typeof part.text === 'string') {
          const capped = capText(part.text, Math.max(0, budget));
          budget -= Buffer.byteLength(capped.text);
          truncated ||= capped.truncated;
          out.text = capped.text;
        } else if ('blob' in part && typeof part.blob === 'string') {
          out.blob_bytes = base64Bytes(part.blob);
        }
        return out;
      });
      return { uri, contents, ...(truncated ? { truncated: true as const } : {}) };
    } finally {
      lease.release();
    }
  }

  private config(service: string): ServiceConfig | undefined {
    try {
      return this.catalog.require(service);
    } catch {
      return undefined;
    }
  }

  private requireExposed(service: string, kind: Kind): ServiceConfig {
    const svc = this.catalog.require(service);
    const exposed = kind === 'prompts' ? svc.expose_prompts : svc.expose_resources;
    if (!exposed)
      throw new GatewayError(`${kind}_not_exposed`, `Service ${service} does not expose its ${kind} (set services.${service}.expose_${kind})`, {
        field: 'service',
      });
    return svc;
  }

  private passthroughOf(service: string, upstream: Upstream): UpstreamPassthrough {
    const passthrough = upstream.passthrough;
    if (!passthrough) throw new GatewayError('upstream_failed', `Service ${service} does not pass prompts or resources through`);
    if (!this.watched.has(upstream)) {
      this.watched.add(upstream);
      passthrough.onNotification((method) => {
        if (method === 'notifications/prompts/list_changed') this.prompts.invalidate(service);
        if (method === 'notifications/resources/list_changed') this.resources.invalidate(service);
      });
    }
    return passthrough;
  }

  private async onServer<T>(service: string, work: (passthrough: UpstreamPassthrough, opts: CallOptions) => Promise<T>): Promise<T> {
    const svc = this.catalog.require(service);
    try {
      return await this.catalog.withServer(service, (upstream) => work(this.passthroughOf(service, upstream), { timeoutMs: svc.startup_timeout * 1000 }));
    } catch (err) {
      if (err instanceof McpError)
        throw new GatewayError('upstream_failed', `Service ${service} could not list: ${err.message.replace(/^MCP error -?\d+: /, '')}`);
      throw err;
    }
  }

  private async fetchPrompts(service: string, passthrough: UpstreamPassthrough, opts: CallOptions): Promise<ListedPrompt[]> {
    if (passthrough.capabilities()?.prompts === undefined) return [];
    const maxBytes = this.catalog.require(service).max_result_bytes;
    const prompts = await passthrough.listPrompts(opts);
    return Promise.all(
      prompts.map(async (prompt): Promise<ListedPrompt> => {
        if (hasRequiredArgs(prompt)) return prompt;
        try {
          const { messages } = await passthrough.getPrompt(prompt.name, undefined, opts);
          if (Buffer.byteLength(JSON.stringify(messages)) > maxBytes) return { ...prompt, messages_error: `larger than max_result_bytes (${maxBytes})` };
          return { ...prompt, messages };
        } catch (err) {
          this.logger.warn({ service, prompt: prompt.name, err: (err as Error).message }, 'prompts/get failed; the prompt is listed without its messages');
          return { ...prompt, messages_error: (err as Error).message.replace(/^MCP error -?\d+: /, '') };
        }
      }),
    );
  }

  private async fetchResources(passthrough: UpstreamPassthrough, opts: CallOptions): Promise<ResourceListing> {
    if (passthrough.capabilities()?.resources === undefined) return { resources: [], resource_templates: [] };
    const [resources, templates] = await Promise.all([passthrough.listResources(opts), passthrough.listResourceTemplates(opts).catch(() => [])]);
    return { resources, resource_templates: templates };
  }
}
