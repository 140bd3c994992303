/** Params of the mcp_gateway skill (zod schema first; the type is derived). */
import { z } from 'zod';

/** Gateway service names: as the gateway accepts them. */
const SERVICE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

const serviceSchema = z.strictObject({
  name: z.string().regex(SERVICE_NAME, 'must be 1-64 characters of A-Z, a-z, 0-9, "_" or "-"'),
  /** `'*'` (default) for every tool, or the tool names to expose. */
  tools: z.union([z.literal('*'), z.array(z.string().min(1)).min(1, 'list at least one tool, or use "*"')]).default('*'),
  /** Use the service's argument-free MCP prompts as prompt sections, when the gateway exposes them (default true). */
  prompts: z.boolean().default(true),
  /** Offer a `…_read_resource` function for the service's resources, when the gateway exposes them (default true). */
  resources: z.boolean().default(true),
  /** Small text resources (URIs) read at start-up into `global_data.mcp_gateway.resources`. */
  global_data_resources: z.array(z.string().min(1).max(2048)).max(20).default([]),
});

/** Filler phrases: for the agent's first language, or per language code (`{ "es": [...] }`). */
const phrases = z.array(z.string().min(1).max(200)).min(1, 'give at least one phrase').max(20);

/** Per-tool voice settings, keyed `service.tool`. */
const toolOverrideSchema = z.strictObject({
  /** Filler phrases instead of the defaults. */
  fillers: z.union([phrases, z.record(z.string().min(1), phrases)]).optional(),
  /** Treat as slow (true) or fast (false) until the gateway has measured it (default: the tool's openWorldHint). */
  slow: z.boolean().optional(),
  /** false: a destructive tool is called without asking the caller to confirm first. */
  confirm: z.boolean().optional(),
});

const secret = z.string().min(1, 'must not be empty').optional();

const baseSchema = z.strictObject({
  /** Standalone gateway base URL (http/https, may include a path). Absent → the embedded gateway. */
  gateway_url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  /** `'embedded'`: run the gateway inside this process (the default when `gateway_url` is absent). */
  gateway: z.literal('embedded', { error: 'the only value is "embedded" (or give gateway_url)' }).optional(),
  /** Gateway config file for the embedded gateway (default `config.json` in the current directory). */
  gateway_config: z.string().min(1).optional(),
  auth_user: secret,
  auth_password: secret,
  /** Bearer token (instead of auth_user + auth_password). */
  auth_token: secret,
  /** Services to expose; empty (default) = every enabled service the gateway lists. */
  services: z.array(serviceSchema).default([]),
  /** Idle timeout of a call's MCP session on the gateway, seconds (default 300). */
  session_timeout: z.number().positive().max(86_400).default(300),
  /** Prefix of every function name (default `mcp_`). */
  tool_prefix: z
    .string()
    .regex(/^[A-Za-z0-9_]*$/, 'may only hold A-Z, a-z, 0-9 and "_"')
    .max(32)
    .default('mcp_'),
  /** Extra attempts after the first, for failures that are safe to repeat (default 3). */
  retry_attempts: z.number().int().min(0).max(10).default(3),
  /** Timeout of each HTTP request to the gateway, seconds (default 30). */
  request_timeout: z.number().positive().max(600).default(30),
  /** Longest wait between looks for a service that was not available at start-up, seconds (default 30). */
  rediscover_max_interval: z.number().min(0.1).max(3600).default(30),
  /**
   * Start a call's MCP servers when its SWML is rendered (default true). Turn off when several agents with embedded
   * gateways sit behind a balancer: the SWML fetch carries no routing key, so the instance that renders it is not
   * always the one the call's webhooks are pinned to, and a warmed session there would only idle out.
   */
  warm_sessions: z.boolean().default(true),
  /** Verify the gateway's TLS certificate (default true; false accepts self-signed ones). */
  verify_ssl: z.boolean().default(true),
  /** A function whose measured p95 latency is above this gets spoken fillers; faster ones get skip_fillers (ms, default 800). */
  filler_threshold_ms: z.number().int().min(0).max(600_000).default(800),
  /** Calls a tool needs in the window before its measured latency replaces the hints (default 3). */
  filler_min_samples: z.number().int().min(1).max(200).default(3),
  /** The window of calls the latency is measured over, seconds (default 600). */
  latency_window: z.number().positive().max(86_400).default(600),
  /** How old the latencies and prompts used at a render may be, seconds (default 30; 0 = fetch at every render). */
  latency_max_age: z.number().min(0).max(3600).default(30),
  /** Longest a SWML render waits for fresh latencies and prompts from the gateway, ms (default 750); then it uses what it has. */
  render_wait_ms: z.number().int().min(0).max(60_000).default(750),
  /** Audio file played while a slow function runs (`wait_file`). */
  filler_wait_file: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
  /** Voice settings per tool, keyed `service.tool` (`{ "todo.add_todo": { fillers: [...], slow: true, confirm: false } }`). */
  tool_overrides: z.record(z.string().regex(/^[A-Za-z0-9_-]{1,64}\..+$/, 'keys are "service.tool"'), toolOverrideSchema).default({}),
  /** Longest resource text a `…_read_resource` function answers with, bytes (default 4000). */
  resource_max_bytes: z.number().int().min(100).max(1_000_000).default(4000),
  /** Longest text of one `global_data_resources` entry, bytes (default 2000). */
  global_data_resource_max_bytes: z.number().int().min(10).max(64_000).default(2000),
});

