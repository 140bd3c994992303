import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import { processIo, type CliIo } from '../shared/cli-io.js';
import { configureForIo, runProgram } from '../shared/run-program.js';
import { bindNumber, formatBind, formatShow, showNumber, type BindOptions } from './number-commands.js';
import { formatTestCall, placeTestCall, type TestCallOptions } from './test-call.js';

function integer(min: number) {
  return (value: string): number => {
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min) throw new InvalidArgumentError(`expected an integer ≥ ${min}`);
    return parsed;
  };
}

function packageVersion(): string {
  const raw = readFileSync(new URL('../../../package.json', import.meta.url), 'utf8');
  return (JSON.parse(raw) as { version?: string }).version ?? '0.0.0';
}

function withCredentials(command: Command): Command {
  return command
    .option('--project <id>', 'SignalWire project id (env SIGNALWIRE_PROJECT_ID)')
    .option('--token <token>', 'SignalWire API token (env SIGNALWIRE_API_TOKEN)');
}

function withRest(command: Command): Command {
  return withCredentials(command)
    .option('--space <name>', 'space NAME of NAME.signalwire.com (env SIGNALWIRE_SPACE)')
    .addOption(new Option('--api-base <url>', 'REST base URL, overrides --space (env SIGNALWIRE_API_BASE)'))
    .option('--timeout-ms <ms>', 'per-request timeout in milliseconds', integer(1), 15_000)
    .option('--json', 'print the result as JSON');
}

function emit(io: CliIo, json: boolean | undefined, result: unknown, text: string): void {
  io.stdout(json ? `${JSON.stringify(result, null, 2)}\n` : text);
}

function warn(io: CliIo, warnings: readonly string[]): void {
  for (const warning of warnings) io.stderr(`warning: ${warning}\n`);
}

function addNumberCommands(program: Command, io: CliIo): void {
  const number = program.command('number').description('inspect and bind SignalWire phone numbers (REST API)');

  withRest(number.command('show').description('show where calls to a number go'))
    .argument('<number>', 'E.164 number (+15551234567) or phone number id')
    .action(async (ref: string, opts: BindOptions & { json?: boolean }) => {
      const result = await showNumber(ref, opts, io.env);
      emit(io, opts.json, result, formatShow(result));
    });

  withRest(number.command('bind').description('point a number at your agent: SignalWire fetches SWML from --url'))
    .argument('<number>', 'E.164 number (+15551234567) or phone number id')
    .requiredOption('--url <url>', 'agent URL with credentials, e.g. https://user:pass@agent.example.com/')
    .option('--dry-run', 'look the number up and print the update without sending it')
    .action(async (ref: string, opts: BindOptions & { json?: boolean }) => {
      const result = await bindNumber(ref, opts, io.env);
      warn(io, result.warnings);
      emit(io, opts.json, result, formatBind(result));
    });
}

function addTestCallCommand(program: Command, io: CliIo): void {
  withCredentials(program.command('test-call').description('place a real call over RELAY: dial, wait for the answer, report, hang up'))
    .requiredOption('--to <e164>', 'number to call, e.g. the one bound to your agent')
    .requiredOption('--from <e164>', 'caller id: a number of your project')
    .option('--say <text>', 'speak this text (TTS) once the call is answered')
    .option('--timeout-ms <ms>', 'connect timeout, also slack for every later wait', integer(1), 15_000)
    .option('--ring-timeout <s>', 'seconds to let the number ring', integer(1), 30)
    .option('--hold-ms <ms>', 'stay on the call this long before hanging up (unless the far end hangs up)', integer(0), 0)
    .option('--relay-host <host>', 'RELAY host or ws(s):// URL (env SIGNALWIRE_RELAY_HOST)')
    .option('--json', 'print the result as JSON (progress goes to stderr)')
    .option('--verbose', 'SDK debug logging')
    .action(async (opts: TestCallOptions & { json?: boolean }) => {
      const progress = (line: string): void => (opts.json ? io.stderr(`${line}\n`) : io.stdout(`${line}\n`));
      const result = await placeTestCall(opts, io.env, progress);
      emit(io, opts.json, result, formatTestCall(result));
    });
}

/** Builds a fresh `signalwire-agent` program whose output goes to `io`. */
export function buildProgram(io: CliIo): Command {
  const program = configureForIo(new Command('signalwire-agent'), io)
    .description('Connect a SignalWire phone number to your agent and place test calls')
    .version(packageVersion());
  addNumberCommands(program, io);
  addTestCallCommand(program, io);
  return program;
}

/**
 * Runs `signalwire-agent` with `argv` (user arguments only) and returns the exit status: 0 ok, 1 failure,
 * 2 usage mistake. Never calls `process.exit`.
 */
export async function runSignalwireAgent(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  return runProgram(buildProgram(io), argv, io);
}
