import { EXIT_FAILURE, UsageError } from '../shared/cli-error.js';
import { emitJson, printCallId, resolveExec, type ActionContext } from './actions.js';
import type { StepOutcome } from './call-session.js';
import { formatStep, stepJson } from './format.js';
import { compileExpect, type ScenarioStep } from './scenario.js';
import type { ExecRequest } from './split-argv.js';

/** One planned step: the function, typed arguments, and an optional response matcher. */
interface PlannedStep {
  function: string;
  args: Record<string, unknown>;
  expect?: { test(text: string): boolean; label: string } | undefined;
}

/** A step's result in the transcript; `skipped` once a function hung up the call. */
type StepRecord = (StepOutcome & { step: number; expect?: string }) | { step: number; function: string; ok: false; skipped: true };

function plan(ctx: ActionContext, source: { scenario?: ScenarioStep[]; execs?: ExecRequest[] }): PlannedStep[] {
  const view = ctx.session.view;
  if (source.execs) {
    return source.execs.map((exec) => {
      const { name, args } = resolveExec(view, exec);
      return { function: name, args };
    });
  }
  return (source.scenario ?? []).map((step, index) => {
    if (!view.byName.has(step.function)) {
      const names = view.functions.map((f) => f.name).join(', ') || 'none';
      throw new UsageError(`--simulate-call: steps.${index}.function: the agent has no function '${step.function}' (available: ${names})`, 'unknown_function');
    }
    return { function: step.function, args: step.args, expect: step.expect === undefined ? undefined : compileExpect(step.expect) };
  });
}

async function runHook(ctx: ActionContext, name: 'startup_hook' | 'hangup_hook'): Promise<StepOutcome | undefined> {
  if (!ctx.session.view.byName.has(name)) return undefined;
  const outcome = await ctx.session.call(name, {}, { channelActive: name !== 'hangup_hook' });
  if (!ctx.raw) ctx.io.stdout(formatStep(outcome, name === 'startup_hook' ? '[start]' : '[hangup]'));
  return outcome;
}

async function runStep(ctx: ActionContext, step: PlannedStep, index: number): Promise<StepRecord> {
  const outcome = await ctx.session.call(step.function, step.args);
  if (outcome.ok && step.expect && !step.expect.test(outcome.response ?? '')) {
    outcome.ok = false;
    outcome.error = `response does not match ${step.expect.label}`;
  }
  if (!ctx.raw) ctx.io.stdout(formatStep(outcome, `[${index + 1}]`));
  return { ...outcome, step: index + 1, ...(step.expect ? { expect: step.expect.label } : {}) };
}

/**
 * `--simulate-call`: fetches SWML for the call id, sends `startup_hook` if the SWML declares one, runs the steps in
 * order (global_data carried forward from set/unset_global_data actions; steps after a `hangup` action are
 * skipped), then sends `hangup_hook` if declared, whatever happened before. Exit 1 if any step failed or was skipped.
 */
export async function simulateCall(ctx: ActionContext, source: { scenario?: ScenarioStep[]; execs?: ExecRequest[] }): Promise<number> {
  await ctx.session.fetchSwml();
  const steps = plan(ctx, source);
  printCallId(ctx);
  const startup = await runHook(ctx, 'startup_hook');
  const records: StepRecord[] = [];
  for (const [index, step] of steps.entries()) {
    const hungUpBy = ctx.session.state.hungUpBy;
    if (hungUpBy !== undefined) {
      records.push({ step: index + 1, function: step.function, ok: false, skipped: true });
      if (!ctx.raw) ctx.io.stdout(`[${index + 1}] ${step.function} skipped: ${hungUpBy} hung up the call\n`);
      continue;
    }
    records.push(await runStep(ctx, step, index));
  }
  const hangup = await runHook(ctx, 'hangup_hook');
  const hooksOk = (startup?.ok ?? true) && (hangup?.ok ?? true);
  const failed = records.filter((r) => !r.ok).length;
  const ok = failed === 0 && hooksOk;
  const globalData = { ...ctx.session.state.globalData };
  if (ctx.raw) {
    const json = (o: StepOutcome | undefined): unknown => (o ? stepJson(o, ctx.verbose) : null);
    const stepsJson = records.map((r) => ('skipped' in r ? r : stepJson(r, ctx.verbose)));
    emitJson(ctx.io, {
      call_id: ctx.session.identity.callId,
      ok,
      startup_hook: json(startup),
      steps: stepsJson,
      hangup_hook: json(hangup),
      global_data: globalData,
    });
  } else {
    const hooks = [startup ? 'startup_hook' : '', hangup ? 'hangup_hook' : ''].filter(Boolean).join(' + ') || 'no hooks';
    ctx.io.stdout(`global_data: ${JSON.stringify(globalData)}\n`);
    ctx.io.stdout(`${ok ? 'PASS' : 'FAIL'}: ${records.length - failed}/${records.length} step(s) ok (${hooks}${hooksOk ? '' : ', a hook failed'})\n`);
  }
  return ok ? 0 : EXIT_FAILURE;
}
