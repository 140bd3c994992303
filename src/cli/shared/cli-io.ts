/**
 * Where a CLI run reads its environment and writes its output. `main` passes the real process; tests pass
 * collectors and an explicit env so commands run in-process without touching `process.env`.
 */
export interface CliIo {
  /** Writes to standard output; the text carries its own newlines. */
  stdout(text: string): void;
  /** Writes to standard error; the text carries its own newlines. */
  stderr(text: string): void;
  /** Environment used for option fallbacks (e.g. SIGNALWIRE_PROJECT_ID). */
  env: NodeJS.ProcessEnv;
}

/** The io of the running process. */
export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    env: process.env,
  };
}

/** An io that records output in memory, for in-process runs (tests, embedding). */
export function memoryIo(env: NodeJS.ProcessEnv = {}): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    env,
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
  };
}
