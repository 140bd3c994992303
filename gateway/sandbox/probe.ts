/**
 * Start-up checks of what the configured sandboxes need from the host, run once per gateway: `prlimit` for
 * resource limits, `setpriv` for privilege drop, a working `bwrap` for `allowed_paths`, existing paths and
 * users. A failure is a {@link SandboxUnavailableError} naming the service field, so start-up stops with a
 * clear message instead of every session failing later.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ServiceConfig } from '../config/schema.js';
import { ConfigError } from '../errors.js';
import { isNodeCommand } from './limits.js';
import { resolveRunAs, type RunAs } from './privileges.js';
import { which } from './which.js';

/** The host cannot provide a sandbox feature a service asks for. */
export class SandboxUnavailableError extends ConfigError {
  constructor(message: string, field: string) {
    super(message, field);
    this.name = 'SandboxUnavailableError';
  }
}

/** Node starts ~11 threads, and RLIMIT_NPROC counts threads (of every process of the user). Measured here. */
export const NODE_THREADS = 11;

let bwrapResult: string | undefined | null = null;

/** Runs bwrap once with the options the gateway uses; returns undefined when it works, else why not. Cached. */
export function bwrapProblem(): string | undefined {
  if (bwrapResult !== null) return bwrapResult;
  const bwrap = which('bwrap');
  if (bwrap === undefined) {
    bwrapResult = 'bubblewrap (bwrap) is not installed; install it (Debian: apt-get install bubblewrap) or remove allowed_paths';
    return bwrapResult;
  }
  const run = spawnSync(bwrap, ['--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--unshare-pid', '--die-with-parent', 'true'], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  const why = (run.stderr || run.error?.message || `exit ${String(run.status)}`).trim().slice(0, 300);
  bwrapResult = run.status === 0 ? undefined : `bubblewrap cannot run on this host (${why}); allowed_paths needs user namespaces or a setuid bwrap`;
  return bwrapResult;
}

/** The first existing folder on the way to `dir` that `runAs` cannot cross, if any. */
function blockedAncestor(dir: string, runAs: RunAs): { path: string; mode: string } | undefined {
  const chain: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    chain.unshift(d);
    if (dirname(d) === d) break;
  }
  for (const path of chain) {
    let st;
    try {
      st = statSync(path);
    } catch {
      return undefined; // created later by the gateway, crossable by then
    }
    const bit = st.uid === runAs.uid ? 0o100 : st.gid === runAs.gid ? 0o010 : 0o001;
    if ((st.mode & bit) === 0) return { path, mode: (st.mode & 0o777).toString(8) };
  }
  return undefined;
}

function checkService(name: string, svc: ServiceConfig, sandboxDir: string): void {
  const sb = svc.sandbox;
  const field = (key: string): string => `services.${name}.sandbox.${key}`;
  if (sb.resource_limits && which('prlimit') === undefined) {
    throw new SandboxUnavailableError('prlimit (util-linux) is not on PATH; install it or set resource_limits to false', field('resource_limits'));
  }
  for (const key of ['allowed_paths', 'readonly_paths'] as const) {
    for (const path of sb[key] ?? []) {
      if (!existsSync(path)) throw new SandboxUnavailableError(`${path} does not exist`, field(key));
    }
  }
  if (sb.allowed_paths !== undefined) {
    const problem = bwrapProblem();
    if (problem !== undefined) throw new SandboxUnavailableError(problem, field('allowed_paths'));
  }
  if (sb.user === undefined) return;
  if (which('setpriv') === undefined) throw new SandboxUnavailableError('setpriv (util-linux) is not on PATH', field('user'));
  let runAs;
  try {
    runAs = resolveRunAs(sb.user);
  } catch (err) {
    throw new SandboxUnavailableError((err as Error).message, field('user'));
  }
  if (process.getuid?.() !== 0 && process.getuid?.() !== runAs.uid) {
    throw new SandboxUnavailableError('switching to another user needs the gateway to run as root', field('user'));
  }
  const blocked = blockedAncestor(sandboxDir, runAs);
  if (blocked) {
    throw new SandboxUnavailableError(
      `user "${sb.user}" (uid ${runAs.uid}) cannot reach its session folders: ${blocked.path} has mode ${blocked.mode}; ` +
        'make it crossable (chmod o+x) or move session.sandbox_dir',
      field('user'),
    );
  }
  const first = svc.command[0] === 'node' ? process.execPath : (svc.command[0] ?? '');
  if (sb.resource_limits && isNodeCommand(first) && sb.limits.max_processes < NODE_THREADS + 5) {
    throw new SandboxUnavailableError(
      `Node servers start ~${NODE_THREADS} threads and RLIMIT_NPROC counts every thread of user "${sb.user}" across all ` +
        `sessions; raise max_processes (e.g. ${(NODE_THREADS + 5) * 10} for 10 concurrent sessions)`,
      field('limits.max_processes'),
    );
  }
}

/**
 * Checks every enabled, sandboxed stdio service (`sandboxDir` = `session.sandbox_dir`); throws
 * SandboxUnavailableError on the first problem.
 */
export function probeSandboxes(services: Record<string, ServiceConfig>, sandboxDir: string): void {
  for (const [name, svc] of Object.entries(services)) {
    if (svc.type === 'stdio' && svc.enabled && svc.sandbox.enabled) checkService(name, svc, sandboxDir);
  }
}
