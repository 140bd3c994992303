import { spawnSync } from 'node:child_process';
import { runCommand, type CommandResult } from '../helpers/processes.js';

export { ROOT } from '../helpers/paths.js';

/** Runs a command from the repo root and collects its output (never throws on a non-zero exit). */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<CommandResult> {
  return runCommand(command, args, { env });
}

/** True when `name` is an executable on PATH. */
export function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}
