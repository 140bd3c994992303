/**
 * The gateway config file schema (seed-compatible `config.json`). Numbers and booleans may be given as
 * strings (they usually come from `${VAR|default}`); rate strings are parsed; defaults follow the seed.
 */
import { z } from 'zod';
import { SERVICE_NAME_PATTERN } from '../contract.js';
import { parseRate } from './rate.js';

function coerceNumber(value: unknown): unknown {
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return value;
}

function coerceBoolean(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const lower = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(lower)) return true;
  if (['false', '0', 'no', 'off', ''].includes(lower)) return false;
  return value;
}

const bool = z.preprocess(coerceBoolean, z.boolean());
const seconds = z.preprocess(coerceNumber, z.number().positive());
const positiveInt = z.preprocess(coerceNumber, z.number().int().positive());
const nonNegativeInt = z.preprocess(coerceNumber, z.number().int().min(0));
const nonNegativeSeconds = z.preprocess(coerceNumber, z.number().min(0));
const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v === '' ? undefined : v));

const rate = z.string().transform((text, ctx) => {
  const parsed = parseRate(text);
  if (!parsed) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not a rate like "10 per minute" (units: second, minute, hour, day)` });
    return z.NEVER;
  }
  return parsed;
});

const limitsSchema = z.object({
  /** RLIMIT_CPU, seconds of CPU time. */
  cpu_seconds: positiveInt.default(300),
  /**
   * RLIMIT_NPROC and, with a cgroup, `pids.max`: processes + threads of the session. Node alone runs ~11
   * threads and `npx` starts two Node processes, so the seed's 10 would stop them at start-up.
   */
  max_processes: positiveInt.default(64),
  /** RLIMIT_FSIZE, bytes. */
  max_file_size_bytes: positiveInt.default(10 * 1024 * 1024),
  /** Memory cap, bytes: RLIMIT_DATA for every process, and the session cgroup's limit where one can be made. */
  max_memory_bytes: positiveInt.default(512 * 1024 * 1024),
});

/** Sandbox layers a service can insist on (start-up refuses when the host cannot give one). */
export const SANDBOX_LAYERS = ['namespaces', 'filesystem', 'uid', 'memory_cgroup', 'rlimits'] as const;
export type SandboxLayer = (typeof SANDBOX_LAYERS)[number];

const sandboxObject = z.object({
  enabled: bool.default(true),
  resource_limits: bool.default(true),
  restricted_env: bool.default(true),
  /** Working directory of the server; relative to the config file. Default: the config file's folder. */
  working_dir: optionalText,
  /**
   * Filesystem view (bubblewrap): only these paths (read-write), `readonly_paths`, the system folders and the
   * session folder are visible to the server. Relative to the config file. Unset = no filesystem confinement.
   */
  allowed_paths: z.array(z.string().min(1)).optional(),
  /** Read-only additions to the `allowed_paths` view (the server's code, node_modules); relative to the config file. */
  readonly_paths: z.array(z.string().min(1)).default([]),
  /**
   * Run every session's server as this user: a name, a uid, or `uid:gid` (the gateway must run as root).
   * Unset: a distinct unprivileged uid per session when the gateway runs as root.
   */
  user: optionalText,
  /**
   * Namespace isolation: `auto` takes bubblewrap (pid + mount namespaces and a read-only filesystem view),
   * else util-linux `unshare` (pid + mount namespaces), else none, with a warning naming what is missing.
   */
  isolation: z.enum(['auto', 'bwrap', 'unshare', 'none']).default('auto'),
  /** Layers start-up insists on; without one of them the gateway refuses to start instead of warning. */
  require: z.array(z.enum(SANDBOX_LAYERS)).default([]),
  /**
   * The reference's switch. `true` (run servers unprivileged) is what the default already does, with a uid of
   * their own per session instead of a shared `nobody`; `false` keeps the servers on the gateway's own uid.
   */
  drop_privileges: bool.optional(),
  /** Free text (the reference's sample config documents its services with it); ignored. */
  note: z.string().optional(),
  limits: limitsSchema.prefault({}),
});

const sandboxSchema = sandboxObject.transform(({ drop_privileges: dropPrivileges, note: _note, ...sandbox }) =>
  dropPrivileges === false && sandbox.user === undefined ? { ...sandbox, user: String(process.getuid?.() ?? 0) } : sandbox,
);

const backoffSchema = z.object({
  /** Consecutive start failures before the service answers 503 instead of spawning again. */
  after_failures: positiveInt.default(3),
  /** First 503 window, seconds; doubles with each further failure. */
  initial_seconds: seconds.default(5),
  /** Longest 503 window, seconds. */
  max_seconds: seconds.default(300),
});

const serviceInputSchema = z
  .object({
    command: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
    args: z.array(z.string()).default([]),
    url: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
    headers: z.record(z.string(), z.string()).default({}),
    env: z.record(z.string(), z.string()).default({}),
    description: z.string().default(''),
    enabled: bool.default(true),
    sandbox: sandboxSchema.prefault({}),
    /** Per tool call, seconds. */
    tool_timeout: seconds.default(30),
    /** Spawn + initialize + tools/list, seconds. */
    startup_timeout: seconds.default(30),
    /** Cap on the result text, bytes; longer results are cut with a marker. */
    max_result_bytes: positiveInt.default(64 * 1024),
    /** Age after which the cached tool list is re-listed in the background (stale served meanwhile), seconds; 0 = never. */
    tools_ttl: nonNegativeSeconds.default(300),
    /** List the tools at start-up (in the background) instead of on first use. */
    prefetch_tools: bool.default(false),
    /** Offer the server's prompts at `GET /services/:name/prompts` (agents turn argument-free ones into prompt sections). */
    expose_prompts: bool.default(false),
    /** Offer the server's resources at `GET /services/:name/resources` and `POST /services/:name/resources/read`. */
    expose_resources: bool.default(false),
    /** Start-failure backoff: after N failures in a row, 503 service_unavailable with Retry-After instead of spawning. */
    start_backoff: backoffSchema.prefault({}),
    /**
     * `call`: a server per call (its state is the call's alone). `shared`: one long-lived server serves every
     * call's session, for stateless servers (weather, search, fetch); it is sandboxed once and restarted when it dies.
     */
    session_scope: z.enum(['call', 'shared']).default('call'),
  })
  .superRefine((svc, ctx) => {
    if (svc.command === undefined && svc.url === undefined) {
      ctx.addIssue({ code: 'custom', path: ['command'], message: 'either "command" (stdio) or "url" (remote) is required' });
    } else if (svc.command !== undefined && svc.url !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['url'], message: 'give either "command" or "url", not both' });
    }
  });

const serviceSchema = serviceInputSchema.transform(({ command, args, url, ...rest }) => {
  const argv = command === undefined ? [] : [...(typeof command === 'string' ? [command] : command), ...args];
  return url === undefined ? { ...rest, type: 'stdio' as const, command: argv } : { ...rest, type: 'http' as const, command: argv, url };
});

const serverSchema = z
  .object({
    host: z.string().min(1).default('0.0.0.0'),
    port: z.preprocess(coerceNumber, z.number().int().min(0).max(65535)).default(8080),
    auth_user: optionalText,
    auth_password: optionalText,
    auth_token: optionalText,
    /** TLS certificate (PEM); relative to the config file. Default: `certs/server.pem` next to the config file, if present. */
    cert_file: optionalText,
    /** TLS private key (PEM); default: the `cert_file` (one PEM holding key + certificate). */
    key_file: optionalText,
  })
  .superRefine((s, ctx) => {
    if ((s.auth_user === undefined) !== (s.auth_password === undefined)) {
      const path = s.auth_user === undefined ? 'auth_user' : 'auth_password';
      ctx.addIssue({ code: 'custom', path: [path], message: 'auth_user and auth_password must be set together' });
    }
    if (s.auth_user === undefined && s.auth_token === undefined) {
      ctx.addIssue({ code: 'custom', path: ['auth_user'], message: 'set auth_user + auth_password, or auth_token' });
    }
  });

const sessionSchema = z.object({
  /** Idle timeout of a session, seconds (a call's `timeout` overrides it). */
  default_timeout: seconds.default(300),
  max_sessions_per_service: positiveInt.default(100),
  /** How often expired sessions are reaped, seconds. */
  cleanup_interval: seconds.default(60),
  /** Parent of the per-session private dirs; relative to the config file. */
  sandbox_dir: z.string().min(1).default('./sandbox'),
  /**
   * Files and folders no sandboxed server may see, on top of the gateway's own (its config file, `.env`,
   * TLS files, log file, sandbox_dir); relative to the config file.
   */
  hide_paths: z.array(z.string().min(1)).default([]),
  /**
   * Started spare servers kept ready per service, each handed to exactly one new session and never reused:
   * a count for every service, or `{ service: count }`. 0 = none.
   */
  warm_pool: z.union([nonNegativeInt, z.record(z.string(), nonNegativeInt)]).default(0),
  /**
   * Server starts run at once; further starts wait their turn (a session a call waits on first, then pre-warmed
   * sessions, then warm-pool spares). 0 = no limit, the default: measured, a limit keeps calls in progress fast
   * during a burst but makes the burst's first calls wait longer (README, "Bursts of calls").
   */
  max_concurrent_starts: nonNegativeInt.default(0),
});

const rateLimitingSchema = z.object({
  enabled: bool.default(true),
  default_limits: z
    .preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(rate))
    .default([
      { limit: 200, windowMs: 86_400_000, text: '200 per day' },
      { limit: 50, windowMs: 3_600_000, text: '50 per hour' },
    ]),
  tools_limit: rate.default({ limit: 30, windowMs: 60_000, text: '30 per minute' }),
  call_limit: rate.default({ limit: 10, windowMs: 60_000, text: '10 per minute' }),
  session_delete_limit: rate.default({ limit: 20, windowMs: 60_000, text: '20 per minute' }),
  storage_uri: z.string().min(1).default('memory://'),
});

const LEVELS: Record<string, string> = {
  critical: 'fatal',
  fatal: 'fatal',
  error: 'error',
  warning: 'warn',
  warn: 'warn',
  info: 'info',
  debug: 'debug',
  trace: 'trace',
  silent: 'silent',
};

const loggingSchema = z.object({
  level: z
    .string()
    .default('info')
    .transform((level, ctx) => {
      const mapped = LEVELS[level.trim().toLowerCase()];
      if (mapped === undefined) {
        ctx.addIssue({ code: 'custom', message: `unknown level "${level}" (use DEBUG, INFO, WARNING, ERROR)` });
        return z.NEVER;
      }
      return mapped as 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
    }),
  /** Log file (relative to the config file); empty = stdout. */
  file: optionalText,
});

const mcpSchema = z.object({
  /** Serve MCP (Streamable HTTP) at `/mcp`, behind the same auth and rate limits. */
  enabled: bool.default(true),
  /** Between service and tool in the tool names `/mcp` lists (`todo_add_todo`). */
  tool_separator: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,8}$/, 'must be 1-8 characters of A-Z, a-z, 0-9, "_", "-" or "."')
    .default('_'),
  /** Idle timeout of a downstream MCP session (and its servers), seconds; default `session.default_timeout`. */
  session_timeout: seconds.optional(),
  /** Most downstream MCP sessions open at once; a further initialize gets 503. */
  max_sessions: positiveInt.default(100),
});

const clusterSchema = z.object({
  /**
   * `redis://host:port[/db]` shared by every gateway instance behind one balancer: each notes there the sessions it
   * holds, so an instance that gets a session it never saw (its owner died) answers `session_reset: true`.
   * Empty (default) = one instance, nothing shared.
   */
  redis_uri: optionalText.refine((v) => v === undefined || /^rediss?:\/\//.test(v), 'must be a redis:// or rediss:// URI'),
  /**
   * Graceful drain on SIGTERM, seconds: `/ready` answers 503 and new sessions are refused (503, so the balancer
   * tries another instance) while the sessions already held are served until they close or this time has passed.
   * Default 0 (stop at once, as a single instance should: nothing else would take its calls, and `docker stop`
   * kills after 10 s); behind a balancer set it to about the longest call (deploy/ uses 300).
   */
  drain_timeout: nonNegativeSeconds.default(0),
});

/** The whole config file. */
export const gatewayConfigSchema = z.object({
  server: serverSchema.prefault({}),
  services: z.record(z.string().regex(SERVICE_NAME_PATTERN, 'service names use [A-Za-z0-9_-], 1-64 characters'), serviceSchema).default({}),
  session: sessionSchema.prefault({}),
  rate_limiting: rateLimitingSchema.prefault({}),
  logging: loggingSchema.prefault({}),
  mcp: mcpSchema.prefault({}),
  cluster: clusterSchema.prefault({}),
});

/** Keys of a config object: a nested tree for sections, `true` for values, `'*'` for any key of a record. */
export interface ConfigKeyTree {
  [key: string]: ConfigKeyTree | true;
}

const leaves = (shape: Record<string, unknown>): ConfigKeyTree => Object.fromEntries(Object.keys(shape).map((k) => [k, true]));

/** Every key the config file may hold (for warnings about the others, which are ignored). */
export const CONFIG_KEYS: ConfigKeyTree = {
  server: leaves(serverSchema.shape),
  services: {
    '*': {
      ...leaves(serviceInputSchema.shape),
      sandbox: { ...leaves(sandboxObject.shape), limits: leaves(limitsSchema.shape) },
      start_backoff: leaves(backoffSchema.shape),
    },
  },
  session: leaves(sessionSchema.shape),
  rate_limiting: leaves(rateLimitingSchema.shape),
  logging: leaves(loggingSchema.shape),
  mcp: leaves(mcpSchema.shape),
  cluster: leaves(clusterSchema.shape),
};

/** A validated config, after `${VAR}` substitution and path resolution. */
export type GatewayConfig = z.output<typeof gatewayConfigSchema>;
/** One validated service entry; `type` tells stdio (`command`) from remote (`url`). */
export type ServiceConfig = GatewayConfig['services'][string];
/** The sandbox block of a service. */
export type SandboxConfig = ServiceConfig['sandbox'];
