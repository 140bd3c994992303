import { join } from 'node:path';
import { ROOT } from '../../helpers/paths.js';
import { envWithout, runCommand, type CommandResult } from '../../helpers/processes.js';

const BIN = join(ROOT, 'bin/signalwire-agent.js');

/**
 * Runs `node bin/signalwire-agent.js …args` from the repo root as a child process and collects its output and
 * exit code. Its environment is this one without any SIGNALWIRE_* variable of the developer's shell, plus `env`.
 */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CommandResult> {
  return runCommand(process.execPath, [BIN, ...args], { env: envWithout(/^SIGNALWIRE_/, env) });
}
