/**
 * HTTP client for the MCP gateway API (docs/ARCHITECTURE.md "Gateway HTTP API") over a shared keep-alive
 * undici pool: per-request timeouts, auth header, retries per ./retry.ts. Credentials never reach a log.
 * Every answer is checked against the gateway's contract (gateway/contract.ts, through src/index.ts).
 */
import type { Logger } from 'pino';
import type { Pool } from 'undici';
import type { z } from 'zod';
import { gatewayContract as contract, firstZodProblem, zodProblemText } from '../../src/index.js';
import { acquirePool, releasePool } from './http-pool.js';
import type { CallFailure } from './result-text.js';
import { deliveryState, isRetryable, withRetry, type AttemptFailure, type BackoffOptions } from './retry.js';

/** A tool as listed by `GET /services/:name/tools`. */
export type GatewayTool = contract.Tool;
/** One tool of `GET /services/:name/latency`. */
export type GatewayToolLatency = contract.LatencyResponse['tools'][number];
/** A prompt of `GET /services/:name/prompts`; `messages` only for prompts without required arguments. */
export type GatewayPrompt = contract.Prompt;
/** A resource of `GET /services/:name/resources`. */
export type GatewayResource = contract.Resource;
/** `POST /services/:name/resources/read` answer. */
export type GatewayReadAnswer = contract.ReadResourceResponse;

/** Options of {@link GatewayClient}. */
export interface GatewayClientOptions {
  /** Base URL; may carry a path prefix (`https://host/mcp`). */
  url: string;
  /** Ready-made auth headers (e.g. `{ authorization: 'Bearer …' }`). */
  headers: Record<string, string>;
  /** Per-request timeout, ms. */
  timeoutMs: number;
  /** Extra attempts after the first for retryable failures. */
  retries: number;
  /** false → accept self-signed TLS certificates. */
  verifyTls: boolean;
  logger: Logger;
  backoff?: BackoffOptions;
}

/** A gateway request that produced no usable answer. */
export class GatewayRequestError extends Error {
  override readonly name = 'GatewayRequestError';
  constructor(
    readonly failure: CallFailure,
    readonly attempt: AttemptFailure,
    options?: { cause?: unknown },
  ) {
    super(failureMessage(failure), options);
  }
}

function failureMessage(failure: CallFailure): string {
  if (failure.kind === 'http') return `gateway answered ${failure.status}${failure.code ? ` ${failure.code}` : ''}`;
  if (failure.kind === 'invalid_answer') return `gateway answer off contract: ${failure.problem}`;
  return `gateway ${failure.kind}`;
}

interface RequestSpec {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  body?: unknown;
  /** The request may be repeated after it might have reached the gateway. */
  repeatSafe: boolean;
  /** Sent as `X-MCP-Session-Id`, so a balancer in front of several gateways can pin the session to one of them. */
  sessionId?: string | undefined;
}

/** Header carrying the session id (the gateway accepts it alongside the body's `session_id`). */
export const SESSION_HEADER = 'x-mcp-session-id';

/** Builds the Authorization header for Bearer or Basic auth. */
export function authHeaders(auth: { token?: string | undefined; user?: string | undefined; password?: string | undefined }): Record<string, string> {
  if (auth.token) return { authorization: `Bearer ${auth.token}` };
  if (auth.user !== undefined && auth.password !== undefined) {
    return { authorization: `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}` };
  }
  return {};
}

export class GatewayClient {
  readonly origin: string;
  private readonly basePath: string;
  readonly #headers: Record<string, string>;
  readonly #pool: Pool;
  readonly #poolKey: string;
  private closed = false;

