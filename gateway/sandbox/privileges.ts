/** Privilege drop (`sandbox.user`) and the parent-death signal, both through util-linux `setpriv`. */
import { readFileSync } from 'node:fs';

/** A numeric user to run a server as. */
export interface RunAs {
  uid: number;
  gid: number;
  /** As configured, for messages. */
  spec: string;
}

function passwdEntry(file: string, name: string): string[] | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return text
    .split('\n')
    .map((line) => line.split(':'))
    .find((fields) => fields[0] === name);
}

const cache = new Map<string, RunAs>();

/**
 * Resolves `sandbox.user`: `"nobody"`, `"65534"` (gid from /etc/passwd, else the same number) or `"1000:1000"`.
 * Throws an Error naming the user when it cannot be resolved; results are cached.
 */
export function resolveRunAs(spec: string): RunAs {
  const hit = cache.get(spec);
  if (hit) return hit;
  const [userPart = '', groupPart] = spec.split(':');
  let uid: number;
  let gid: number | undefined;
  if (/^\d+$/.test(userPart)) {
    uid = Number(userPart);
    const byUid = readPasswdByUid(uid);
    gid = byUid === undefined ? uid : byUid;
  } else {
    const entry = passwdEntry('/etc/passwd', userPart);
    if (!entry) throw new Error(`user "${userPart}" does not exist on this host`);
    uid = Number(entry[2]);
    gid = Number(entry[3]);
  }
  if (groupPart !== undefined) gid = resolveGroup(groupPart);
  const out = { uid, gid, spec };
  cache.set(spec, out);
  return out;
}

function readPasswdByUid(uid: number): number | undefined {
  try {
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .map((l) => l.split(':'))
      .find((f) => Number(f[2]) === uid && f[2] !== '');
    return line ? Number(line[3]) : undefined;
  } catch {
    return undefined;
  }
}

function resolveGroup(group: string): number {
  if (/^\d+$/.test(group)) return Number(group);
  const entry = passwdEntry('/etc/group', group);
  if (!entry) throw new Error(`group "${group}" does not exist on this host`);
  return Number(entry[2]);
}

/**
 * `setpriv` argv that switches to `runAs` (real + effective ids, no supplementary groups) and then execs;
 * no-new-privs keeps a setuid binary (su, mount) from giving anything back.
 */
export function dropPrefix(runAs: RunAs, setpriv = 'setpriv'): string[] {
  return [setpriv, `--reuid=${runAs.uid}`, `--regid=${runAs.gid}`, '--clear-groups', '--no-new-privs', '--'];
}

/**
 * `setpriv` argv that makes the kernel SIGKILL the server when the gateway process dies (even by SIGKILL), so
 * servers never survive their gateway as orphans. With `runAs`, the same setpriv also drops privileges; it sets
 * the death signal after the id change (which would otherwise clear it).
 */
export function deathSignalPrefix(runAs?: RunAs, setpriv = 'setpriv'): string[] {
  const drop = runAs === undefined ? [] : dropPrefix(runAs, setpriv).slice(1, -1);
  return [setpriv, ...drop, '--pdeathsig=SIGKILL', '--'];
}
