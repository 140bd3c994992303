/**
 * The gateway's HTTP API as zod schemas: what each route accepts and what it answers. The gateway's routes parse
 * requests with these; the mcp_gateway skill parses answers with them (through src/index.ts). Imports only zod,
 * so either side can load it without the other.
 */
import { z } from 'zod';

/** Service names: `[A-Za-z0-9_-]`, 1 to 64 characters. */
export const SERVICE_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
/** Tool names as MCP allows them (dots and slashes included, up to 128 characters): listed tools stay callable. */
export const TOOL_NAME_PATTERN = /^[A-Za-z0-9_./-]{1,128}$/;
/** Session ids: letters, digits, `.`, `_` and `-`, 1 to 128 characters (as the seed). */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;
/** Deepest nesting accepted in tool arguments; real schemas stay far below, a deeper body is an attack. */
export const MAX_ARGUMENT_DEPTH = 64;
/** Longest resource URI accepted, characters. */
export const MAX_URI_LENGTH = 2048;

/** Nesting depth of a JSON value, counted without recursion (a hostile body must not overflow the stack). */
export function jsonDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (node === null || typeof node !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return deepest;
}

const NAME_RULE = 'must be 1-64 characters of A-Z, a-z, 0-9, "_" or "-"';
export const serviceNameSchema = z.string({ error: 'is required (a string)' }).regex(SERVICE_NAME_PATTERN, NAME_RULE);
export const toolNameSchema = z
  .string({ error: 'is required (a string)' })
  .regex(TOOL_NAME_PATTERN, 'must be 1-128 characters of A-Z, a-z, 0-9, "_", "-", "." or "/"');
export const sessionIdSchema = z
  .string({ error: 'is required (a string)' })
  .regex(SESSION_ID_PATTERN, 'must be 1-128 characters of A-Z, a-z, 0-9, ".", "_" or "-"');
const jsonObject = z.record(z.string(), z.unknown(), { error: 'must be a JSON object' });
/** Idle timeout of a session, seconds (the `timeout` of a call or a warm-up). */
const idleTimeout = z.number({ error: 'must be a number of seconds' }).positive().max(86_400).optional();

// ---- requests ----

/** Body of `POST /services/:name/call` (the seed's envelope; unknown keys are ignored). */
export const callRequestSchema = z.object(
  {
    tool: toolNameSchema,
    arguments: z.preprocess(
      (v) => (v === null ? undefined : v),
      jsonObject.default({}).refine((v) => jsonDepth(v, MAX_ARGUMENT_DEPTH) <= MAX_ARGUMENT_DEPTH, `must not nest deeper than ${MAX_ARGUMENT_DEPTH} levels`),
    ),
    session_id: sessionIdSchema,
    timeout: idleTimeout,
    metadata: jsonObject.optional(),
    service: z.string().optional(),
  },
  { error: 'body must be a JSON object' },
);

/** Body of `POST /sessions/:id/warm`; every field is optional (no body = all enabled services). */
export const warmRequestSchema = z.object(
  {
    /** Services to start; default: every enabled service. */
    services: z
      .array(z.string({ error: 'must be a service name' }).regex(SERVICE_NAME_PATTERN, NAME_RULE), { error: 'must be an array of service names' })
      .max(256)
      .optional(),
    timeout: idleTimeout,
  },
  { error: 'body must be a JSON object' },
);

// ---- answers ----

/** Every non-2xx body. */
export const errorBodySchema = z.object({ error: z.string(), code: z.string(), field: z.string().optional() });

/** One entry of `GET /services` (more keys, e.g. `sandbox` and `sessions`, may follow). */
export const serviceEntrySchema = z.looseObject({ description: z.string(), enabled: z.boolean(), type: z.string().optional() });
/** `GET /services`: service name → entry. */
export const servicesResponseSchema = z.record(z.string().regex(SERVICE_NAME_PATTERN), serviceEntrySchema);

/** MCP tool annotations the gateway passes through. */
export const toolAnnotationsSchema = z.looseObject({
  title: z.string().optional(),
  readOnlyHint: z.boolean().optional(),
  idempotentHint: z.boolean().optional(),
  destructiveHint: z.boolean().optional(),
  openWorldHint: z.boolean().optional(),
});
/** A tool as MCP lists it. */
export const toolSchema = z.looseObject({
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  inputSchema: z.unknown().optional(),
  annotations: toolAnnotationsSchema.optional(),
});
/** `GET /services/:name/tools`. */
export const toolsResponseSchema = z.object({ service: z.string(), tools: z.array(toolSchema) });

