import { z } from 'zod';
import { AgentError } from '../errors.js';
import { firstZodProblem, zodProblemText } from '../zod-issue.js';

/** SWAIG function names: identifier characters only, at most 128 (what the platform and LLMs accept). */
export const FUNCTION_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const MAX_FUNCTION_NAME_LENGTH = 128;

/** `argument` block of the envelope: `parsed` is an array whose first item is the args object. */
export const swaigArgumentSchema = z.looseObject({
  parsed: z.array(z.unknown()).optional(),
  raw: z.string().optional(),
  substituted: z.string().optional(),
});

const jsonObject = z.record(z.string(), z.unknown());

/** An optional envelope field: the platform may send null for "none", which reads as absent. */
const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

/**
 * The envelope the platform POSTs to a function's `web_hook_url` (signalwire-protocol.md §2.1).
 * Unknown keys are kept (`call_log`, `SWMLVars`, …).
 */
export const swaigRequestSchema = z.looseObject({
  function: z
    .string({ error: 'function is required and must be a string' })
    .min(1, 'function is required')
    .max(MAX_FUNCTION_NAME_LENGTH, `function must be at most ${MAX_FUNCTION_NAME_LENGTH} characters`)
    .regex(FUNCTION_NAME_PATTERN, 'function must match ^[A-Za-z_][A-Za-z0-9_]*$'),
  argument: optional(swaigArgumentSchema),
  call_id: optional(z.string()),
  ai_session_id: optional(z.string()),
  app_name: optional(z.string()),
  version: optional(z.string()),
  content_type: optional(z.string()),
  content_disposition: optional(z.string()),
  caller_id_name: optional(z.string()),
  caller_id_num: optional(z.string()),
  project_id: optional(z.string()),
  space_id: optional(z.string()),
  channel_active: optional(z.boolean()),
  purpose: optional(z.string()),
  argument_desc: optional(z.unknown()),
  meta_data_token: optional(z.string()),
  meta_data: optional(jsonObject),
  global_data: optional(jsonObject),
  call_log: optional(z.array(z.unknown())),
});

/** A parsed SWAIG request envelope, passed to handlers as their second argument. */
export type SwaigRequest = z.infer<typeof swaigRequestSchema>;

/** Parses the envelope; a failure is a 400 naming the first bad field. */
export function parseSwaigRequest(body: unknown): SwaigRequest {
  if (body === undefined || body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new AgentError('missing_function', 'Request body must be a JSON object with a "function" field', { field: 'function' });
  }
  const result = swaigRequestSchema.safeParse(body);
  if (result.success) return result.data;
  const problem = firstZodProblem(result.error, { fallback: 'body' });
  const code = problem.field === 'function' ? 'invalid_function_name' : 'invalid_request';
  throw new AgentError(code, zodProblemText(problem), { field: problem.field });
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * The tool arguments: `argument.parsed[0]`, else `JSON.parse(argument.raw)`, else `{}`.
 * Anything that is not a JSON object becomes `{}`.
 */
export function extractArgs(request: Pick<SwaigRequest, 'argument'>): Record<string, unknown> {
  const first = request.argument?.parsed?.[0];
  if (isPlainObject(first)) return first;
  const raw = request.argument?.raw;
  if (typeof raw === 'string' && raw.trim() !== '') {
    try {
      const parsed: unknown = JSON.parse(raw);
      if (isPlainObject(parsed)) return parsed;
    } catch {
      // The model's raw text is not JSON: no usable arguments.
    }
  }
  return {};
}

/** Call id of a SWML fetch: `body.call.call_id`, else `body.call_id`, else the `call_id` query parameter. */
export function extractSwmlCallId(body: unknown, query: Record<string, unknown> = {}): string | undefined {
  if (isPlainObject(body)) {
    const call = body.call;
    if (isPlainObject(call) && typeof call.call_id === 'string' && call.call_id !== '') return call.call_id;
    if (typeof body.call_id === 'string' && body.call_id !== '') return body.call_id;
  }
  const q = query.call_id;
  return typeof q === 'string' && q !== '' ? q : undefined;
}