type Raw = z.output<typeof baseSchema>;

function issue(ctx: z.RefinementCtx, path: string, message: string): void {
  ctx.addIssue({ code: 'custom', path: [path], message });
}

function checkCombination(p: Raw, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  p.services.forEach((svc, i) => {
    if (seen.has(svc.name)) ctx.addIssue({ code: 'custom', path: ['services', i, 'name'], message: `service "${svc.name}" is listed twice` });
    seen.add(svc.name);
  });
  const remote = p.gateway_url !== undefined;
  if (remote && p.gateway === 'embedded') issue(ctx, 'gateway', 'give either gateway_url or gateway: "embedded", not both');
  if (remote && p.gateway_config !== undefined) issue(ctx, 'gateway_config', 'only applies to the embedded gateway (no gateway_url)');
  if (!remote) {
    for (const key of ['auth_user', 'auth_password', 'auth_token'] as const) {
      if (p[key] !== undefined) issue(ctx, key, 'the embedded gateway uses its own per-process token; set it only with gateway_url');
    }
    return;
  }
  if (p.auth_token !== undefined && (p.auth_user !== undefined || p.auth_password !== undefined)) {
    issue(ctx, 'auth_token', 'give auth_token or auth_user + auth_password, not both');
  } else if (p.auth_user !== undefined && p.auth_password === undefined) {
    issue(ctx, 'auth_password', 'is required with auth_user');
  } else if (p.auth_password !== undefined && p.auth_user === undefined) {
    issue(ctx, 'auth_user', 'is required with auth_password');
  } else if (p.auth_token === undefined && p.auth_user === undefined) {
    issue(ctx, 'auth_token', 'gateway_url needs auth_token, or auth_user + auth_password (or MCP_GATEWAY_AUTH_* in the environment)');
  }
}

/** Fills missing credentials of a remote gateway from MCP_GATEWAY_AUTH_TOKEN / _USER / _PASSWORD. */
function withEnvCredentials(input: unknown): unknown {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return input;
  const p = input as Record<string, unknown>;
  if (p.gateway_url === undefined || p.auth_token !== undefined || p.auth_user !== undefined || p.auth_password !== undefined) return input;
  const env = process.env;
  if (env.MCP_GATEWAY_AUTH_TOKEN) return { ...p, auth_token: env.MCP_GATEWAY_AUTH_TOKEN };
  if (env.MCP_GATEWAY_AUTH_USER && env.MCP_GATEWAY_AUTH_PASSWORD) {
    return { ...p, auth_user: env.MCP_GATEWAY_AUTH_USER, auth_password: env.MCP_GATEWAY_AUTH_PASSWORD };
  }
  return input;
}

/** The skill's params schema: unknown keys are errors; a bad combination names the field to fix. */
export const mcpGatewayParamsSchema = z.preprocess(withEnvCredentials, baseSchema.superRefine(checkCombination));

/** Validated params of the mcp_gateway skill. */
export type McpGatewayParams = z.output<typeof baseSchema>;
/** One entry of `services`. */
export type McpServiceSelection = McpGatewayParams['services'][number];
/** One entry of `tool_overrides`. */
export type ToolOverride = McpGatewayParams['tool_overrides'][string];
