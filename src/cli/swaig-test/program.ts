import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { UsageError } from '../shared/cli-error.js';
import { processIo, type CliIo } from '../shared/cli-io.js';
import { configureForIo, reportCliError } from '../shared/run-program.js';
import { dumpSwml, execOnce, listTools, type ActionContext } from './actions.js';
import { CallSession } from './call-session.js';
import { formatExchange } from './format.js';
import { EXAMPLES_HELP, PLATFORMS_HELP } from './help-texts.js';
import { listAgents } from './list-agents.js';
import { declareOptions, type SwaigTestOptions } from './options.js';
import { newCallIdentity } from './payloads.js';
import { runRepl } from './repl.js';
import { environmentFrom, identityOptionsFrom, rejectServerless, requestShapeFrom } from './run-options.js';
import { loadScenario, scenarioCaller, type Scenario } from './scenario.js';
import { simulateCall } from './simulate-call.js';
import { splitArgv, type ExecRequest } from './split-argv.js';
import { openFileTarget, openUrlTarget, type AgentTarget } from './target.js';

export type { SwaigTestOptions } from './options.js';

type Action = 'agents' | 'list' | 'dump' | 'exec' | 'simulate' | 'interactive';

function packageVersion(): string {
  const raw = readFileSync(new URL('../../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(raw) as { version?: string }).version ?? '0.0.0';
}

/** Picks the one action of this run; usage errors name the conflicting flags. Default: --list-tools. */
export function chooseAction(opts: SwaigTestOptions, execs: readonly ExecRequest[]): Action {
  const simulate = opts.simulateCall === true || opts.scenario !== undefined;
  const chosen: Action[] = [];
  if (opts.listAgents) chosen.push('agents');
  if (opts.listTools) chosen.push('list');
  if (opts.dumpSwml) chosen.push('dump');
  if (simulate) chosen.push('simulate');
  else if (execs.length > 0) chosen.push('exec');
  if (opts.interactive) chosen.push('interactive');
  if (chosen.length > 1) {
    throw new UsageError('choose one action: --list-agents, --list-tools, --dump-swml, --exec NAME, --simulate-call or --interactive', 'conflicting_actions');
  }
  const action = chosen[0] ?? 'list';
  if (action === 'exec' && execs.length > 1) throw new UsageError('several --exec steps need --simulate-call', 'conflicting_actions');
  if (action === 'simulate' && opts.scenario !== undefined && execs.length > 0) {
    throw new UsageError('--simulate-call: give a scenario file or --exec steps, not both', 'conflicting_actions');
  }
  if (action === 'simulate' && opts.scenario === undefined && execs.length === 0) {
    throw new UsageError('--simulate-call needs a scenario file (.json/.yaml) or one or more --exec NAME steps', 'missing_steps');
  }
  if (opts.expect !== undefined && action !== 'exec')
    throw new UsageError('--expect goes with a single --exec NAME (scenarios set expect per step)', 'conflicting_actions');
  if (opts.raw && action === 'interactive') throw new UsageError('--raw does not apply to --interactive', 'conflicting_actions');
  if (opts.schema !== undefined && action !== 'dump') throw new UsageError('--schema goes with --dump-swml', 'conflicting_actions');
  return action;
}

function checkSelection(file: string | undefined, opts: SwaigTestOptions): void {
  if (file !== undefined && opts.url !== undefined) throw new UsageError('give either an agent file or --url, not both', 'conflicting_target');
  const selectors = (['agent', 'agentClass', 'route'] as const).filter((key) => opts[key] !== undefined);
  const flag = { agent: '--agent', agentClass: '--agent-class', route: '--route' } as const;
  if (selectors.length > 1) throw new UsageError(`choose one of ${selectors.map((k) => flag[k]).join(' and ')}`, 'conflicting_target');
  if (opts.url !== undefined && selectors[0] !== undefined) {
    throw new UsageError(`${flag[selectors[0]]} goes with an agent file, not --url (the URL already names the agent)`, 'conflicting_target');
  }
  if (opts.url !== undefined && ((opts.env ?? []).length > 0 || opts.envFile !== undefined)) {
    throw new UsageError('--env and --env-file set the environment of an agent file run here; they cannot reach an agent at --url', 'conflicting_target');
  }
  if (opts.url === undefined && file === undefined) {
    throw new UsageError('give an agent file (e.g. agents/todo-agent.ts) or --url https://user:pass@host/route', 'missing_target');
  }
}

function openTarget(file: string | undefined, opts: SwaigTestOptions): Promise<AgentTarget> {
  if (opts.url !== undefined) return Promise.resolve(openUrlTarget(opts.url));
  return openFileTarget(file as string, { selector: { agent: opts.agent, agentClass: opts.agentClass, route: opts.route }, timeoutMs: opts.timeoutMs });
}

async function run(io: CliIo, file: string | undefined, opts: SwaigTestOptions, execs: ExecRequest[]): Promise<number> {
  rejectServerless(opts);
  const action = chooseAction(opts, execs);
  checkSelection(file, opts);
  const shape = requestShapeFrom(opts);
  const identityOptions = identityOptionsFrom(opts);
  const scenario: Scenario | undefined = opts.scenario === undefined ? undefined : loadScenario(opts.scenario);
  // The agent file reads its environment when it is imported, so --env/--env-file apply before loading it.
  Object.assign(process.env, environmentFrom(opts));
  // Agent and embedded-gateway logs would bury the transcript; --verbose (or an explicit level) keeps them.
  if (!opts.verbose) {
    process.env.LOG_LEVEL ??= 'silent';
    process.env.MCP_LOG_LEVEL ??= 'ERROR';
  }
  if (action === 'agents') {
    if (opts.url !== undefined) throw new UsageError('--list-agents reads an agent file, not --url', 'conflicting_target');
    return listAgents(io, file as string, opts.raw === true);
  }
  const caller = scenario ? scenarioCaller(scenario) : {};
  const identity = newCallIdentity({
    ...identityOptions,
    callId: identityOptions.callId ?? scenario?.call_id,
    callerName: identityOptions.callerName ?? caller.name,
    callerNumber: identityOptions.callerNumber ?? caller.number,
  });
  const target = await openTarget(file, opts);
  try {
    const onExchange = opts.verbose ? (exchange: Parameters<typeof formatExchange>[0]) => io.stderr(formatExchange(exchange)) : undefined;
    const session = new CallSession(target, identity, { timeoutMs: opts.timeoutMs, shape, ...(onExchange ? { onExchange } : {}) });
    const ctx: ActionContext = { io, raw: opts.raw === true, verbose: opts.verbose === true, session };
    switch (action) {
      case 'list':
        return await listTools(ctx);
      case 'dump':
        return await dumpSwml(ctx, opts.schema);
      case 'exec':
        return await execOnce(ctx, execs[0] as ExecRequest, opts.expect);
      case 'simulate':
        return await simulateCall(ctx, scenario ? { scenario: scenario.steps } : { execs });
      case 'interactive':
        return await runRepl(ctx);
    }
  } finally {
    await target.close();
  }
}

/** Builds the `swaig-test` program; `onRun` receives the agent file and parsed options. */
export function buildProgram(io: CliIo, onRun: (file: string | undefined, opts: SwaigTestOptions) => Promise<void>): Command {
  const program = configureForIo(new Command('swaig-test'), io)
    .description('Try a SignalWire AI agent without a phone: list its tools, dump and validate its SWML, call functions, simulate calls')
    .version(packageVersion())
    .argument('[agent-file]', 'agent file (.ts or .js) loaded in this process')
    .usage("[agent-file] [options] [function [--param value ...] | '{json args}']");
  return declareOptions(program)
    .addHelpText(
      'after',
      [
        '',
        'Function arguments: --exec add_todo --title milk --priority 2, or add_todo as a positional name (types follow',
        "the tool schema: integer, number, boolean, array = JSON or a,b,c, object = JSON). Only the function's declared",
        'parameters are taken: any other --name is an unknown option (exit 2). Option order does not matter; after a',
        'lone "--" every --name value pair is a function argument, even one named like an option above.',
        '',
        "More: --help-examples (usage examples), --help-platforms (the Python CLI's serverless flags).",
        'Exit status: 0 ok, 1 a function or step failed or the SWML has schema errors, 2 usage error.',
      ].join('\n'),
    )
    .action(async (file: string | undefined, opts: SwaigTestOptions) => onRun(file, opts));
}

/**
 * Runs `swaig-test` with `argv` (user arguments only) and returns the exit status: 0 ok, 1 a function/step
 * failed or schema errors, 2 usage error. Never calls `process.exit`; closes any agent it loaded.
 */
export async function runSwaigTest(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let status = 0;
  let execs: ExecRequest[] = [];
  const program = buildProgram(io, async (file, opts) => {
    status = await run(io, file, opts, execs);
  });
  // As the Python CLI, these print their page whatever else is on the line.
  if (argv.includes('--help-platforms')) {
    io.stdout(PLATFORMS_HELP);
    return 0;
  }
  if (argv.includes('--help-examples')) {
    io.stdout(EXAMPLES_HELP);
    return 0;
  }
  try {
    const split = splitArgv(argv, program);
    execs = split.execs;
    await program.parseAsync(split.argv, { from: 'user' });
    return status;
  } catch (error) {
    return reportCliError(error, { json: argv.includes('--raw'), verbose: argv.includes('--verbose') || argv.includes('-v') }, io);
  }
}
