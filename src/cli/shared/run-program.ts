import { CommanderError, type Command } from 'commander';
import { CliError, EXIT_FAILURE, EXIT_USAGE } from './cli-error.js';
import type { CliIo } from './cli-io.js';

/**
 * Routes a commander program's output to `io` and makes it throw instead of exiting, so the same program runs
 * from `main` and in-process. Call before adding subcommands: they inherit these settings.
 */
export function configureForIo(program: Command, io: CliIo): Command {
  return program
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
    })
    .showHelpAfterError('(run with --help for usage)');
}

/** How `runProgram` / `reportCliError` print a failure. */
export interface RunOptions {
  /** The flag that asks for machine-readable output (default `--json`): errors then go to stdout as JSON. */
  jsonFlag?: string;
  /** A flag that asks for stack traces of unexpected failures (default: none; env `DEBUG` always does). */
  verboseFlag?: string;
}

/**
 * Parses `argv` (user arguments only, without `node` and the script) and runs the matching action.
 * Never exits the process: returns the exit status (0 ok, 1 runtime failure, 2 usage mistake).
 * A `CliError` is printed as `error: <message>`, or as `{"error","code"}` JSON on stdout when `--json` was given.
 */
export async function runProgram(program: Command, argv: readonly string[], io: CliIo, opts: RunOptions = {}): Promise<number> {
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    const json = argv.includes(opts.jsonFlag ?? '--json');
    const verbose = opts.verboseFlag !== undefined && argv.includes(opts.verboseFlag);
    return reportCliError(error, { json, verbose }, io);
  }
}

/**
 * Prints a failure the way every CLI of ours does and returns its exit status. Commander errors were already
 * printed by commander; `CliError`s print their message (or JSON); anything else is an unexpected failure,
 * with its stack only when `verbose` or env `DEBUG` is set.
 */
export function reportCliError(error: unknown, opts: { json: boolean; verbose?: boolean }, io: CliIo): number {
  if (error instanceof CommanderError) {
    // commander has already printed its message (or the help text) through writeErr/writeOut.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
    return error.exitCode === 0 ? 0 : EXIT_USAGE;
  }
  const showStack = opts.verbose === true || Boolean(io.env.DEBUG);
  if (error instanceof CliError) {
    if (opts.json) io.stdout(`${JSON.stringify(error.toJSON())}\n`);
    else io.stderr(`error: ${error.message}\n`);
    const cause = error.cause;
    if (showStack && cause instanceof Error && cause.stack) io.stderr(`${cause.stack}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (opts.json) io.stdout(`${JSON.stringify({ error: message, code: 'unexpected_error' })}\n`);
  else io.stderr(`error: unexpected failure: ${message}\n`);
  if (error instanceof Error && error.stack && showStack) io.stderr(`${error.stack}\n`);
  return EXIT_FAILURE;
}
