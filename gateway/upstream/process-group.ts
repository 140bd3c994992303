/** Signals and liveness checks for a whole process group (children are spawned `detached`, so pgid = pid). */

/** Sends `signal` to every process of group `pgid`; false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** True while any process (zombies included) is still in group `pgid`. */
export function groupAlive(pgid: number): boolean {
  return signalGroup(pgid, 0);
}

/** Resolves true once the group is empty, or false after `timeoutMs` (checked every `everyMs`). */
export function waitGroupGone(pgid: number, timeoutMs: number, everyMs = 25): Promise<boolean> {
  return new Promise((resolve) => {
    const deadline = Date.now() + timeoutMs;
    const check = (): void => {
      if (!groupAlive(pgid)) return resolve(true);
      if (Date.now() >= deadline) return resolve(false);
      setTimeout(check, everyMs).unref();
    };
    check();
  });
}

/**
 * Ends a process group: SIGTERM, wait up to `graceMs`, then SIGKILL and wait again.
 * Used for what is left of a group after its leader has gone (e.g. an `npx` → `node` chain).
 */
export async function terminateGroup(pgid: number, graceMs: number): Promise<boolean> {
  if (!signalGroup(pgid, 'SIGTERM')) return true;
  if (await waitGroupGone(pgid, graceMs)) return true;
  signalGroup(pgid, 'SIGKILL');
  return waitGroupGone(pgid, graceMs);
}
