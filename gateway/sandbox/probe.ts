/**
 * Start-up checks of what the configured sandboxes need from the host, run once per gateway: the layers each
 * service insists on (`sandbox.require`), a working `bwrap` for `allowed_paths`, existing paths and users.
 * A failure is a {@link SandboxUnavailableError} naming the service field, so start-up stops with a clear
 * message instead of every session failing later. What is in force (and missing) is returned per service.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ServiceConfig } from '../config/schema.js';
import { ConfigError } from '../errors.js';
import { resolveRunAs, type RunAs } from './privileges.js';
import type { HostCapabilities } from './host.js';
import { hasLayer, planSandbox, type SandboxPlan } from './plan.js';

/** The host cannot provide a sandbox feature a service asks for. */
export class SandboxUnavailableError extends ConfigError {
  constructor(message: string, field: string) {
    super(message, field);
    this.name = 'SandboxUnavailableError';
  }
}

/** Node starts ~11 threads, and RLIMIT_NPROC counts threads (of every process of the user). Measured here. */
export const NODE_THREADS = 11;

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

function checkService(name: string, svc: ServiceConfig, sandboxDir: string, host: HostCapabilities): SandboxPlan {
  const sb = svc.sandbox;
  const field = (key: string): string => `services.${name}.sandbox.${key}`;
  const plan = planSandbox(sb, host);
  for (const layer of sb.require) {
    if (hasLayer(plan, layer)) continue;
    const why = plan.missing.find((m) => m.layer === layer)?.why ?? "the service's own sandbox settings turn it off";
    throw new SandboxUnavailableError(`required layer "${layer}" is not available: ${why}`, field('require'));
  }
  if (sb.isolation === 'bwrap' && !host.bwrap.ok) throw new SandboxUnavailableError(host.bwrap.why, field('isolation'));
  if (sb.isolation === 'unshare' && !host.unshare.ok) throw new SandboxUnavailableError(host.unshare.why, field('isolation'));
  for (const key of ['allowed_paths', 'readonly_paths'] as const) {
    for (const path of sb[key] ?? []) {
      if (!existsSync(path)) throw new SandboxUnavailableError(`${path} does not exist`, field(key));
    }
  }
  if (sb.allowed_paths !== undefined && !host.bwrap.ok) {
    throw new SandboxUnavailableError(`${host.bwrap.why}; allowed_paths needs bubblewrap (Debian: apt-get install bubblewrap)`, field('allowed_paths'));
  }
  if (plan.uid !== 'gateway') checkUser(sb, plan, sandboxDir, host, field);
  return plan;
}

/** Any uid that is neither owner nor group of the host's folders: what a per-session uid is. */
const OTHER: RunAs = { uid: -1, gid: -1, spec: 'a per-session uid' };

function checkUser(sb: ServiceConfig['sandbox'], plan: SandboxPlan, sandboxDir: string, host: HostCapabilities, field: (key: string) => string): void {
  let runAs = OTHER;
  if (sb.user !== undefined) {
    if (host.setpriv === undefined) throw new SandboxUnavailableError('setpriv (util-linux) is not on PATH', field('user'));
    try {
      runAs = resolveRunAs(sb.user);
    } catch (err) {
      throw new SandboxUnavailableError((err as Error).message, field('user'));
    }
    if (!host.root && process.getuid?.() !== runAs.uid) {
      throw new SandboxUnavailableError('switching to another user needs the gateway to run as root', field('user'));
    }
  }
  const who = sb.user === undefined ? 'a per-session uid' : `user "${sb.user}" (uid ${runAs.uid})`;
  // Under bubblewrap the folders above the session folder are made for the server; elsewhere they are the host's.
  const blocked = plan.isolation === 'bwrap' ? undefined : blockedAncestor(sandboxDir, runAs);
  if (blocked) {
    throw new SandboxUnavailableError(
      `${who} cannot reach its session folders: ${blocked.path} has mode ${blocked.mode}; ` + 'make it crossable (chmod o+x) or move session.sandbox_dir',
      field(sb.user === undefined ? 'isolation' : 'user'),
    );
  }
  checkThreads(sb, field, sb.user === undefined ? 'the session' : `every session of user "${sb.user}"`);
}

/** RLIMIT_NPROC counts threads: a cap below what one runtime starts would stop every server at start-up. */
function checkThreads(sb: ServiceConfig['sandbox'], field: (key: string) => string, whose: string): void {
  if (sb.resource_limits && sb.limits.max_processes < NODE_THREADS + 5) {
    throw new SandboxUnavailableError(
      `a Node server starts ~${NODE_THREADS} threads (npx two such processes) and RLIMIT_NPROC counts every thread of ${whose}; ` +
        `raise max_processes to at least ${NODE_THREADS + 5} (default 64)`,
      field('limits.max_processes'),
    );
  }
}

/**
 * Checks every enabled, sandboxed stdio service (`sandboxDir` = `session.sandbox_dir`); throws
 * SandboxUnavailableError on the first problem, else returns each service's plan.
 */
export function probeSandboxes(services: Record<string, ServiceConfig>, sandboxDir: string, host: HostCapabilities): Record<string, SandboxPlan> {
  const plans: Record<string, SandboxPlan> = {};
  for (const [name, svc] of Object.entries(services)) {
    if (svc.type === 'stdio' && svc.enabled) plans[name] = svc.sandbox.enabled ? checkService(name, svc, sandboxDir, host) : planSandbox(svc.sandbox, host);
  }
  return plans;
}
