import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { UsageError } from '../shared/cli-error.js';
import { processIo, type CliIo } from '../shared/cli-io.js';
import { configureForIo, reportCliError } from '../shared/run-program.js';
import { dumpSwml, execOnce, listTools, type ActionContext } from './actions.js';
import { CallSession } from './call-session.js';
import { formatExchange } from './format.js';
import { newCallIdentity } from './payloads.js';
import { runRepl } from './repl.js';
import { loadScenario, scenarioCaller, type Scenario } from './scenario.js';
import { simulateCall } from './simulate-call.js';
import { splitArgv, type ExecRequest } from './split-argv.js';
import { openFileTarget, openUrlTarget, type AgentTarget } from './target.js';

/** Parsed options of one run (commander's view). */
export interface SwaigTestOptions {
  url?: string;
  agent?: string;
  listTools?: boolean;
  dumpSwml?: boolean;
  schema?: string;
  simulateCall?: boolean;
  scenario?: string;
  interactive?: boolean;
  expect?: string;
  callId?: string;
  callerName?: string;
  callerNumber?: string;
  raw?: boolean;
  verbose?: boolean;
  timeoutMs: number;
}

type Action = 'list' | 'dump' | 'exec' | 'simulate' | 'interactive';

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number of milliseconds ≥ 1');
  return n;
}

function packageVersion(): string {
  const raw = readFileSync(new URL('../../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(raw) as { version?: string }).version ?? '0.0.0';
}

/** Picks the one action of this run; usage errors name the conflicting flags. Default: --list-tools. */
export function chooseAction(opts: SwaigTestOptions, execs: readonly ExecRequest[]): Action {
  const simulate = opts.simulateCall === true || opts.scenario !== undefined;
  const chosen: Action[] = [];
  if (opts.listTools) chosen.push('list');
  if (opts.dumpSwml) chosen.push('dump');
  if (simulate) chosen.push('simulate');
  else if (execs.length > 0) chosen.push('exec');
  if (opts.interactive) chosen.push('interactive');
  if (chosen.length > 1) {
    throw new UsageError('choose one action: --list-tools, --dump-swml, --exec NAME, --simulate-call or --interactive', 'conflicting_actions');
  }
  const action = chosen[0] ?? 'list';
  if (action === 'exec' && execs.length > 1) throw new UsageError('several --exec steps need --simulate-call', 'conflicting_actions');
  if (action === 'simulate' && opts.scenario !== undefined && execs.length > 0) {
    throw new UsageError('--simulate-call: give a scenario file or --exec steps, not both', 'conflicting_actions');
  }
  if (action === 'simulate' && opts.scenario === undefined && execs.length === 0) {
    throw new UsageError('--simulate-call needs a scenario file (.json/.yaml) or one or more --exec NAME steps', 'missing_steps');
  }
  if (opts.expect !== undefined && action !== 'exec') throw new UsageError('--expect goes with a single --exec NAME (scenarios set expect per step)', 'conflicting_actions');
  if (opts.raw && action === 'interactive') throw new UsageError('--raw does not apply to --interactive', 'conflicting_actions');
  if (opts.schema !== undefined && action !== 'dump') throw new UsageError('--schema goes with --dump-swml', 'conflicting_actions');
  return action;
}

function openTarget(file: string | undefined, opts: SwaigTestOptions): Promise<AgentTarget> {
  if (file !== undefined && opts.url !== undefined) throw new UsageError('give either an agent file or --url, not both', 'conflicting_target');
  if (opts.url !== undefined) {
    if (opts.agent !== undefined) throw new UsageError('--agent goes with an agent file, not --url', 'conflicting_target');
    return Promise.resolve(openUrlTarget(opts.url));
  }
  if (file === undefined) throw new UsageError('give an agent file (e.g. agents/todo-agent.ts) or --url https://user:pass@host/route', 'missing_target');
  return openFileTarget(file, { agentName: opts.agent, timeoutMs: opts.timeoutMs });
}

async function run(io: CliIo, file: string | undefined, opts: SwaigTestOptions, execs: ExecRequest[]): Promise<number> {
  const action = chooseAction(opts, execs);
  const scenario: Scenario | undefined = opts.scenario === undefined ? undefined : loadScenario(opts.scenario);
  // Agent and embedded-gateway logs would bury the transcript; --verbose (or an explicit level) keeps them.
  if (!opts.verbose) {
    process.env.LOG_LEVEL ??= 'silent';
    process.env.MCP_LOG_LEVEL ??= 'ERROR';
  }
  const caller = scenario ? scenarioCaller(scenario) : {};
  const identity = newCallIdentity({
    callId: opts.callId ?? scenario?.call_id,
    callerName: opts.callerName ?? caller.name,
    callerNumber: opts.callerNumber ?? caller.number,
  });
  const target = await openTarget(file, opts);
  try {
    const onExchange = opts.verbose ? (exchange: Parameters<typeof formatExchange>[0]) => io.stderr(formatExchange(exchange)) : undefined;
    const session = new CallSession(target, identity, { timeoutMs: opts.timeoutMs, ...(onExchange ? { onExchange } : {}) });
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
  return configureForIo(new Command('swaig-test'), io)
    .description('Try a SignalWire AI agent without a phone: list its tools, dump and validate its SWML, call functions, simulate calls')
    .version(packageVersion())
    .argument('[agent-file]', 'agent file (.ts or .js) loaded in this process')
    .option('--url <url>', 'a running agent instead of a file: https://user:pass@host/route')
    .option('--agent <name>', 'which agent, when the file exports several (agent name or export name)')
    .option('--list-tools', 'list the functions with their parameters (the default action)')
    .option('--dump-swml', 'print the SWML for this call and validate it against the SWML schema')
    .option('--schema <path>', 'SWML schema for --dump-swml (default: the official schema vendored in the package)')
    .option('--exec <name>', 'call a function; unknown --name value pairs become its arguments (typed by its schema)')
    .option('--args <json>', 'arguments of the --exec before it, as a JSON object (--name value pairs override keys)')
    .option('--simulate-call', 'simulate a call: a scenario file (.json/.yaml) right after the flag, or repeated --exec NAME [--args JSON]')
    .addOption(new Option('--scenario <file>', 'scenario file for --simulate-call').hideHelp())
    .option('--expect <text>', 'with --exec: fail unless the response contains TEXT (or matches /regex/)')
    .option('--interactive', 'a small prompt to call functions one after another in the same call')
    .option('--call-id <id>', 'call id to use (default: a fresh uuid, printed so you can reuse it)')
    .option('--caller-name <name>', 'caller_id_name sent with every request')
    .option('--caller-number <number>', 'caller_id_num sent with every request (and call.from in the SWML fetch)')
    .option('--raw', 'machine-readable JSON only on stdout')
    .option('--verbose', 'print every request and response envelope on stderr; stack traces for failures')
    .option('--timeout-ms <ms>', 'per-request timeout, and how long to wait for the agent to be ready', positiveInt, 30_000)
    .addHelpText(
      'after',
      [
        '',
        'Function arguments: --exec add_todo --title milk --priority 2 (types follow the tool schema: integer, number,',
        'boolean, array = JSON or a,b,c, object = JSON). Option order does not matter; after a lone "--" every',
        '--name value pair is a function argument, even one named like an option above.',
        '',
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
  try {
    const split = splitArgv(argv, program);
    execs = split.execs;
    await program.parseAsync(split.argv, { from: 'user' });
    return status;
  } catch (error) {
    return reportCliError(error, { json: argv.includes('--raw'), verbose: argv.includes('--verbose') }, io);
  }
}
