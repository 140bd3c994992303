/** Request parsing for the gateway routes with the schemas of ../contract.ts; a failure is a 400 naming the field. */
import type { z } from 'zod';
import { serviceNameSchema, sessionIdSchema } from '../contract.js';
import { GatewayError } from '../errors.js';
import { firstZodProblem, zodProblemText } from '../zod-issue.js';

/** Parses `value` or throws a 400 naming the first bad field (`prefix` is used for path params). */
export function parseOr400<T extends z.ZodType>(schema: T, value: unknown, prefix?: string): z.output<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problem = firstZodProblem(result.error, { prefix });
  throw new GatewayError('invalid_request', zodProblemText(problem), { field: problem.field });
}

/** Validates a service name from the path. */
export const parseServiceName = (value: unknown): string => parseOr400(serviceNameSchema, value, 'service');
/** Validates a session id from the path. */
export const parseSessionId = (value: unknown): string => parseOr400(sessionIdSchema, value, 'session_id');
