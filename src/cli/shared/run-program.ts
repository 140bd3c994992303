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

/**
 * Parses `argv` (user arguments only, without `node` and the script) and runs the matching action.
 * Never exits the process: returns the exit status (0 ok, 1 runtime failure, 2 usage mistake).
 * A `CliError` is printed as `error: <message>`, or as `{"error","code"}` JSON on stdout when `--json` was given.
 */
export async function runProgram(program: Command, argv: readonly string[], io: CliIo): Promise<number> {
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    return reportError(error, argv.includes('--json'), io);
  }
}

function reportError(error: unknown, json: boolean, io: CliIo): number {
  if (error instanceof CommanderError) {
    // commander has already printed its message (or the help text) through writeErr/writeOut.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
    return error.exitCode === 0 ? 0 : EXIT_USAGE;
  }
  if (error instanceof CliError) {
    if (json) io.stdout(`${JSON.stringify(error.toJSON())}\n`);
    else io.stderr(`error: ${error.message}\n`);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  if (json) io.stdout(`${JSON.stringify({ error: message, code: 'unexpected_error' })}\n`);
  else io.stderr(`error: unexpected failure: ${message}\n`);
  if (error instanceof Error && error.stack && io.env.DEBUG) io.stderr(`${error.stack}\n`);
  return EXIT_FAILURE;
}
