import { z } from 'zod';
import { AgentConfigError } from '../errors.js';
import { swmlSchemaPart } from '../swml/schema-validator.js';
import { parseOrThrow, promptSectionSchema, type PromptSection } from './schemas.js';

/** One step of a context: its prompt (text or POM sections) and where the conversation may go next. */
export interface StepDefinition {
  name: string;
  /** The step's instructions as plain text… */
  text?: string;
  /** …or as POM sections (exactly one of `text` / `sections`). */
  sections?: PromptSection[];
  /** When the step is done, in words the AI can judge (`step_criteria`). */
  criteria?: string;
  /** SWAIG functions callable in this step (default: all). */
  functions?: string[];
  /** Steps of the same context the AI may move to (`'next'` = the following one). */
  validSteps?: string[];
  /** Contexts the AI may switch to from this step. */
  validContexts?: string[];
  /** The conversation ends after this step. */
  end?: boolean;
  /** Go on without waiting for the caller. */
  skipUserTurn?: boolean;
}

/** One context: a named set of steps, with an optional prompt of its own. */
export interface ContextDefinition {
  steps: StepDefinition[];
  text?: string;
  sections?: PromptSection[];
  /** Forget the conversation so far when entering this context. */
  isolated?: boolean;
  /** Filler phrases per language when entering / leaving, e.g. `[{ 'en-US': ['One moment'] }]`. */
  enterFillers?: Array<Record<string, string[]>>;
  exitFillers?: Array<Record<string, string[]>>;
}

/** All contexts by name; `default` is required (the conversation starts in its first step). */
export type ContextsDefinition = Record<string, ContextDefinition>;

const name = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_ -]*$/, 'use letters, digits, _ - and spaces');
const prompt = { text: z.string().min(1).optional(), sections: z.array(promptSectionSchema).min(1).optional() };
const fillers = z
  .array(z.record(z.string().min(1), z.array(z.string()).min(1)))
  .min(1)
  .optional();

const stepSchema = z.strictObject({
  name,
  ...prompt,
  criteria: z.string().min(1).optional(),
  functions: z.array(z.string().min(1)).optional(),
  validSteps: z.array(z.string().min(1)).optional(),
  validContexts: z.array(z.string().min(1)).optional(),
  end: z.boolean().optional(),
  skipUserTurn: z.boolean().optional(),
});

const contextSchema = z.strictObject({
  steps: z.array(stepSchema).min(1, 'a context needs at least one step'),
  ...prompt,
  isolated: z.boolean().optional(),
  enterFillers: fillers,
  exitFillers: fillers,
});

const contextsSchema = z
  .record(name, contextSchema)
  .refine((c) => 'default' in c, { message: "a context named 'default' is required (the call starts there)", path: ['default'] });

function fail(field: string, message: string): never {
  throw new AgentConfigError('invalid_config', `${field}: ${message}`, { field });
}

/** Cross-references: unique step names, valid_steps / valid_contexts that exist, one prompt form per step. */
function checkReferences(contexts: ContextsDefinition): void {
  for (const [ctxName, ctx] of Object.entries(contexts)) {
    if (ctx.text !== undefined && ctx.sections !== undefined) fail(`contexts.${ctxName}.sections`, 'give text or sections, not both');
    const stepNames = new Set<string>();
    for (const [i, step] of ctx.steps.entries()) {
      const at = `contexts.${ctxName}.steps.${i}`;
      if (stepNames.has(step.name)) fail(`${at}.name`, `duplicate step '${step.name}'`);
      stepNames.add(step.name);
      if ((step.text === undefined) === (step.sections === undefined)) fail(`${at}.text`, 'a step needs exactly one of text or sections');
    }
    for (const [i, step] of ctx.steps.entries()) {
      const at = `contexts.${ctxName}.steps.${i}`;
      for (const target of step.validSteps ?? []) {
        if (target !== 'next' && !stepNames.has(target)) fail(`${at}.validSteps`, `'${target}' is not a step of context '${ctxName}'`);
      }
      for (const target of step.validContexts ?? []) {
        if (!(target in contexts)) fail(`${at}.validContexts`, `'${target}' is not a defined context`);
      }
    }
  }
}

function stepToWire(step: StepDefinition): Record<string, unknown> {
  const out: Record<string, unknown> = { name: step.name };
  if (step.text !== undefined) out.text = step.text;
  if (step.sections !== undefined) out.pom = structuredClone(step.sections);
  if (step.criteria !== undefined) out.step_criteria = step.criteria;
  if (step.functions !== undefined) out.functions = [...step.functions];
  if (step.validSteps !== undefined) out.valid_steps = [...step.validSteps];
  if (step.validContexts !== undefined) out.valid_contexts = [...step.validContexts];
  if (step.end) out.end = true;
  if (step.skipUserTurn) out.skip_user_turn = true;
  return out;
}

/**
 * Validates a contexts definition (AgentConfigError naming the field) and returns its SWML form for
 * `ai.prompt.contexts`, itself checked against the schema's `$defs/Contexts`.
 */
export function contextsToWire(input: ContextsDefinition): Record<string, unknown> {
  const contexts = parseOrThrow(contextsSchema, input, 'contexts') as ContextsDefinition;
  checkReferences(contexts);
  const wire: Record<string, unknown> = {};
  for (const [ctxName, ctx] of Object.entries(contexts)) {
    const out: Record<string, unknown> = { steps: ctx.steps.map(stepToWire) };
    if (ctx.text !== undefined) out.text = ctx.text;
    if (ctx.sections !== undefined) out.pom = structuredClone(ctx.sections);
    if (ctx.isolated !== undefined) out.isolated = ctx.isolated;
    if (ctx.enterFillers !== undefined) out.enter_fillers = structuredClone(ctx.enterFillers);
    if (ctx.exitFillers !== undefined) out.exit_fillers = structuredClone(ctx.exitFillers);
    wire[ctxName] = out;
  }
  const { valid, errors } = swmlSchemaPart('Contexts')(wire);
  if (!valid) {
    const error = errors.find((e) => e.path !== '/') ?? errors[0];
    fail(`contexts${(error?.path ?? '').replace(/\//g, '.').replace(/\.$/, '')}`, `${error?.message ?? 'invalid'} (SWML contexts)`);
  }
  return wire;
}
