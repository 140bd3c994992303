/**
 * A distinct unprivileged uid for each session when the gateway runs as root and `sandbox.user` is not set:
 * sessions then cannot read each other's folders, signal each other's processes, or share RLIMIT_NPROC.
 * These uids have no /etc/passwd entry and own nothing outside their session. The range is split by gateway
 * pid so that two gateways on one host do not hand out the same uid at the same time.
 */
import type { RunAs } from './privileges.js';

/** First uid handed out; far above any account or subordinate-id range a distribution creates. */
export const SESSION_UID_BASE = 1_000_000_000;
const PER_GATEWAY = 65_536;
const GATEWAY_SLOTS = 4_096;

let next = 0;
const inUse = new Set<number>();

/**
 * The next free session uid (its own group too), cycling within this gateway's slice of the range; a uid
 * is not handed out again while a session still holds it ({@link releaseSessionUid}).
 */
export function allocateSessionUid(): RunAs {
  for (let tries = 0; tries < PER_GATEWAY; tries++) {
    const uid = SESSION_UID_BASE + (process.pid % GATEWAY_SLOTS) * PER_GATEWAY + (next++ % PER_GATEWAY);
    if (inUse.has(uid)) continue;
    inUse.add(uid);
    return { uid, gid: uid, spec: `session uid ${uid}` };
  }
  throw new Error(`all ${PER_GATEWAY} session uids of this gateway are in use`);
}

/** Gives a session's uid back once none of its processes is left. */
export function releaseSessionUid(uid: number): void {
  inUse.delete(uid);
}
