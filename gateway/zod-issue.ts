/** The one way the gateway turns a failed zod parse into an error naming the field. */
import type { z } from 'zod';

/** The first problem of a failed parse. `field` is the dotted path (under `prefix`); at the root it is `fallback`, if given. */
export interface ZodProblem {
  field: string | undefined;
  message: string;
}

/** `{field, message}` of the first issue; `prefix` goes in front of the path, `fallback` names the root. */
export function firstZodProblem(error: z.ZodError, opts: { prefix?: string | undefined; fallback?: string } = {}): ZodProblem {
  const issue = error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  const unknownKeys = issue?.code === 'unrecognized_keys' ? issue.keys.join(', ') : undefined;
  const field = [opts.prefix, path, unknownKeys].filter((p) => p !== undefined && p !== '').join('.') || opts.fallback;
  if (unknownKeys !== undefined) return { field, message: 'is not a known key' };
  return { field, message: issue?.message ?? 'invalid value' };
}

/** `field: message` (just the message at the root), the text every zod-derived error carries. */
export function zodProblemText(problem: ZodProblem): string {
  return problem.field === undefined ? problem.message : `${problem.field}: ${problem.message}`;
}
