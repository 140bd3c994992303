/** Request schemas (zod) for the gateway routes; a failure is a 400 naming the field. */
import { z } from 'zod';
import { NAME_PATTERN } from '../config/schema.js';
import { BadRequestError } from '../errors.js';

/** Session ids: letters, digits, `.`, `_` and `-`, 1 to 128 characters (as the seed). */
export const SESSION_ID_PATTERN = /^[A-Za-z0-9._-]{1,128}$/;

const NAME_RULE = 'must be 1-64 characters of A-Z, a-z, 0-9, "_" or "-"';
const name = z.string({ error: 'is required (a string)' }).regex(NAME_PATTERN, NAME_RULE);
/** Tool names as MCP allows them (dots and slashes included, up to 128 characters): listed tools stay callable. */
export const TOOL_NAME_PATTERN = /^[A-Za-z0-9_.\/-]{1,128}$/;
const toolName = z
  .string({ error: 'is required (a string)' })
  .regex(TOOL_NAME_PATTERN, 'must be 1-128 characters of A-Z, a-z, 0-9, "_", "-", "." or "/"');

/** Deepest nesting accepted in tool arguments; real schemas stay far below, a deeper body is an attack. */
export const MAX_ARGUMENT_DEPTH = 64;

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
const sessionId = z
  .string({ error: 'is required (a string)' })
  .regex(SESSION_ID_PATTERN, 'must be 1-128 characters of A-Z, a-z, 0-9, ".", "_" or "-"');
const jsonObject = z.record(z.string(), z.unknown(), { error: 'must be a JSON object' });
/** Idle timeout of a session, seconds (the `timeout` of a call or a warm-up). */
const idleTimeout = z.number({ error: 'must be a number of seconds' }).positive().max(86_400).optional();

/** Body of `POST /services/:name/call` (the seed's envelope; unknown keys are ignored). */
export const callBodySchema = z.object(
  {
    tool: toolName,
    arguments: z.preprocess(
      (v) => (v === null ? undefined : v),
      jsonObject.default({}).refine((v) => jsonDepth(v, MAX_ARGUMENT_DEPTH) <= MAX_ARGUMENT_DEPTH, `must not nest deeper than ${MAX_ARGUMENT_DEPTH} levels`),
    ),
    session_id: sessionId,
    timeout: idleTimeout,
    metadata: jsonObject.optional(),
    service: z.string().optional(),
  },
  { error: 'body must be a JSON object' },
);

/** A validated call body. */
export type CallBody = z.output<typeof callBodySchema>;

/** Body of `POST /sessions/:id/warm`; every field is optional (no body = all enabled services). */
export const warmBodySchema = z.object(
  {
    /** Services to start; default: every enabled service. */
    services: z
      .array(z.string({ error: 'must be a service name' }).regex(NAME_PATTERN, NAME_RULE), { error: 'must be an array of service names' })
      .max(256)
      .optional(),
    timeout: idleTimeout,
  },
  { error: 'body must be a JSON object' },
);

/** Parses `value` or throws a 400 naming the first bad field (`prefix` is used for path params). */
export function parseOr400<T extends z.ZodType>(schema: T, value: unknown, prefix?: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  const field = [prefix, path].filter((p) => p !== undefined && p !== '').join('.') || undefined;
  const message = issue?.message ?? 'invalid input';
  throw new BadRequestError(field === undefined ? message : `${field} ${message}`, field);
}

/** Validates a service name from the path. */
export const parseServiceName = (value: unknown): string => parseOr400(name, value, 'service');
/** Validates a session id from the path. */
export const parseSessionId = (value: unknown): string => parseOr400(sessionId, value, 'session_id');
