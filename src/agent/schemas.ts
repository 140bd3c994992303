import { z } from 'zod';
import { AgentConfigError } from '../errors.js';
import { firstZodProblem, zodProblemText } from '../zod-issue.js';

/** A SWML "var" such as `${call.vars.x}`, accepted wherever the schema allows one. */
const swmlVar = z.string().regex(/^\$\{.+\}$/);
const boolOrVar = z.union([z.boolean(), swmlVar]);

/** One POM prompt section. Needs a body or at least one bullet (SWML schema rule). */
export interface PromptSection {
  title?: string;
  body?: string;
  bullets?: string[];
  numbered?: boolean;
  numberedBullets?: boolean;
  subsections?: PromptSection[];
}

export const promptSectionSchema: z.ZodType<PromptSection> = z.lazy(() =>
  z
    .strictObject({
      title: z.string().min(1).optional(),
      body: z.string().optional(),
      bullets: z.array(z.string()).optional(),
      numbered: z.boolean().optional(),
      numberedBullets: z.boolean().optional(),
      subsections: z.array(promptSectionSchema).min(1, 'must not be empty (leave it out instead)').optional(),
    })
    // SWML: every POM section needs a body or bullets; subsections alone do not make a valid section.
    .refine((s) => (s.body !== undefined && s.body !== '') || (s.bullets?.length ?? 0) > 0, {
      message: 'a section needs a body or at least one bullet (subsections alone are not valid SWML)',
      path: ['body'],
    }),
);

const numberOrVar = (min: number, max: number) => z.union([z.number().min(min).max(max), swmlVar]);

/** `languages[].params`: the schema knows only these two (ElevenLabs voices). */
export const languageParamsSchema = z.strictObject({
  stability: numberOrVar(0, 1).optional(),
  similarity: numberOrVar(0, 1).optional(),
});

/** `ai.languages[]` entry; `name`, `code`, `voice` are required by the schema. */
export const languageSchema = z
  .strictObject({
    name: z.string().min(1),
    code: z.string().min(1),
    voice: z.string().min(1),
    model: z.string().optional(),
    emotion: z.literal('auto').optional(),
    speed: z.literal('auto').optional(),
    engine: z.string().optional(),
    params: languageParamsSchema.optional(),
    fillers: z.array(z.string()).optional(),
    function_fillers: z.array(z.string()).optional(),
    speech_fillers: z.array(z.string()).optional(),
  })
  .refine((l) => l.fillers === undefined || (l.function_fillers === undefined && l.speech_fillers === undefined), {
    message: 'use either fillers or function_fillers/speech_fillers, not both (SWML accepts one form per language)',
    path: ['fillers'],
  });
export type Language = z.infer<typeof languageSchema>;

/** `ai.pronounce[]` entry. */
export const pronounceSchema = z.strictObject({
  replace: z.string().min(1),
  with: z.string(),
  ignore_case: boolOrVar.optional(),
});
export type Pronounce = z.infer<typeof pronounceSchema>;

/** `ai.hints[]` entry: a plain word or a pattern hint. */
export const hintSchema = z.union([
  z.string().min(1),
  z.strictObject({ hint: z.string().min(1), pattern: z.string(), replace: z.string(), ignore_case: boolOrVar.optional() }),
]);
export type Hint = z.infer<typeof hintSchema>;

/** Native functions the platform provides (schema enum). */
export const nativeFunctionSchema = z.enum(['check_time', 'wait_seconds', 'wait_for_user', 'adjust_response_latency']);
export type NativeFunction = z.infer<typeof nativeFunctionSchema>;

/** LLM knobs allowed inside `prompt` / `post_prompt`. */
export const promptSettingsSchema = z.strictObject({
  max_tokens: z.int().min(0).max(4096).optional(),
  temperature: z.number().min(0).max(1.5).optional(),
  top_p: z.number().min(0).max(1).optional(),
  confidence: z.number().min(0).max(1).optional(),
  presence_penalty: z.number().min(-2).max(2).optional(),
  frequency_penalty: z.number().min(-2).max(2).optional(),
});
export type PromptSettings = z.infer<typeof promptSettingsSchema>;

/** A SWML verb: an object with exactly one key, e.g. `{ play: { url } }`. */
export const verbSchema = z
  .record(z.string(), z.unknown())
  .refine((v) => Object.keys(v).length === 1, { message: 'a SWML verb is an object with exactly one key' });
export type SwmlVerb = Record<string, unknown>;

/** Parses `value` with `schema`, throwing an AgentConfigError that names `what` and the field path. */
export function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problem = firstZodProblem(result.error, { prefix: what });
  throw new AgentConfigError('invalid_config', zodProblemText(problem), { field: problem.field });
}
