/** Wire form of every non-2xx JSON body the agent sends. */
export interface ErrorBody {
  error: string;
  code: string;
  field?: string;
}

/** Base class: an error that knows its HTTP status, its snake_case code and (optionally) the field at fault. */
export class AgentError extends Error {
  readonly code: string;
  readonly status: number;
  readonly field: string | undefined;
  /** Extra response headers (e.g. `Allow`, `WWW-Authenticate`). */
  readonly headers: Record<string, string>;

  constructor(message: string, opts: { code: string; status: number; field?: string; headers?: Record<string, string> }) {
    super(message);
    this.name = new.target.name;
    this.code = opts.code;
    this.status = opts.status;
    this.field = opts.field;
    this.headers = opts.headers ?? {};
  }

  /** The JSON body sent on the wire. */
  toBody(): ErrorBody {
    return this.field === undefined
      ? { error: this.message, code: this.code }
      : { error: this.message, code: this.code, field: this.field };
  }
}

/** 400: the request is malformed; names the offending field when known. */
export class BadRequestError extends AgentError {
  constructor(message: string, field?: string, code = 'bad_request') {
    super(message, { code, status: 400, ...(field === undefined ? {} : { field }) });
  }
}

/** 401: missing or wrong Basic credentials. */
export class UnauthorizedError extends AgentError {
  constructor(realm: string) {
    super('Unauthorized', {
      code: 'unauthorized',
      status: 401,
      headers: { 'WWW-Authenticate': `Basic realm="${realm.replace(/"/g, '')}", charset="UTF-8"` },
    });
  }
}

/** 404: unknown route or SWAIG function. */
export class NotFoundError extends AgentError {
  constructor(message: string, code = 'not_found', field?: string) {
    super(message, { code, status: 404, ...(field === undefined ? {} : { field }) });
  }
}

/** 405: the route exists but not for this method; carries `Allow`. */
export class MethodNotAllowedError extends AgentError {
  constructor(method: string, allowed: readonly string[]) {
    super(`Method ${method} not allowed; use ${allowed.join(', ')}`, {
      code: 'method_not_allowed',
      status: 405,
      headers: { Allow: allowed.join(', ') },
    });
  }
}

/** 413: body over the configured limit. */
export class PayloadTooLargeError extends AgentError {
  constructor(limitBytes: number) {
    super(`Request body exceeds ${limitBytes} bytes`, { code: 'payload_too_large', status: 413 });
  }
}

/** 415: POST body that is not JSON. */
export class UnsupportedMediaTypeError extends AgentError {
  constructor(contentType: string) {
    super(`Content-Type must be application/json, got '${contentType}'`, {
      code: 'unsupported_media_type',
      status: 415,
      field: 'content-type',
    });
  }
}

/** 503: not ready (skills still setting up). */
export class NotReadyError extends AgentError {
  constructor(message = 'Agent is not ready') {
    super(message, { code: 'not_ready', status: 503 });
  }
}

/** Programming/configuration mistake found at start-up (bad tool definition, bad option). Not sent on the wire. */
export class AgentConfigError extends AgentError {
  constructor(message: string, field?: string, code = 'invalid_config') {
    super(message, { code, status: 500, ...(field === undefined ? {} : { field }) });
  }
}

/** A skill could not be loaded: unknown name, bad params (names skill + field), duplicate, or failed setup. */
export class SkillError extends AgentError {
  readonly skill: string;
  constructor(skill: string, message: string, opts: { code: string; field?: string; cause?: unknown }) {
    super(message, { code: opts.code, status: 500, ...(opts.field === undefined ? {} : { field: opts.field }) });
    this.skill = skill;
    if (opts.cause !== undefined) this.cause = opts.cause;
  }
}

/**
 * Throw from a tool handler to give the AI a specific, caller-safe message.
 * Any other thrown error is summarised (first line, credentials redacted, truncated).
 */
export class ToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ToolError';
  }
}
