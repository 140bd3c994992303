import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSessionDir, sweepOrphanedSessionDirs } from '../../../gateway/sandbox/session-dir.js';
import { fixtureService, startGateway, testConfig } from '../helpers.js';

/** The pid of a process that has already exited (and been reaped), so it names no live process. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('session folders', () => {
  it('are named after the gateway pid that owns them', async () => {
    const root = mkdtempSync(join(tmpdir(), 'sessdir-'));
    const dir = await createSessionDir(root, 'todo', 'call/../1');
    expect(basename(dir)).toMatch(new RegExp(`^${process.pid}\\.todo-call____1-[A-Za-z0-9]{6}$`));
  });

  it('sweeps only the folders of gateways that are gone', async () => {
    const root = mkdtempSync(join(tmpdir(), 'sessdir-'));
    const mine = await createSessionDir(root, 'todo', 'live-call');
    const orphan = join(root, `${deadPid()}.todo-dead-call-abc123`);
    mkdirSync(join(orphan, 'nested'), { recursive: true });
    const foreignLive = join(root, '1.todo-init-owned-abc123'); // pid 1 is always alive
    mkdirSync(foreignLive);
    const unrelated = join(root, 'notes');
    mkdirSync(unrelated);

    expect(await sweepOrphanedSessionDirs(root)).toBe(1);
    expect(existsSync(orphan)).toBe(false);
    expect(readdirSync(root).sort()).toEqual([basename(mine), '1.todo-init-owned-abc123', 'notes'].sort());
  });

  it('treats a missing sandbox folder as empty', async () => {
    expect(await sweepOrphanedSessionDirs(join(tmpdir(), 'does-not-exist-sessdir'))).toBe(0);
  });

  it('are swept when a gateway starts on the same sandbox_dir', async () => {
    const raw = testConfig({ fx: fixtureService() });
    const root = (raw.session as { sandbox_dir: string }).sandbox_dir;
    const orphan = join(root, `${deadPid()}.fx-crashed-call-abc123`);
    mkdirSync(orphan, { recursive: true });
    const gw = await startGateway(raw);
    try {
      expect(existsSync(orphan)).toBe(false);
    } finally {
      await gw.close();
    }
  });
});
