/** Exit status for a run that failed at runtime (API error, call failed, credentials refused). */
export const EXIT_FAILURE = 1;
/** Exit status for a usage mistake (unknown option, malformed argument, missing credential). */
export const EXIT_USAGE = 2;

/**
 * A user-facing CLI failure. Commands throw it; the runner prints `error: <message>` and returns `exitCode`.
 * `code` is a stable snake_case identifier (also printed with `--json`) so scripts need not parse messages.
 */
export class CliError extends Error {
  readonly code: string;
  readonly exitCode: number;

  constructor(message: string, code: string, exitCode: number = EXIT_FAILURE, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliError';
    this.code = code;
    this.exitCode = exitCode;
  }

  /** The machine-readable form printed with `--json`. */
  toJSON(): { error: string; code: string } {
    return { error: this.message, code: this.code };
  }
}

/** A usage mistake: exits with status 2. */
export class UsageError extends CliError {
  constructor(message: string, code = 'usage_error') {
    super(message, code, EXIT_USAGE);
    this.name = 'UsageError';
  }
}