/** One non-text content block of a tool result, described for the caller. */
export const contentSummarySchema = z.object({
  type: z.string(),
  mime_type: z.string().optional(),
  uri: z.string().optional(),
  name: z.string().optional(),
  /** Decoded size of base64 data, bytes. */
  bytes: z.number().optional(),
});
/** `POST /services/:name/call` → 200 (a tool-level failure is `is_error: true`). */
export const callResponseSchema = z.object({
  session_id: z.string(),
  service: z.string(),
  tool: z.string(),
  result: z.string(),
  is_error: z.boolean(),
  structured_content: z.unknown().optional(),
  content_summary: z.array(contentSummarySchema).optional(),
  /** Present when `result` was cut at the size cap. */
  truncated: z.literal(true).optional(),
  /** Present when the gateway had to start a fresh server during this call (earlier state is gone). */
  session_reset: z.literal(true).optional(),
});
/** `DELETE /sessions/:id` → 200. */
export const deleteSessionResponseSchema = z.object({ message: z.string(), session_id: z.string(), closed: z.number().int().positive() });
/** `POST /sessions/:id/warm` → 202. */
export const warmResponseSchema = z.object({
  session_id: z.string(),
  warming: z.array(z.string()),
  skipped: z.array(z.object({ service: z.string(), code: z.string() })).optional(),
});

/**
 * States of a session: `queued` while its server waits for a start slot (`session.max_concurrent_starts`),
 * `starting` until the server answered initialize (and a warm-up is done), then `ready`.
 */
export const SESSION_STATES = ['queued', 'starting', 'ready'] as const;
/** One entry of `GET /sessions` (the reference's names `service_name`, `last_accessed`, `timeout` too). */
export const sessionEntrySchema = z.looseObject({
  session_id: z.string(),
  service: z.string(),
  created_at: z.string(),
  last_used_at: z.string(),
  expires_at: z.string(),
  state: z.enum(SESSION_STATES),
  pid: z.number().int().optional(),
  service_name: z.string(),
  last_accessed: z.string(),
  timeout: z.number(),
  metadata: z.record(z.string(), z.unknown()),
  time_remaining: z.number(),
});
/** `GET /sessions` → 200. */
export const sessionsResponseSchema = z.object({ sessions: z.array(sessionEntrySchema) });

/** `GET /services/:name/latency` → per-tool latency over the window. */
export const latencyResponseSchema = z.object({
  service: z.string(),
  window_seconds: z.number(),
  tools: z.array(z.object({ tool: z.string(), count: z.number(), p50_ms: z.number(), p95_ms: z.number() })),
});
/** A prompt of `GET /services/:name/prompts`; `messages` only for prompts without required arguments. */
export const promptSchema = z.looseObject({
  name: z.string(),
  title: z.string().optional(),
  description: z.string().optional(),
  messages: z
    .array(z.looseObject({ role: z.string().optional(), content: z.looseObject({ type: z.string().optional(), text: z.string().optional() }).optional() }))
    .optional(),
});
export const promptsResponseSchema = z.object({ service: z.string(), prompts: z.array(promptSchema) });
/** A resource of `GET /services/:name/resources`. */
export const resourceSchema = z.looseObject({
  uri: z.string(),
  name: z.string().optional(),
  title: z.string().optional(),
  description: z.string().optional(),
  mimeType: z.string().optional(),
});
export const resourcesResponseSchema = z.looseObject({ service: z.string(), resources: z.array(resourceSchema) });
/** `POST /services/:name/resources/read` body. */
export const readResourceRequestSchema = z.object(
  {
    session_id: sessionIdSchema,
    uri: z.string({ error: 'is required (a string)' }).min(1, 'must not be empty').max(MAX_URI_LENGTH, `must be at most ${MAX_URI_LENGTH} characters`),
    timeout: z.number({ error: 'must be a number of seconds' }).positive().max(86_400).optional(),
  },
  { error: 'body must be a JSON object' },
);
/** `POST /services/:name/resources/read` → 200; binary parts carry only their size. */
export const readResourceResponseSchema = z.looseObject({
  session_id: z.string(),
  service: z.string(),
  uri: z.string(),
  contents: z.array(z.object({ uri: z.string(), mime_type: z.string().optional(), text: z.string().optional(), blob_bytes: z.number().optional() })),
  truncated: z.literal(true).optional(),
});

export type CallRequest = z.input<typeof callRequestSchema>;
export type ParsedCallRequest = z.output<typeof callRequestSchema>;
export type WarmRequest = z.input<typeof warmRequestSchema>;
export type ErrorBody = z.output<typeof errorBodySchema>;
export type ServicesResponse = z.output<typeof servicesResponseSchema>;
export type ServiceEntry = z.output<typeof serviceEntrySchema>;
export type Tool = z.output<typeof toolSchema>;
export type ToolsResponse = z.output<typeof toolsResponseSchema>;
export type ContentSummary = z.output<typeof contentSummarySchema>;
export type CallResponse = z.output<typeof callResponseSchema>;
export type DeleteSessionResponse = z.output<typeof deleteSessionResponseSchema>;
export type WarmResponse = z.output<typeof warmResponseSchema>;
export type LatencyResponse = z.output<typeof latencyResponseSchema>;
export type SessionEntry = z.output<typeof sessionEntrySchema>;
export type SessionsResponse = z.output<typeof sessionsResponseSchema>;
export type Prompt = z.output<typeof promptSchema>;
export type Resource = z.output<typeof resourceSchema>;
export type ReadResourceRequest = z.input<typeof readResourceRequestSchema>;
export type ReadResourceResponse = z.output<typeof readResourceResponseSchema>;
