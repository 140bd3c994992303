/**
 * The gateway's error catalogue: every code it can answer with, its HTTP status and what it means. A throw site
 * names a code; the status comes from here. The error tables of README.md, gateway/README.md and
 * docs/ARCHITECTURE.md are tested against this registry.
 */

interface CodeInfo {
  readonly status: number;
  readonly meaning: string;
  /** An expected answer to a capability question (the skill asks every service): logged at debug, not as a security event. */
  readonly discovery?: true;
}

/** Every code of the `{error, code, field?}` wire body, with its status. */
export const GATEWAY_ERROR_CODES = {
  bad_request: { status: 400, meaning: 'a malformed HTTP request' },
  invalid_json: { status: 400, meaning: 'the body is not valid JSON' },
  invalid_request: { status: 400, meaning: 'a wrong or missing field (named in `field`)' },
  unauthorized: { status: 401, meaning: 'missing or wrong credentials' },
  forbidden_origin: { status: 403, meaning: 'a browser page from another origin called /mcp' },
  not_found: { status: 404, meaning: 'no such route' },
  unknown_service: { status: 404, meaning: 'no service by that name' },
  unknown_tool: { status: 404, meaning: 'the service has no tool by that name' },
  unknown_session: { status: 404, meaning: 'no open session by that id' },
  unknown_mcp_session: { status: 404, meaning: 'the Mcp-Session-Id is closed or expired' },
  prompts_not_exposed: { status: 404, meaning: 'the service does not offer its prompts (expose_prompts)', discovery: true },
  resources_not_exposed: { status: 404, meaning: 'the service does not offer its resources (expose_resources)', discovery: true },
  resource_not_found: { status: 404, meaning: 'the service has no resource by that URI' },
  method_not_allowed: { status: 405, meaning: 'wrong method' },
  session_closed: { status: 409, meaning: 'DELETE /sessions/:id ended the session while the call ran' },
  payload_too_large: { status: 413, meaning: 'body over the limit' },
  unsupported_media_type: { status: 415, meaning: 'a POST body that is not JSON' },
  rate_limited: { status: 429, meaning: 'rate limit reached' },
  session_limit: { status: 429, meaning: 'the service has max_sessions_per_service sessions' },
  mcp_session_limit: { status: 429, meaning: 'mcp.max_sessions MCP sessions are open' },
  headers_too_large: { status: 431, meaning: 'request headers over the limit' },
  internal_error: { status: 500, meaning: 'a bug; logged with its stack' },
  upstream_failed: { status: 502, meaning: 'the MCP server died or broke the protocol' },
  upstream_start_failed: { status: 502, meaning: 'the MCP server could not start' },
  service_disabled: { status: 503, meaning: 'the service is disabled' },
  service_unavailable: { status: 503, meaning: 'the service failed to start repeatedly (start-failure backoff)' },
  shutting_down: { status: 503, meaning: 'the gateway is shutting down' },
  draining: { status: 503, meaning: 'this instance is in a graceful drain and starts no new sessions (a balancer retries elsewhere)' },
  tool_timeout: { status: 504, meaning: 'the tool did not answer within tool_timeout' },
  resource_timeout: { status: 504, meaning: 'the server did not answer a resource read in time' },
} as const satisfies Record<string, CodeInfo>;

export type GatewayErrorCode = keyof typeof GATEWAY_ERROR_CODES;

/** True for the codes that answer a capability question rather than reject bad input (see {@link CodeInfo.discovery}). */
export function isDiscoveryAnswer(code: GatewayErrorCode): boolean {
  return (GATEWAY_ERROR_CODES[code] as CodeInfo).discovery === true;
}

/** Codes that mean the upstream MCP server (or its session) failed: its lease is not reused. */
const UPSTREAM_CODES: ReadonlySet<GatewayErrorCode> = new Set(['upstream_failed', 'upstream_start_failed', 'session_closed']);

/** Options every gateway error takes after `(code, message)`. */
export interface GatewayErrorOptions {
  /** Dotted path of the offending input field. */
  field?: string | undefined;
  /** Extra response headers (e.g. `Allow`, `WWW-Authenticate`). */
  headers?: Record<string, string>;
  /** Sets `Retry-After` (whole seconds, at least 1). */
  retryAfterSeconds?: number | undefined;
  cause?: unknown;
}

/** An error that crosses the HTTP boundary: `new GatewayError('unknown_tool', 'Service x has no tool y', { field: 'tool' })`. */
export class GatewayError extends Error {
  /** Stable snake_case code clients can branch on. */
  readonly code: GatewayErrorCode;
  /** HTTP status sent to the client (from the registry). */
  readonly status: number;
  /** Dotted path of the offending input field, when one is to blame. */
  readonly field?: string;
  readonly headers: Record<string, string>;

  constructor(code: GatewayErrorCode, message?: string, opts: GatewayErrorOptions = {}) {
    super(message ?? GATEWAY_ERROR_CODES[code].meaning, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.status = GATEWAY_ERROR_CODES[code].status;
    if (opts.field !== undefined) this.field = opts.field;
    this.headers = { ...opts.headers };
    if (opts.retryAfterSeconds !== undefined) this.headers['Retry-After'] = String(Math.max(1, Math.ceil(opts.retryAfterSeconds)));
  }

  /** The upstream MCP server failed, or its session was closed under the call. */
  get upstream(): boolean {
    return UPSTREAM_CODES.has(this.code);
  }

  /** The JSON body sent on the wire. */
  toBody(): { error: string; code: string; field?: string } {
    return this.field === undefined ? { error: this.message, code: this.code } : { error: this.message, code: this.code, field: this.field };
  }
}

/** A bad gateway configuration. Not an HTTP error: start-up stops with this message. */
export class ConfigError extends Error {
  /** Dotted path of the offending config field, e.g. `services.todo.command`. */
  readonly field?: string;

  constructor(message: string, field?: string) {
    super(field === undefined ? message : `${field}: ${message}`);
    this.name = 'ConfigError';
    if (field !== undefined) this.field = field;
  }
}
