import { existsSync } from 'node:fs';
import { loadSwmlSchemaValidator, swmlSchemaPath } from '../../swml/schema-validator.js';
import { EXIT_FAILURE, UsageError } from '../shared/cli-error.js';
import type { CliIo } from '../shared/cli-io.js';
import type { CallSession } from './call-session.js';
import { coerceArgs } from './coerce-args.js';
import { describeFunction, formatStep, formatToolList, stepJson } from './format.js';
import { compileExpect } from './scenario.js';
import { summarizeSchemaErrors } from './schema-errors.js';
import type { ExecRequest } from './split-argv.js';
import type { SwmlView } from './swml-view.js';

/** What every action gets: where to print, how, and the call to drive. */
export interface ActionContext {
  io: CliIo;
  raw: boolean;
  verbose: boolean;
  session: CallSession;
}

/** The official SWML schema vendored in the package (`schemas/swml-schema.json`). */
export const DEFAULT_SCHEMA_PATH = swmlSchemaPath;

/** Prints one JSON document on stdout (the only stdout output with --raw). */
export function emitJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}

/** The call-id banner of human output, so the id can be reused with --call-id. */
export function printCallId(ctx: ActionContext): void {
  if (!ctx.raw) ctx.io.stdout(`call_id: ${ctx.session.identity.callId}  (reuse with --call-id ${ctx.session.identity.callId})\n`);
}

/** `--list-tools`: every function of the SWML the agent serves for this call, with its parameters. */
export async function listTools(ctx: ActionContext): Promise<number> {
  await ctx.session.fetchSwml();
  const tools = ctx.session.view.functions.map(describeFunction);
  if (ctx.raw) emitJson(ctx.io, { call_id: ctx.session.identity.callId, tools });
  else ctx.io.stdout(formatToolList(tools));
  return 0;
}

/**
 * `--dump-swml`: fetches the SWML with a platform-shaped body and validates it against the SWML schema.
 * Schema errors go to stderr (or into the JSON with --raw) and make the exit status 1.
 */
export async function dumpSwml(ctx: ActionContext, schemaOption: string | undefined): Promise<number> {
  const schemaPath = schemaOption ?? DEFAULT_SCHEMA_PATH;
  if (schemaOption !== undefined && !existsSync(schemaOption)) throw new UsageError(`--schema: file not found: ${schemaOption}`, 'schema_not_found');
  const doc = await ctx.session.fetchSwml();
  const validation = loadSwmlSchemaValidator(schemaPath)(doc);
  const errors = validation.errors;
  if (ctx.raw) {
    emitJson(ctx.io, { call_id: ctx.session.identity.callId, valid: validation.valid, errors, swml: doc });
  } else {
    ctx.io.stdout(`${JSON.stringify(doc, null, 2)}\n`);
    if (validation.valid) ctx.io.stderr('SWML schema: valid (0 errors)\n');
    else {
      const lines = summarizeSchemaErrors(errors);
      ctx.io.stderr(`SWML schema: ${errors.length} error(s)${lines.length < errors.length ? ` (summarized; --raw lists all)` : ''}\n`);
      for (const line of lines) ctx.io.stderr(`  ${line}\n`);
    }
  }
  return validation.valid ? 0 : EXIT_FAILURE;
}

/**
 * Turns an `--exec` request into arguments typed by the function's schema. A `--name` the function does not
 * declare is an unknown option, never an argument (the `--args` JSON is sent as written).
 * @throws UsageError `unknown_function`, or `unknown_option` naming the flag and the declared parameters
 */
export function resolveExec(view: SwmlView, exec: ExecRequest): { name: string; args: Record<string, unknown> } {
  const fn = view.byName.get(exec.name);
  if (!fn) {
    const names = view.functions.map((f) => f.name).join(', ') || 'none';
    throw new UsageError(`--exec ${exec.name}: the agent has no such function (available: ${names})`, 'unknown_function');
  }
  const { args, unknown } = coerceArgs(exec.args, exec.params, fn.parameters.properties);
  const stray = unknown[0];
  if (stray !== undefined) {
    const given = exec.params.find(([name]) => name === stray || name.replace(/-/g, '_') === stray)?.[0] ?? stray;
    const declared =
      Object.keys(fn.parameters.properties)
        .map((name) => `--${name}`)
        .join(', ') || 'none';
    throw new UsageError(
      `unknown option '--${given}': not a swaig-test option, and ${fn.name} has no parameter '${stray}' (its parameters: ${declared})`,
      'unknown_option',
    );
  }
  return { name: fn.name, args };
}

/** `--exec NAME`: one function call with a fresh (or --call-id) call; exit 1 when it fails or misses --expect. */
export async function execOnce(ctx: ActionContext, exec: ExecRequest, expect: string | undefined): Promise<number> {
  const matcher = expect === undefined ? undefined : compileExpect(expect);
  await ctx.session.fetchSwml();
  const { name, args } = resolveExec(ctx.session.view, exec);
  const outcome = await ctx.session.call(name, args);
  if (outcome.ok && matcher && !matcher.test(outcome.response ?? '')) {
    outcome.ok = false;
    outcome.error = `response does not match ${matcher.label}`;
  }
  if (ctx.raw) emitJson(ctx.io, { call_id: ctx.session.identity.callId, ...stepJson(outcome, ctx.verbose) });
  else {
    printCallId(ctx);
    ctx.io.stdout(formatStep(outcome, '→'));
    if (Object.keys(outcome.globalData).length > 0) ctx.io.stdout(`global_data: ${JSON.stringify(outcome.globalData)}\n`);
  }
  return outcome.ok ? 0 : EXIT_FAILURE;
}
