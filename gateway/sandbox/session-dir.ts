/**
 * Per-session private folders under `session.sandbox_dir`. Each folder name starts with the pid of the gateway
 * that made it, so a later gateway can tell folders left behind by a gateway that died (SIGKILL, crash, a
 * process.exit during shutdown) from folders of gateways still running on the same sandbox_dir.
 */
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { isAlive } from './process-alive.js';

const OWNED_DIR = /^(\d+)\.[A-Za-z0-9_-]+$/;

/** Creates `<root>/<gateway pid>.<service>-<session>-XXXXXX` (mode 0700) and returns its path. */
export async function createSessionDir(root: string, service: string, sessionId: string): Promise<string> {
  await mkdir(root, { recursive: true, mode: 0o700 });
  const safe = `${service}-${sessionId}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 80);
  return mkdtemp(join(root, `${process.pid}.${safe}-`));
}

/** Removes a session folder and everything in it; missing folders are fine. */
export async function removeSessionDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 2 });
}

/**
 * Removes session folders whose gateway process no longer exists; returns how many. Folders of live
 * gateways (this one included) and anything not named by {@link createSessionDir} are left alone.
 */
export async function sweepOrphanedSessionDirs(root: string): Promise<number> {
  const names = await readdir(root).catch(() => [] as string[]);
  const orphaned = names.filter((name) => {
    const owner = OWNED_DIR.exec(name)?.[1];
    return owner !== undefined && Number(owner) !== process.pid && !isAlive(Number(owner));
  });
  await Promise.all(orphaned.map((name) => removeSessionDir(join(root, name))));
  return orphaned.length;
}