  constructor(private readonly opts: GatewayClientOptions) {
    const url = new URL(opts.url);
    this.origin = url.origin;
    this.basePath = url.pathname.replace(/\/+$/, '');
    this.#headers = { ...opts.headers };
    ({ pool: this.#pool, key: this.#poolKey } = acquirePool(this.origin, opts.verifyTls));
  }

  /** `GET /services`: service name → description. */
  listServices(): Promise<contract.ServicesResponse> {
    return this.request({ method: 'GET', path: '/services', repeatSafe: true }, contract.servicesResponseSchema);
  }

  /** `GET /services/:name/tools`. */
  async listTools(service: string): Promise<GatewayTool[]> {
    const answer = await this.request(
      { method: 'GET', path: `/services/${encodeURIComponent(service)}/tools`, repeatSafe: true },
      contract.toolsResponseSchema,
    );
    return answer.tools;
  }

  /** `GET /services/:name/latency`: per-tool p95 over the last `windowSeconds`; [] when the gateway has no such route. */
  async latency(service: string, windowSeconds: number): Promise<GatewayToolLatency[]> {
    const path = `/services/${encodeURIComponent(service)}/latency?window=${windowSeconds}`;
    const answer = await this.optional({ method: 'GET', path, repeatSafe: true }, contract.latencyResponseSchema);
    return answer?.tools ?? [];
  }

  /** `GET /services/:name/prompts`; undefined when the service does not expose prompts. */
  async listPrompts(service: string): Promise<GatewayPrompt[] | undefined> {
    const answer = await this.optional(
      { method: 'GET', path: `/services/${encodeURIComponent(service)}/prompts`, repeatSafe: true },
      contract.promptsResponseSchema,
    );
    return answer?.prompts;
  }

  /** `GET /services/:name/resources`; undefined when the service does not expose resources. */
  async listResources(service: string): Promise<GatewayResource[] | undefined> {
    const answer = await this.optional(
      { method: 'GET', path: `/services/${encodeURIComponent(service)}/resources`, repeatSafe: true },
      contract.resourcesResponseSchema,
    );
    return answer?.resources;
  }

  /** `POST /services/:name/resources/read` on the call's session (a read changes nothing: safe to repeat). */
  readResource(service: string, body: contract.ReadResourceRequest): Promise<GatewayReadAnswer> {
    return this.request(
      { method: 'POST', path: `/services/${encodeURIComponent(service)}/resources/read`, body, repeatSafe: true },
      contract.readResourceResponseSchema,
    );
  }

  /** `POST /services/:name/call`. `repeatSafe` (from the tool's annotations) allows re-sending after a maybe-delivered failure. */
  callTool(service: string, body: contract.CallRequest, repeatSafe: boolean): Promise<contract.CallResponse> {
    return this.request(
      { method: 'POST', path: `/services/${encodeURIComponent(service)}/call`, body, repeatSafe, sessionId: body.session_id },
      contract.callResponseSchema,
    );
  }

  /** `DELETE /sessions/:id` → number of sessions closed (0 when the gateway had none). */
  async deleteSession(sessionId: string): Promise<number> {
    try {
      const answer = await this.request(
        { method: 'DELETE', path: `/sessions/${encodeURIComponent(sessionId)}`, repeatSafe: true, sessionId },
        contract.deleteSessionResponseSchema,
      );
      return answer.closed;
    } catch (err) {
      if (err instanceof GatewayRequestError && err.failure.kind === 'http' && err.failure.status === 404) return 0;
      throw err;
    }
  }

  /** `POST /sessions/:id/warm` for `services`; false when the gateway has no such endpoint (404/405). */
  async warmSession(sessionId: string, services: string[], timeoutSeconds: number): Promise<boolean> {
    try {
      const body: contract.WarmRequest = { services, timeout: timeoutSeconds };
      await this.request(
        { method: 'POST', path: `/sessions/${encodeURIComponent(sessionId)}/warm`, body, repeatSafe: true, sessionId },
        contract.warmResponseSchema,
      );
      return true;
    } catch (err) {
      if (err instanceof GatewayRequestError && err.failure.kind === 'http' && [404, 405].includes(err.failure.status)) return false;
      throw err;
    }
  }

  /** Gives the shared pool back (closing it when this was the last user). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await releasePool(this.#poolKey);
  }

  /** A request whose 404/405 means "not offered" (older gateway, or not exposed): undefined then. */
  private async optional<T extends z.ZodType>(spec: RequestSpec, schema: T): Promise<z.output<T> | undefined> {
    try {
      return await this.request(spec, schema);
    } catch (err) {
      if (err instanceof GatewayRequestError && err.failure.kind === 'http' && [404, 405].includes(err.failure.status)) return undefined;
      throw err;
    }
  }

  /** Sends with retries, then checks the answer against `schema` (an answer off the contract is never retried). */
  private async request<T extends z.ZodType>(spec: RequestSpec, schema: T): Promise<z.output<T>> {
    const body = await this.send(spec);
    const parsed = schema.safeParse(body);
    if (parsed.success) return parsed.data;
    const problem = zodProblemText(firstZodProblem(parsed.error, { fallback: '(answer)' }));
    this.opts.logger.warn({ method: spec.method, path: spec.path, problem }, 'gateway answer does not match the contract');
    throw new GatewayRequestError({ kind: 'invalid_answer', problem }, { status: 200 });
  }

  private send(spec: RequestSpec): Promise<unknown> {
    return withRetry((n) => this.once(spec, n), {
      retries: this.opts.retries,
      ...this.opts.backoff,
      canRetry: (err) => err instanceof GatewayRequestError && isRetryable(err.attempt, spec.repeatSafe),
      onRetry: (err, retry, delayMs) =>
        this.opts.logger.warn({ method: spec.method, path: spec.path, retry, delay_ms: delayMs, reason: (err as Error).message }, 'retrying gateway request'),
    });
  }

  private async once(spec: RequestSpec, attempt: number): Promise<unknown> {
    const signal = AbortSignal.timeout(this.opts.timeoutMs);
    const started = Date.now();
    let res;
    try {
      res = await this.#pool.request({
        method: spec.method,
        path: this.basePath + spec.path,
        headers: {
          ...this.#headers,
          accept: 'application/json',
          ...(spec.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(spec.sessionId === undefined ? {} : { [SESSION_HEADER]: spec.sessionId }),
        },
        ...(spec.body === undefined ? {} : { body: JSON.stringify(spec.body) }),
        signal,
        headersTimeout: this.opts.timeoutMs,
        bodyTimeout: this.opts.timeoutMs,
      });
    } catch (err) {
      const delivery = signal.aborted ? 'timeout' : deliveryState(err);
      const failure: CallFailure = delivery === 'timeout' ? { kind: 'timeout' } : { kind: 'unreachable' };
      this.opts.logger.warn({ method: spec.method, path: spec.path, attempt, delivery, error: (err as Error).message }, 'gateway request failed');
      throw new GatewayRequestError(failure, { delivery }, { cause: err });
    }
    const text = await res.body.text().catch(() => '');
    const body = parseJson(text);
    this.opts.logger.debug({ method: spec.method, path: spec.path, status: res.statusCode, ms: Date.now() - started }, 'gateway request');
    if (res.statusCode >= 200 && res.statusCode < 300) return body ?? {};
    const wire = contract.errorBodySchema.safeParse(body);
    const failure: CallFailure = { kind: 'http', status: res.statusCode, code: wire.data?.code, message: wire.data?.error };
    throw new GatewayRequestError(failure, { status: res.statusCode });
  }
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
