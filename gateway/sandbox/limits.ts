/** Resource limits applied through util-linux `prlimit`, which sets them and then execs the command. */
import type { SandboxConfig } from '../config/schema.js';

/**
 * Returns the `prlimit` argv prefix. CPU, process and file-size limits follow the seed. Memory is RLIMIT_DATA
 * for every command: it counts memory a process has committed (heap, private writable mappings), not address
 * space it merely reserves, so V8, the JVM and Go, which reserve far more than they use at start-up, run
 * under it whatever launcher starts them (npx, env, a `#!/usr/bin/env node` shim, sh -c), while an allocation
 * past the cap fails. RLIMIT_AS (the seed's choice) kills Node at once under 512 MB (measured).
 */
export function prlimitPrefix(limits: SandboxConfig['limits'], prlimitPath = 'prlimit'): string[] {
  return [
    prlimitPath,
    `--cpu=${limits.cpu_seconds}`,
    `--nproc=${limits.max_processes}`,
    `--fsize=${limits.max_file_size_bytes}`,
    `--data=${limits.max_memory_bytes}`,
    '--',
  ];
}
