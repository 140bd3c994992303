/** Params of the mcp_gateway skill (zod schema first; the type is derived). */
import { z } from 'zod';

/** Gateway service names: as the gateway accepts them. */
const SERVICE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

const serviceSchema = z.strictObject({
  name: z.string().regex(SERVICE_NAME, 'must be 1-64 characters of A-Z, a-z, 0-9, "_" or "-"'),
  /** `'*'` (default) for every tool, or the tool names to expose. */
  tools: z.union([z.literal('*'), z.array(z.string().min(1)).min(1, 'list at least one tool, or use "*"')]).default('*'),
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
  tool_prefix: z.string().regex(/^[A-Za-z0-9_]*$/, 'may only hold A-Z, a-z, 0-9 and "_"').max(32).default('mcp_'),
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
