/**
 * Turns a stdio service config into the exact argv, env and cwd to spawn for one session. The wrapper chain,
 * each step exec'ing the next in the same process (or, for the namespace tools, forking the server inside):
 *
 *   sh (joins the session cgroup) → setpriv --pdeathsig=SIGKILL → prlimit … → bwrap | unshare …
 *     → setpriv --reuid --regid --clear-groups --no-new-privs → server
 *
 * Which links are present follows the service's {@link SandboxPlan}; the death signal is always set where
 * setpriv exists (a SIGKILLed gateway takes its namespaces, and so every server process, with it).
 */
import { chmodSync, chownSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { ServiceConfig } from '../config/schema.js';
import { bwrapPrefix } from './bubblewrap.js';
import { SessionCgroup } from './cgroup.js';
import { codePaths } from './code-paths.js';
import { buildChildEnv } from './env.js';
import { hostCapabilities, unsharePrefix, type HostCapabilities } from './host.js';
import { prlimitPrefix } from './limits.js';
import { planSandbox, type SandboxPlan } from './plan.js';
import { deathSignalPrefix, dropPrefix, resolveRunAs, type RunAs } from './privileges.js';
import { allocateSessionUid, releaseSessionUid } from './session-uid.js';
import { which } from './which.js';

/** Everything needed to spawn one server process. */
export interface LaunchSpec {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** The server's own command at the end of the wrapper chain (checked before spawning). */
  program?: string;
  /** The session's cgroup, owned by whoever spawns this (kill-all and removal on close). */
  cgroup?: SessionCgroup;
  /** The memory cap in force, bytes, for the message when a server dies at it. */
  memoryBytes?: number;
  /** The per-session uid to give back once the server and its descendants are gone. */
  sessionUid?: number;
}

/** Where and how sessions are sandboxed; one per gateway. */
export interface SandboxEnvironment {
  host: HostCapabilities;
  /** Paths no server may see (config file, .env, TLS files, log file, session.sandbox_dir). */
  hidden: string[];
}

/** Joins each cgroup named before `--` (writing its own pid), then execs the rest. Needs no binary of ours. */
const JOIN_CGROUP = 'unset PWD OLDPWD; while [ "$1" != -- ]; do echo $$ > "$1" || exit 125; shift; done; shift; exec "$@"';

/** Hands the session folder to the server's user; its parent must be crossable (names stay random). */
function giveSessionDir(privateDir: string, runAs: RunAs): void {
  chmodSync(dirname(privateDir), 0o711);
  chownSync(privateDir, runAs.uid, runAs.gid);
}

/**
 * Builds the launch of a stdio service for one session. `privateDir` (per session, removed on close)
 * becomes HOME and TMPDIR when the sandbox restricts the env, and is owned by the server's uid.
 * `node` is replaced by `process.execPath` so the server runs on the gateway's own Node even with a minimal PATH.
 */
export function buildLaunch(
  service: ServiceConfig,
  privateDir: string | undefined,
  sandboxEnv: SandboxEnvironment = { host: hostCapabilities(), hidden: [] },
  parentEnv?: NodeJS.ProcessEnv,
): LaunchSpec {
  const [first, ...rest] = service.command;
  if (first === undefined) throw new Error('stdio service without a command');
  const command = first === 'node' ? process.execPath : first;
  const sandbox = service.sandbox;
  const plan: SandboxPlan = planSandbox(sandbox, sandboxEnv.host);
  const env = buildChildEnv({
    restricted: plan.enabled && sandbox.restricted_env,
    ...(privateDir === undefined ? {} : { homeDir: privateDir }),
    extra: service.env,
    ...(parentEnv === undefined ? {} : { parent: parentEnv }),
  });
  const cwd = sandbox.working_dir ?? process.cwd();
  const runAs =
    plan.uid === 'configured' && sandbox.user !== undefined ? resolveRunAs(sandbox.user) : plan.uid === 'per-session' ? allocateSessionUid() : undefined;
  const sessionUid = plan.uid === 'per-session' ? runAs?.uid : undefined;
  const inside = plan.isolation !== 'none';
  const host = sandboxEnv.host;
  const argv: string[] = [];

  let cgroup: SessionCgroup | undefined;
  try {
    if (runAs && privateDir !== undefined) giveSessionDir(privateDir, runAs);
    if (plan.cgroup !== undefined) {
      const name = privateDir === undefined ? `${service.command.join('_').slice(0, 40)}-${Date.now()}` : basename(privateDir);
      cgroup = SessionCgroup.create(host.cgroup, name, { memoryBytes: sandbox.limits.max_memory_bytes, pids: sandbox.limits.max_processes });
    }
  } catch (err) {
    // Nothing will run as this uid: hand it back.
    if (sessionUid !== undefined) releaseSessionUid(sessionUid);
    throw err;
  }
  if (cgroup !== undefined) argv.push('/bin/sh', '-c', JOIN_CGROUP, 'mcp-sandbox', ...cgroup.procsFiles, '--');
  if (host.setpriv !== undefined) argv.push(...deathSignalPrefix(inside ? undefined : runAs, host.setpriv));
  else if (runAs && !inside) argv.push(...dropPrefix(runAs));
  if (plan.rlimits) argv.push(...prlimitPrefix(sandbox.limits, host.prlimit));
  const executable = which(command, env.PATH) ?? command;
  if (plan.isolation === 'bwrap' && host.bwrap.ok) {
    argv.push(
      ...bwrapPrefix(
        {
          allowed: sandbox.allowed_paths ?? [],
          readonly: [...new Set([...sandbox.readonly_paths, cwd, ...codePaths([executable, ...rest], cwd)])],
          hidden: sandboxEnv.hidden,
          ...(privateDir === undefined ? {} : { sessionDir: privateDir }),
          workingDir: cwd,
          executable,
          dropInside: runAs !== undefined,
          tmpBytes: sandbox.limits.max_memory_bytes,
        },
        host.bwrap.path,
      ),
    );
  } else if (plan.isolation === 'unshare' && host.unshare.ok) {
    argv.push(...unsharePrefix(host.unshare.path, host.root));
  }
  if (runAs && inside) argv.push(...dropPrefix(runAs, host.setpriv));
  argv.push(command, ...rest);
  const [head, ...tail] = argv as [string, ...string[]];
  return {
    command: head,
    args: tail,
    env,
    cwd,
    program: command,
    ...(cgroup === undefined ? {} : { cgroup }),
    ...(plan.rlimits || plan.cgroup?.memory ? { memoryBytes: sandbox.limits.max_memory_bytes } : {}),
    ...(sessionUid === undefined ? {} : { sessionUid }),
  };
}
