/** Child processes for tests: run a command to completion, spawn a long-lived one, and look processes up in /proc. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { waitFor } from './net.js';
import { ROOT } from './paths.js';

/** What a finished command printed and how it exited. */
export interface CommandResult {
  /** Exit code; null when a signal ended it. */
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Options of `runCommand`. */
export interface RunCommandOptions {
  /** Working directory (default: the repo root). */
  cwd?: string;
  /** Environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Written to stdin, which is then closed; without it stdin is /dev/null. */
  input?: string;
}

/** Runs a command to its exit and collects its output (never rejects on a non-zero exit; rejects if it cannot start). */
export function runCommand(command: string, args: string[], opts: RunCommandOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const stdin = opts.input === undefined ? 'ignore' : 'pipe';
    const child = spawn(command, args, { cwd: opts.cwd ?? ROOT, env: opts.env ?? process.env, stdio: [stdin, 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** This process's environment without the variables whose names match `drop`, plus `extra`. */
export function envWithout(drop: RegExp, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!drop.test(key)) env[key] = value;
  return { ...env, ...extra };
}

/** Options of `spawnCollecting`. */
export interface SpawnOptions {
  /** Working directory (default: the repo root). */
  cwd?: string;
  /** Environment (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** Start the child as the leader of its own process group; `stop()` then signals the whole group. */
  detached?: boolean;
}

/** A running child whose output is collected. */
export interface CollectingChild {
  child: ChildProcess;
  /** Resolves with the exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  output(): { stdout: string; stderr: string };
  /**
   * Resolves with the first match of `re` in stderr, else stdout; rejects once the child has exited without it,
   * or after `timeoutMs` (default 20 s).
   */
  waitForOutput(re: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** `signal` (default SIGTERM) to the child (its group when detached) unless it has ended, then waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Spawns a long-lived child (stdin /dev/null) and collects its output. */
export function spawnCollecting(command: string, args: string[], opts: SpawnOptions = {}): CollectingChild {
  const detached = opts.detached ?? false;
  const child = spawn(command, args, { cwd: opts.cwd ?? ROOT, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], detached });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // 'close' comes after the last output chunk: from then on no match can arrive.
  let closed = false;
  child.once('close', () => (closed = true));
  const match = (re: RegExp): RegExpExecArray | null => {
    const found = re.exec(stderr) ?? re.exec(stdout);
    if (!found && closed) throw new Error(`${command} exited (${child.exitCode ?? child.signalCode}) before printing ${re}:\n${stderr}`);
    return found;
  };
  return {
    child,
    exited,
    output: () => ({ stdout, stderr }),
    waitForOutput: (re, timeoutMs = 20_000) => waitFor(() => match(re), `output ${re}`, timeoutMs),
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        if (detached) killGroup(child.pid, signal);
        else child.kill(signal);
      }
      return exited;
    },
  };
}

/** Sends `signal` to process group `pgid` (one this test started); a group that is already gone is fine. */
export function killGroup(pgid: number, signal: NodeJS.Signals = 'SIGTERM'): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}

/** The fields of /proc/<pid>/stat the tests use. */
export interface ProcStat {
  pid: number;
  /** One letter: R, S, D, Z (zombie), X (dead), ... */
  state: string;
  ppid: number;
  pgid: number;
}

/** /proc/<pid>/stat, or undefined once the process is gone (a zombie is still there until reaped). */
export function procStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces and parentheses: the fields start after the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid, state: fields[0] ?? '?', ppid: Number(fields[1]), pgid: Number(fields[2]) };
  } catch {
    return undefined;
  }
}

/** Every process /proc lists now (any state, zombies included). */
function allProcesses(): ProcStat[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map((name) => procStat(Number(name)))
    .filter((s): s is ProcStat => s !== undefined);
}

/** True while /proc has an entry for `pid` (zombies count: they have not been reaped). */
export function processExists(pid: number): boolean {
  return procStat(pid) !== undefined;
}

/** Pids of every process (any state, zombies included) whose process group is `pgid`. */
export function groupMembers(pgid: number): number[] {
  return allProcesses()
    .filter((s) => s.pgid === pgid)
    .map((s) => s.pid);
}

/** Every descendant of `root` (children, grandchildren, ...; zombies included), from one /proc snapshot. */
export function descendants(root: number): number[] {
  const all = allProcesses();
  const out: number[] = [];
  let frontier = [root];
  while (frontier.length > 0) {
    const next = all.filter((s) => frontier.includes(s.ppid)).map((s) => s.pid);
    out.push(...next);
    frontier = next;
  }
  return out;
}

/** Waits (as `waitFor`) until the process and its whole group are gone. */
export async function expectGroupGone(pid: number): Promise<void> {
  await waitFor(() => !processExists(pid) && groupMembers(pid).length === 0, `process group ${pid} to be gone`);
}
