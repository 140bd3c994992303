/**
 * Gateway error catalogue. Every error knows its HTTP status, a snake_case code and its wire body
 * `{ error, code, field? }`; the HTTP error handler only has to call `toBody()`.
 */

/** Base class: an error that crosses the HTTP boundary. */
export class GatewayError extends Error {
  /** HTTP status sent to the client. */
  readonly status: number;
  /** Stable snake_case code clients can branch on. */
  readonly code: string;
  /** Dotted path of the offending input field, when one is to blame. */
  readonly field?: string;
  /** Extra response headers (e.g. `Allow`, `Retry-After`, `WWW-Authenticate`). */
  readonly headers: Record<string, string>;

  constructor(status: number, code: string, message: string, opts: { field?: string; headers?: Record<string, string> } = {}) {
    super(message);
    this.name = new.target.name;
    this.status = status;
    this.code = code;
    if (opts.field !== undefined) this.field = opts.field;
    this.headers = opts.headers ?? {};
  }

  /** The JSON body sent on the wire. */
  toBody(): { error: string; code: string; field?: string } {
    return this.field === undefined
      ? { error: this.message, code: this.code }
      : { error: this.message, code: this.code, field: this.field };
  }
}

/** 400: the request is malformed; `field` names the culprit. */
export class BadRequestError extends GatewayError {
  constructor(message: string, field?: string, code = 'invalid_request') {
    super(400, code, message, field === undefined ? {} : { field });
  }
}

/** 401 with a `WWW-Authenticate` challenge. */
export class UnauthorizedError extends GatewayError {
  constructor(challenge: string) {
    super(401, 'unauthorized', 'Authentication required', { headers: { 'WWW-Authenticate': challenge } });
  }
}

/** 404: unknown route, service, tool or session. */
export class NotFoundError extends GatewayError {
  constructor(code: string, message: string, field?: string) {
    super(404, code, message, field === undefined ? {} : { field });
  }
}

/** 405 with the `Allow` header listing the methods the path supports. */
export class MethodNotAllowedError extends GatewayError {
  constructor(method: string, allowed: readonly string[]) {
    super(405, 'method_not_allowed', `Method ${method} is not allowed here`, { headers: { Allow: allowed.join(', ') } });
  }
}

/** 413: the body is over the size limit. */
export class PayloadTooLargeError extends GatewayError {
  constructor(limit: string) {
    super(413, 'payload_too_large', `Request body is larger than ${limit}`);
  }
}

/** 415: the body is not JSON. */
export class UnsupportedMediaTypeError extends GatewayError {
  constructor() {
    super(415, 'unsupported_media_type', 'Content-Type must be application/json');
  }
}

/** 429 with `Retry-After` (seconds). */
export class TooManyRequestsError extends GatewayError {
  constructor(code: string, message: string, retryAfterSeconds: number) {
    super(429, code, message, { headers: { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) } });
  }
}

/**
 * 502: the upstream MCP server failed (crashed, broke the protocol, or would not start). With code
 * `session_closed` it is 409 instead: the caller's own `DELETE /sessions/:id` ended the session while this call
 * was starting or running, which is a conflict between two requests, not a server failure.
 */
export class UpstreamError extends GatewayError {
  constructor(message: string, code = 'upstream_failed') {
    super(code === 'session_closed' ? 409 : 502, code, message);
  }
}

/** 503: the service is disabled or the gateway is shutting down. */
export class ServiceUnavailableError extends GatewayError {
  constructor(code: string, message: string, retryAfterSeconds?: number) {
    super(503, code, message, retryAfterSeconds === undefined ? {} : { headers: { 'Retry-After': String(retryAfterSeconds) } });
  }
}

/** 504: the tool did not answer within the service's `tool_timeout`. */
export class ToolTimeoutError extends GatewayError {
  constructor(tool: string, timeoutMs: number) {
    super(504, 'tool_timeout', `Tool ${tool} did not answer within ${timeoutMs / 1000} s`);
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
