/**
 * What this host can give a sandbox, probed once per process by running each mechanism for real: a
 * bubblewrap or util-linux `unshare` pid + mount namespace, root (for a distinct uid per session), `setpriv`
 * and `prlimit`, and a cgroup the gateway may create children in (memory cap, pids cap, kill-all).
 */
import { spawnSync } from 'node:child_process';
import { which } from './which.js';
import { detectCgroups, type CgroupSupport } from './cgroup-support.js';

/** One probed mechanism: usable, or why not. */
export type Probe = { ok: true; path: string } | { ok: false; why: string };

export interface HostCapabilities {
  root: boolean;
  bwrap: Probe;
  unshare: Probe;
  setpriv: string | undefined;
  prlimit: string | undefined;
  cgroup: CgroupSupport;
}

function tryRun(command: string, args: string[], missing: string): Probe {
  const path = which(command);
  if (path === undefined) return { ok: false, why: missing };
  const run = spawnSync(path, [...args, 'true'], { encoding: 'utf8', timeout: 10_000 });
  if (run.status === 0) return { ok: true, path };
  const why = (run.stderr || run.error?.message || `exit ${String(run.status)}`).trim().split('\n')[0]?.slice(0, 200) ?? '';
  return { ok: false, why: `${command} cannot create namespaces here (${why})` };
}

/** The bwrap options the gateway relies on, run once. */
export const BWRAP_PROBE_ARGS = ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-pid', '--unshare-ipc', '--die-with-parent'];

function unshareArgs(root: boolean): string[] {
  // Without root a user namespace is needed to create the others.
  return [...(root ? [] : ['--user', '--map-root-user']), '--pid', '--fork', '--kill-child', '--mount-proc'];
}

let cached: HostCapabilities | undefined;

/** Probes the host (cached; `refresh` probes again, for tests that change PATH). */
export function hostCapabilities(refresh = false): HostCapabilities {
  if (cached && !refresh) return cached;
  const root = process.getuid?.() === 0;
  cached = {
    root,
    bwrap: tryRun('bwrap', BWRAP_PROBE_ARGS, 'bubblewrap (bwrap) is not installed'),
    unshare: tryRun('unshare', unshareArgs(root), 'unshare (util-linux) is not installed'),
    setpriv: which('setpriv'),
    prlimit: which('prlimit'),
    cgroup: detectCgroups(),
  };
  return cached;
}

/** The `unshare` argv prefix: own pid namespace with its own /proc, killed with its leader. */
export function unsharePrefix(path: string, root: boolean): string[] {
  return [path, ...unshareArgs(root), '--'];
}
