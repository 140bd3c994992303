/** Per-session private folders under `session.sandbox_dir`. */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** Creates `<root>/<service>-<session>-XXXXXX` (mode 0700) and returns its path. */
export async function createSessionDir(root: string, service: string, sessionId: string): Promise<string> {
  await mkdir(root, { recursive: true, mode: 0o700 });
  const safe = `${service}-${sessionId}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 80);
  return mkdtemp(join(root, `${safe}-`));
}

/** Removes a session folder and everything in it; missing folders are fine. */
export async function removeSessionDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 2 });
}
