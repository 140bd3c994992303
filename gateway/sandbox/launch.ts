/**
 * Turns a stdio service config into the exact argv, env and cwd to spawn. The wrapper chain, each step
 * exec'ing the next in the same process:
 *
 *   setpriv --pdeathsig=SIGKILL [--reuid --regid --clear-groups] → prlimit … → bwrap … → setpriv --reuid … → server
 *
 * The death signal always applies (a SIGKILLed gateway leaves no orphans); privilege drop happens in the first
 * setpriv, or inside bwrap when `allowed_paths` is set (bwrap needs root to build the view); limits, bwrap and
 * the drop only when the sandbox is enabled. Missing `setpriv` (not Linux) skips the death signal.
 */
import { chmodSync, chownSync } from 'node:fs';
import { dirname } from 'node:path';
import type { ServiceConfig } from '../config/schema.js';
import { bwrapPrefix } from './bubblewrap.js';
import { buildChildEnv } from './env.js';
import { prlimitPrefix } from './limits.js';
import { deathSignalPrefix, dropPrefix, resolveRunAs, type RunAs } from './privileges.js';
import { which } from './which.js';

/** Everything needed to spawn one server process. */
export interface LaunchSpec {
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  /** The server's own command at the end of the wrapper chain (checked before spawning). */
  program?: string;
}

let setprivPath: string | undefined | null = null;
const setpriv = (): string | undefined => (setprivPath === null ? (setprivPath = which('setpriv')) : setprivPath);

/** Hands the session folder to the server's user; its parent must be crossable (names stay random). */
function giveSessionDir(privateDir: string, runAs: RunAs): void {
  chmodSync(dirname(privateDir), 0o711);
  chownSync(privateDir, runAs.uid, runAs.gid);
}

/**
 * Builds the launch of a stdio service for one session. `privateDir` (per session, removed on close)
 * becomes HOME and TMPDIR when the sandbox restricts the env, and is owned by `sandbox.user` when set.
 * `node` is replaced by `process.execPath` so the server runs on the gateway's own Node even with a minimal PATH.
 */
export function buildLaunch(service: ServiceConfig, privateDir: string | undefined, parentEnv?: NodeJS.ProcessEnv): LaunchSpec {
  const [first, ...rest] = service.command;
  if (first === undefined) throw new Error('stdio service without a command');
  const command = first === 'node' ? process.execPath : first;
  const sandbox = service.sandbox;
  const on = sandbox.enabled;
  const env = buildChildEnv({
    restricted: on && sandbox.restricted_env,
    ...(privateDir === undefined ? {} : { homeDir: privateDir }),
    extra: service.env,
    ...(parentEnv === undefined ? {} : { parent: parentEnv }),
  });
  const cwd = sandbox.working_dir ?? process.cwd();
  const runAs = on && sandbox.user !== undefined ? resolveRunAs(sandbox.user) : undefined;
  if (runAs && privateDir !== undefined) giveSessionDir(privateDir, runAs);
  const confined = on && sandbox.allowed_paths !== undefined;
  const argv: string[] = [];
  const sp = setpriv();
  if (sp !== undefined) argv.push(...deathSignalPrefix(confined ? undefined : runAs, sp));
  else if (runAs && !confined) argv.push(...dropPrefix(runAs));
  if (on && sandbox.resource_limits) argv.push(...prlimitPrefix(command, sandbox.limits));
  if (confined) {
    argv.push(
      ...bwrapPrefix({
        allowed: sandbox.allowed_paths ?? [],
        readonly: sandbox.readonly_paths,
        ...(privateDir === undefined ? {} : { sessionDir: privateDir }),
        workingDir: cwd,
        executable: which(command, env.PATH) ?? command,
        dropInside: runAs !== undefined,
      }),
    );
    if (runAs) argv.push(...dropPrefix(runAs));
  }
  argv.push(command, ...rest);
  const [head, ...tail] = argv as [string, ...string[]];
  return { command: head, args: tail, env, cwd, program: command };
}
