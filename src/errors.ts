/**
 * The agent's error catalogue: every code it can answer with, its HTTP status and what it means. A throw site
 * names a code; the status comes from here. README.md's "Errors" table is tested against this registry.
 */

/** Wire form of every non-2xx JSON body the agent sends. */
export interface ErrorBody {
  error: string;
  code: string;
  field?: string;
}

interface CodeInfo {
  readonly status: number;
  readonly meaning: string;
}

/** Codes sent on the wire (`{error, code, field?}`), with their status. */
export const AGENT_ERROR_CODES = {
  bad_request: { status: 400, meaning: 'a malformed HTTP request' },
  invalid_json: { status: 400, meaning: 'the body is not valid JSON' },
  missing_function: { status: 400, meaning: 'a SWAIG body without a "function" field' },
  invalid_function_name: { status: 400, meaning: 'a SWAIG "function" that is not a function name' },
  invalid_request: { status: 400, meaning: 'a wrong or missing field (named in `field`)' },
  unauthorized: { status: 401, meaning: 'missing or wrong credentials' },
  not_found: { status: 404, meaning: 'no such route' },
  unknown_sip_user: { status: 404, meaning: 'no agent for that SIP user' },
  method_not_allowed: { status: 405, meaning: 'wrong method' },
  payload_too_large: { status: 413, meaning: 'body over the limit' },
  unsupported_media_type: { status: 415, meaning: 'a POST body that is not JSON' },
  headers_too_large: { status: 431, meaning: 'request headers over the limit' },
  internal_error: { status: 500, meaning: 'a bug; logged with its stack' },
  not_ready: { status: 503, meaning: 'skills are still setting up' },
  draining: { status: 503, meaning: 'this instance is in a graceful drain and takes no new calls (a balancer retries elsewhere)' },
} as const satisfies Record<string, CodeInfo>;

/** Codes of start-up mistakes (bad option, tool, skill): thrown to the developer, never sent on the wire. */
export const AGENT_CONFIG_CODES = {
  invalid_config: 'a bad agent or server option (named in `field`)',
  invalid_tool: 'a bad tool definition (names the tool and field)',
  duplicate_tool: 'a tool name defined twice',
  invalid_skill_class: 'a skill class without a valid skillName or paramsSchema',
  duplicate_skill_name: 'two skill classes registered under one name',
  unknown_skill: 'no skill registered under that name',
  invalid_skill_params: 'bad skill parameters (names the field)',
  duplicate_skill: 'the skill is already loaded with that instance key',
  skill_setup_failed: "the skill's setup() threw",
  skill_register_tools_failed: "the skill's registerTools() threw",
  skill_load_failed: 'the skill failed while being added',
  gateway_unavailable: 'the mcp_gateway skill could not reach or authenticate to its gateway',
} as const satisfies Record<string, string>;

export type AgentErrorCode = keyof typeof AGENT_ERROR_CODES;
export type AgentConfigCode = keyof typeof AGENT_CONFIG_CODES;

/** Options every error constructor takes after `(code, message)`. */
export interface ErrorOptions {
  /** Dotted path of the offending input field. */
  field?: string | undefined;
  /** Extra response headers (e.g. `Allow`, `WWW-Authenticate`). */
  headers?: Record<string, string>;
  cause?: unknown;
}

/** An error that crosses the HTTP boundary: `new AgentError('not_found', 'No route for GET /x')`. */
export class AgentError extends Error {
  readonly code: string;
  readonly status: number;
  readonly field: string | undefined;
  readonly headers: Record<string, string>;

  /** Status from the registry; a start-up code (subclasses) has none on the wire and counts as 500. */
  constructor(code: AgentErrorCode | AgentConfigCode, message?: string, opts: ErrorOptions = {}) {
    const known = code in AGENT_ERROR_CODES ? AGENT_ERROR_CODES[code as AgentErrorCode] : undefined;
    super(message ?? known?.meaning ?? code, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = known?.status ?? 500;
    this.field = opts.field;
    this.headers = opts.headers ?? {};
  }

  /** The JSON body sent on the wire. */
  toBody(): ErrorBody {
    return this.field === undefined ? { error: this.message, code: this.code } : { error: this.message, code: this.code, field: this.field };
  }
}

/** A start-up mistake (bad tool definition, bad option): `new AgentConfigError('invalid_config', 'port: …', {field})`. */
export class AgentConfigError extends AgentError {
  constructor(code: AgentConfigCode, message: string, opts?: ErrorOptions) {
    super(code, message, opts);
  }
}

/** A skill could not be loaded: unknown name, bad params (names skill + field), duplicate, or failed setup. */
export class SkillError extends AgentError {
  readonly skill: string;
  constructor(code: AgentConfigCode, message: string, opts: ErrorOptions & { skill: string }) {
    super(code, message, opts);
    this.skill = opts.skill;
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
