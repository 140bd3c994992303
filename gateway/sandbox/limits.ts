/** Resource limits applied through util-linux `prlimit`, which sets them and then execs the command. */
import { basename } from 'node:path';
import type { SandboxConfig } from '../config/schema.js';

/** True when the command is a Node.js binary (after `node` has been replaced by process.execPath). */
export function isNodeCommand(command: string): boolean {
  return command === process.execPath || /^node(js)?(\.exe)?$/.test(basename(command));
}

/**
 * Returns the `prlimit` argv prefix for a command. CPU, process and file-size limits follow the seed.
 * Memory: Node 20 reserves ~800 MB of address space at start and dies at once under a 512 MB RLIMIT_AS
 * ("Failed to reserve virtual memory for CodeRange", measured here), so for Node commands the same cap is
 * set as RLIMIT_DATA, which counts memory actually committed (heap) rather than reservations. Other
 * commands get RLIMIT_AS as in the seed.
 */
export function prlimitPrefix(command: string, limits: SandboxConfig['limits'], prlimitPath = 'prlimit'): string[] {
  const memory = isNodeCommand(command) ? `--data=${limits.max_memory_bytes}` : `--as=${limits.max_memory_bytes}`;
  return [
    prlimitPath,
    `--cpu=${limits.cpu_seconds}`,
    `--nproc=${limits.max_processes}`,
    `--fsize=${limits.max_file_size_bytes}`,
    memory,
    '--',
  ];
}
