/** Whether a process exists, for telling what dead gateways left behind from what live ones still own. */

/** True while `pid` exists; EPERM (someone else's process) counts as alive: it is not ours to judge. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
