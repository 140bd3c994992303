/** The shared test helpers themselves: they carry many suites, so they must fail when they should. */
import { describe, expect, it } from 'vitest';
import { waitFor } from './net.js';
import { descendants, envWithout, processExists, procStat, runCommand, spawnCollecting } from './processes.js';

describe('test/helpers', () => {
  it('waitFor resolves with the first truthy value and names what it waited for on timeout', async () => {
    let n = 0;
    expect(await waitFor(() => (++n >= 3 ? n : 0), 'three polls')).toBe(3);
    await expect(waitFor(() => false, 'nothing', 50)).rejects.toThrow('timed out waiting for nothing');
  });

  it('runCommand feeds stdin and reports stdout, stderr and a non-zero exit', async () => {
    const script =
      'process.stdin.on("data", (d) => process.stdout.write(String(d).toUpperCase())); process.stdin.on("end", () => { process.stderr.write("e"); process.exit(4); })';
    expect(await runCommand(process.execPath, ['-e', script], { input: 'hi' })).toEqual({ code: 4, stdout: 'HI', stderr: 'e' });
  });

  it('envWithout drops matching names and adds extras', () => {
    process.env.HELPERS_TEST_DROP = 'x';
    try {
      const env = envWithout(/^HELPERS_TEST_/, { HELPERS_KEEP: 'y' });
      expect(env).not.toHaveProperty('HELPERS_TEST_DROP');
      expect(env.HELPERS_KEEP).toBe('y');
      expect(env.PATH).toBe(process.env.PATH);
    } finally {
      delete process.env.HELPERS_TEST_DROP;
    }
  });

  it('waitForOutput matches output printed just before exit, and fails at once when the child exits without it', async () => {
    const quick = spawnCollecting(process.execPath, ['-e', 'process.stdout.write("ready 42\\n")']);
    expect((await quick.waitForOutput(/ready (\d+)/))[1]).toBe('42');
    const dead = spawnCollecting(process.execPath, ['-e', 'process.stderr.write("boom\\n"); process.exit(3)']);
    await expect(dead.waitForOutput(/never/, 30_000)).rejects.toThrow(/exited \(3\) before printing \/never\/:\nboom/);
  });

  it('reads /proc: a detached child leads its own group, is a descendant of this process, and is gone after stop()', async () => {
    const child = spawnCollecting(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { detached: true });
    const pid = child.child.pid as number;
    expect(procStat(pid)).toMatchObject({ pid, ppid: process.pid, pgid: pid });
    expect(descendants(process.pid)).toContain(pid);
    expect(await child.stop()).toBeNull(); // ended by SIGTERM
    expect(processExists(pid)).toBe(false);
  });
});
