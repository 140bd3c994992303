import { z } from 'zod';
import type { Logger } from 'pino';
import { parseProxyBase } from '../swml/urls.js';
import { DEFAULT_DRAIN_TIMEOUT_SECONDS } from '../server/drain.js';
import { parseOrThrow } from './schemas.js';

/**
 * Default request-body limit: 10 MiB, as the Python SDK's `SWML_MAX_REQUEST_SIZE`. A long call's `hangup_hook` and
 * `post_prompt` carry the whole `call_log`, which passes 1 MiB; a refused hangup would leave its MCP sessions open.
 */
export const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Options of `new Agent({...})`. */
export interface AgentOptions {
  /** Agent name: log name, auth realm, default prompt. */
  name: string;
  /** Mount path, e.g. `/` (default) or `/sales`. Webhook URLs keep it, even behind a proxy. */
  route?: string;
  /** Listen host for `serve()`; default `0.0.0.0`. */
  host?: string;
  /** Listen port for `serve()`; default env `PORT`, else 3000. 0 picks a free port. */
  port?: number;
  /** Basic credentials; default env `SWML_BASIC_AUTH_USER`/`_PASSWORD`, else `signalwire` + random password. */
  basicAuth?: { user: string; password: string };
  /** Emit `{answer:{}}` before the AI verb; default true. */
  autoAnswer?: boolean;
  /** Largest request body in bytes; default env `SWML_MAX_REQUEST_SIZE`, else 10 MiB. Larger → 413. */
  maxBodyBytes?: number;
  /** Public base URL for webhooks; default env `SWML_PROXY_URL_BASE` (read and checked once, at construction). */
  proxyUrlBase?: string;
  /** Trust `X-Forwarded-Host`/`-Proto`; default env `SWML_TRUST_PROXY_HEADERS` (anything but `false` = true), read at construction. */
  trustProxyHeaders?: boolean;
  /** Logger; default `createLogger(name)`. */
  logger?: Logger;
  /**
   * HMAC key of the per-call function tokens; default env `SWML_TOKEN_SECRET`, else 32 random bytes per process
   * (tokens then do not survive a restart or work across workers).
   */
  tokenSecret?: string;
  /** Lifetime of a function token in seconds; default 3600. */
  tokenTtlSeconds?: number;
  /**
   * Graceful drain on SIGTERM (with `serve()`), seconds: `/ready` answers 503, new calls are refused with 503
   * `draining`, calls already served here go on until their hangup or this time, then the process exits 0.
   * Default env `SWML_DRAIN_TIMEOUT`, else 0 (stop at once: a lone instance has nobody to hand its calls to).
   */
  drainTimeoutSeconds?: number;
}

const envInt = (v: string | undefined): number | undefined => (v === undefined || v.trim() === '' ? undefined : Number(v));

const optionsSchema = z.object({
  name: z.string().trim().min(1, 'name is required'),
  route: z
    .string()
    .regex(/^\/[A-Za-z0-9._~\-/]*$/, "route must start with '/' and use URL path characters")
    .default('/'),
  host: z.string().min(1).default('0.0.0.0'),
  port: z.int().min(0).max(65535).optional(),
  basicAuth: z.object({ user: z.string().min(1), password: z.string().min(1) }).optional(),
  autoAnswer: z.boolean().default(true),
  maxBodyBytes: z.int().positive().optional(),
  proxyUrlBase: z.url({ protocol: /^https?$/ }).optional(),
  trustProxyHeaders: z.boolean().optional(),
  tokenSecret: z.string().min(16, 'tokenSecret must be at least 16 characters').optional(),
  tokenTtlSeconds: z.int().positive().optional(),
  drainTimeoutSeconds: z.number().min(0).max(86_400).optional(),
});

/** Options after defaults and env are applied. */
export interface ResolvedAgentOptions {
  name: string;
  route: string;
  host: string;
  port: number;
  basicAuth?: { user: string; password: string } | undefined;
  autoAnswer: boolean;
  maxBodyBytes: number;
  /** Validated, without credentials, query or hash. */
  proxyUrlBase?: string | undefined;
  trustProxyHeaders: boolean;
  tokenSecret?: string | undefined;
  tokenTtlSeconds: number;
  /** env `SWAIG_CLI_MODE=true`: a CLI (swaig-test) loaded the agent file, so `serve()` does not listen. */
  cliMode: boolean;
  drainTimeoutSeconds: number;
}

/** `SWML_DRAIN_TIMEOUT` (seconds, 0-86400), else the default 0; a bad value is an AgentConfigError naming it. */
export function resolveDrainTimeout(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SWML_DRAIN_TIMEOUT?.trim() ? Number(env.SWML_DRAIN_TIMEOUT) : undefined;
  return parseOrThrow(z.number().min(0).max(86_400).default(DEFAULT_DRAIN_TIMEOUT_SECONDS), raw, 'SWML_DRAIN_TIMEOUT');
}

/** Normalises `/sales/` → `/sales`, `//` → `/`. */
export function normalizeRoute(route: string): string {
  const collapsed = route.replace(/\/{2,}/g, '/').replace(/\/+$/, '');
  return collapsed === '' ? '/' : collapsed;
}

/** Validates options (AgentConfigError naming the field) and applies env defaults. */
export function resolveAgentOptions(opts: AgentOptions, env: NodeJS.ProcessEnv = process.env): ResolvedAgentOptions {
  const { logger: _logger, ...plain } = opts;
  const o = parseOrThrow(optionsSchema, plain, 'options');
  const port = o.port ?? parseOrThrow(z.int().min(0).max(65535).default(3000), envInt(env.PORT), 'PORT');
  const maxBodyBytes =
    o.maxBodyBytes ?? parseOrThrow(z.int().positive().default(DEFAULT_MAX_BODY_BYTES), envInt(env.SWML_MAX_REQUEST_SIZE), 'SWML_MAX_REQUEST_SIZE');
  const proxyBase = o.proxyUrlBase ?? (env.SWML_PROXY_URL_BASE || undefined);
  return {
    name: o.name,
    route: normalizeRoute(o.route),
    host: o.host,
    port,
    basicAuth: o.basicAuth,
    autoAnswer: o.autoAnswer,
    maxBodyBytes,
    proxyUrlBase: proxyBase === undefined ? undefined : parseProxyBase(proxyBase).href,
    trustProxyHeaders: o.trustProxyHeaders ?? env.SWML_TRUST_PROXY_HEADERS?.toLowerCase() !== 'false',
    tokenSecret: o.tokenSecret ?? parseOrThrow(z.string().min(16).optional(), env.SWML_TOKEN_SECRET || undefined, 'SWML_TOKEN_SECRET'),
    tokenTtlSeconds: o.tokenTtlSeconds ?? 3600,
    cliMode: env.SWAIG_CLI_MODE === 'true',
    drainTimeoutSeconds: o.drainTimeoutSeconds ?? resolveDrainTimeout(env),
  };
}
