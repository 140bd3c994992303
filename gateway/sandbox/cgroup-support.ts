/**
 * Which cgroup hierarchies this gateway may use, found from /proc/self/mountinfo and /proc/self/cgroup and
 * checked by making (and removing) a child cgroup: v2 for `cgroup.kill` (and memory/pids where the gateway's
 * own cgroup delegates them), the v1 `memory` and `pids` hierarchies otherwise.
 */
import { existsSync, mkdirSync, readFileSync, rmdirSync } from 'node:fs';
import { join, relative } from 'node:path';

export type Control = 'memory' | 'pids' | 'kill';

export interface Hierarchy {
  version: 1 | 2;
  /** The gateway's own cgroup folder in this hierarchy. */
  own: string;
  controls: Control[];
}

/** Which cgroup mechanisms this host lets the gateway use. */
export interface CgroupSupport {
  hierarchies: Hierarchy[];
  memory?: 'v1' | 'v2';
  pids?: 'v1' | 'v2';
  kill?: 'v1' | 'v2';
  /** Why nothing (or not memory) is available, for the start-up warning. */
  problem?: string;
}

/** Name prefix of a gateway's folder in each hierarchy: `mcp-gateway.<pid>`. */
export const PREFIX = 'mcp-gateway.';

interface Mount {
  root: string;
  point: string;
  fs: string;
  options: string[];
}

function mounts(): Mount[] {
  let text = '';
  try {
    text = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [left = '', right = ''] = line.split(' - ');
      const f = left.split(' ');
      const r = right.split(' ');
      return { root: f[3] ?? '', point: f[4] ?? '', fs: r[0] ?? '', options: (r[2] ?? '').split(',') };
    })
    .filter((m) => m.fs === 'cgroup' || m.fs === 'cgroup2');
}

function ownPaths(): { v1: Map<string, string>; v2?: string } {
  const v1 = new Map<string, string>();
  let v2: string | undefined;
  let text = '';
  try {
    text = readFileSync('/proc/self/cgroup', 'utf8');
  } catch {
    return { v1 };
  }
  for (const line of text.split('\n')) {
    const m = /^(\d+):([^:]*):(.*)$/.exec(line);
    if (!m) continue;
    const [, id, controllers = '', path = '/'] = m;
    if (id === '0' && controllers === '') v2 = path;
    else for (const c of controllers.split(',')) v1.set(c, path);
  }
  return v2 === undefined ? { v1 } : { v1, v2 };
}

function ownDir(mount: Mount, path: string): string {
  const rel = relative(mount.root, path);
  return rel.startsWith('..') ? mount.point : join(mount.point, rel);
}

/** True when a child cgroup can be made (and removed) under `dir`. */
function canCreateUnder(dir: string): boolean {
  const probe = join(dir, `${PREFIX}probe-${process.pid}`);
  try {
    mkdirSync(probe);
    rmdirSync(probe);
    return true;
  } catch {
    return false;
  }
}

export function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Finds usable hierarchies: v2 for kill (and memory/pids when delegated), v1 memory and pids. */
export function detectCgroups(): CgroupSupport {
  const own = ownPaths();
  const all = mounts();
  const hierarchies: Hierarchy[] = [];
  const v2mount = all.find((m) => m.fs === 'cgroup2');
  if (v2mount && own.v2 !== undefined) {
    const dir = ownDir(v2mount, own.v2);
    if (canCreateUnder(dir)) {
      const delegated = read(join(dir, 'cgroup.subtree_control')).split(/\s+/);
      const controls: Control[] = [];
      if (existsSync(join(dir, 'cgroup.kill'))) controls.push('kill');
      if (delegated.includes('memory')) controls.push('memory');
      if (delegated.includes('pids')) controls.push('pids');
      if (controls.length > 0) hierarchies.push({ version: 2, own: dir, controls });
    }
  }
  for (const controller of ['memory', 'pids'] as const) {
    if (hierarchies.some((h) => h.controls.includes(controller))) continue;
    const mount = all.find((m) => m.fs === 'cgroup' && m.options.includes(controller));
    const path = own.v1.get(controller);
    if (!mount || path === undefined) continue;
    const dir = ownDir(mount, path);
    if (canCreateUnder(dir)) hierarchies.push({ version: 1, own: dir, controls: [controller] });
  }
  const find = (c: Control): 'v1' | 'v2' | undefined => {
    const h = hierarchies.find((x) => x.controls.includes(c));
    return h === undefined ? undefined : h.version === 2 ? 'v2' : 'v1';
  };
  const support: CgroupSupport = { hierarchies };
  const memory = find('memory');
  const pids = find('pids');
  // Without cgroup.kill, killing every pid listed in a v1 group does the same job.
  const kill = find('kill') ?? (hierarchies.length > 0 ? 'v1' : undefined);
  if (memory) support.memory = memory;
  if (pids) support.pids = pids;
  if (kill) support.kill = kill;
  if (!memory) {
    support.problem =
      hierarchies.length === 0
        ? 'no writable cgroup (the gateway is not root, or /sys/fs/cgroup is read-only as in a default container)'
        : 'no memory controller the gateway may use (cgroup v2 without a delegated memory controller)';
  }
  return support;
}
