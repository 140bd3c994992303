/**
 * One cgroup per session, so that a memory cap holds for the server and everything it starts (whatever the
 * launcher), a fork bomb stops at `pids.max`, and closing the session kills every process in it, including
 * ones that called setsid(). cgroup v2 is used where the gateway's own cgroup delegates a controller, the v1
 * `memory` / `pids` hierarchies otherwise (hybrid hosts: v1 holds memory, v2 gives `cgroup.kill`).
 *
 * Layout: `<own cgroup>/mcp-gateway.<gateway pid>/<session>` in each hierarchy used, so a later gateway can
 * sweep what a dead one left behind.
 */
import { existsSync, mkdirSync, readdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PREFIX, read, type CgroupSupport, type Hierarchy } from './cgroup-support.js';
import { isAlive } from './process-alive.js';

export type { CgroupSupport } from './cgroup-support.js';

/** Limits of one session's cgroup. */
export interface SessionCgroupLimits {
  memoryBytes?: number;
  pids?: number;
}

function killListed(dir: string): number {
  let n = 0;
  for (const line of read(join(dir, 'cgroup.procs')).split('\n')) {
    const pid = Number(line);
    if (!Number.isInteger(pid) || pid <= 0) continue;
    try {
      process.kill(pid, 'SIGKILL');
      n++;
    } catch {
      // already gone
    }
  }
  return n;
}

function counter(file: string, key: string): number {
  const m = new RegExp(`^${key} (\\d+)$`, 'm').exec(read(file));
  return m ? Number(m[1]) : 0;
}

/** The cgroup folders of one session, one per hierarchy used. */
export class SessionCgroup {
  private constructor(private readonly dirs: Array<{ dir: string; h: Hierarchy }>) {}

  /** Creates the session's cgroups and writes the limits; throws when the host refuses. */
  static create(support: CgroupSupport, name: string, limits: SessionCgroupLimits): SessionCgroup {
    const dirs: Array<{ dir: string; h: Hierarchy }> = [];
    try {
      for (const h of support.hierarchies) {
        const dir = join(h.own, `${PREFIX}${process.pid}`, name.replace(/[^A-Za-z0-9_.-]/g, '_'));
        mkdirSync(dir, { recursive: true });
        dirs.push({ dir, h });
        if (h.controls.includes('memory') && limits.memoryBytes !== undefined) {
          const bytes = String(limits.memoryBytes);
          if (h.version === 2) {
            writeFileSync(join(dir, 'memory.max'), bytes);
            if (existsSync(join(dir, 'memory.swap.max'))) writeFileSync(join(dir, 'memory.swap.max'), '0');
          } else {
            writeFileSync(join(dir, 'memory.limit_in_bytes'), bytes);
            // With swap accounting, memory+swap gets the same cap, so swapping out is no way around it.
            if (existsSync(join(dir, 'memory.memsw.limit_in_bytes'))) writeFileSync(join(dir, 'memory.memsw.limit_in_bytes'), bytes);
          }
        }
        if (h.controls.includes('pids') && limits.pids !== undefined) writeFileSync(join(dir, 'pids.max'), String(limits.pids));
      }
    } catch (err) {
      new SessionCgroup(dirs).remove();
      throw err;
    }
    return new SessionCgroup(dirs);
  }

  /** The `cgroup.procs` files a process writes its pid to, to join before it execs the server. */
  get procsFiles(): string[] {
    return this.dirs.map(({ dir }) => join(dir, 'cgroup.procs'));
  }

  /** True when the kernel's OOM killer killed a process of this session at its memory cap. */
  oomKilled(): boolean {
    return this.dirs.some(({ dir, h }) =>
      !h.controls.includes('memory')
        ? false
        : h.version === 2
          ? counter(join(dir, 'memory.events'), 'oom_kill') > 0
          : counter(join(dir, 'memory.oom_control'), 'oom_kill') > 0,
    );
  }

  /** Processes still in the session's cgroups. */
  members(): number[] {
    const pids = new Set<number>();
    for (const file of this.procsFiles) for (const line of read(file).split('\n')) if (line.trim() !== '') pids.add(Number(line));
    return [...pids];
  }

  /** SIGKILLs every process of the session (setsid() or not); resolves once none is left or after `timeoutMs`. */
  async killAll(timeoutMs = 2000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const { dir, h } of this.dirs) {
        if (h.version === 2 && h.controls.includes('kill')) writeQuietly(join(dir, 'cgroup.kill'), '1');
        else killListed(dir);
      }
      if (this.members().length === 0) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Removes the (empty) cgroup folders; the gateway folder goes when its last session does. */
  remove(): void {
    for (const { dir } of this.dirs) {
      try {
        rmdirSync(dir);
      } catch {
        // still busy or already gone: the start-up sweep of a later gateway removes it
      }
    }
  }
}

function writeQuietly(file: string, text: string): void {
  try {
    writeFileSync(file, text);
  } catch {
    // the group is already gone
  }
}

/**
 * Kills what gateways that died (SIGKILL) left in their cgroups and removes those folders, and this
 * gateway's own folder on close. Returns how many processes were killed.
 */
export function sweepCgroups(support: CgroupSupport, includeOwn = false): number {
  let killed = 0;
  for (const h of support.hierarchies) {
    let names: string[] = [];
    try {
      names = readdirSync(h.own).filter((n) => n.startsWith(PREFIX));
    } catch {
      continue;
    }
    for (const name of names) {
      const owner = Number(name.slice(PREFIX.length));
      if (!Number.isInteger(owner) || (owner === process.pid ? !includeOwn : isAlive(owner))) continue;
      const top = join(h.own, name);
      let children: string[] = [];
      try {
        children = readdirSync(top, { withFileTypes: true })
          .filter((d) => d.isDirectory())
          .map((d) => join(top, d.name));
      } catch {
        continue;
      }
      for (const dir of children) {
        for (let i = 0; i < 50 && read(join(dir, 'cgroup.procs')).trim() !== ''; i++) killed += killListed(dir);
        try {
          rmdirSync(dir);
        } catch {
          // a process is still exiting; a later sweep removes it
        }
      }
      try {
        rmdirSync(top);
      } catch {
        // not empty yet
      }
    }
  }
  return killed;
}
