/**
 * The bubblewrap (`bwrap`) argv that confines a server's filesystem view: system folders read-only, the
 * configured `allowed_paths` read-write, `readonly_paths` read-only, the session folder read-write, a private
 * /tmp, /dev and /proc, its own pid namespace; everything else does not exist for the server.
 */
import { lstatSync, readlinkSync, realpathSync } from 'node:fs';
import { dirname, sep } from 'node:path';

/** What the server may see. All paths absolute. */
export interface FilesystemView {
  allowed: string[];
  readonly: string[];
  /** The per-session private folder (HOME/TMPDIR). */
  sessionDir?: string;
  /** Wanted working directory; used when visible, else the session folder. */
  workingDir: string;
  /** The executable, so that a command outside the system folders still runs. */
  executable?: string;
  /** Keep CAP_SETUID/CAP_SETGID so a `setpriv` inside can drop to `sandbox.user`. */
  dropInside: boolean;
}

/** Top-level system folders bound read-only (merged-/usr symlinks are recreated as symlinks). */
const SYSTEM_DIRS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];
/** The parts of /etc that programs need to run, resolve names and verify TLS; not the whole of /etc. */
const ETC_FILES = [
  '/etc/alternatives', '/etc/ca-certificates', '/etc/ssl', '/etc/pki', '/etc/resolv.conf', '/etc/hosts',
  '/etc/nsswitch.conf', '/etc/passwd', '/etc/group', '/etc/localtime', '/etc/ld.so.cache', '/etc/ld.so.conf',
  '/etc/ld.so.conf.d', '/etc/mime.types',
];

function kind(path: string): 'dir' | 'symlink' | 'other' | undefined {
  try {
    const st = lstatSync(path);
    return st.isSymbolicLink() ? 'symlink' : st.isDirectory() ? 'dir' : 'other';
  } catch {
    return undefined;
  }
}

/** True when `path` is `base` or inside it. */
export function isWithin(path: string, base: string): boolean {
  return path === base || base === sep || path.startsWith(base + sep);
}

/** Every ancestor of `path` below `/`, outermost first. */
function ancestors(path: string): string[] {
  const out: string[] = [];
  for (let dir = dirname(path); dir !== sep && dir !== '.'; dir = dirname(dir)) out.unshift(dir);
  return out;
}

function realOr(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** The `bwrap … --` argv prefix for one server. */
export function bwrapPrefix(view: FilesystemView, bwrap = 'bwrap'): string[] {
  const args = [bwrap, '--die-with-parent', '--unshare-pid', '--unshare-ipc', '--dev', '/dev', '--proc', '/proc', '--perms', '01777', '--tmpfs', '/tmp'];
  if (view.dropInside) args.push('--cap-add', 'CAP_SETUID', '--cap-add', 'CAP_SETGID');
  const system: string[] = [];
  for (const dir of SYSTEM_DIRS) {
    const k = kind(dir);
    if (k === 'symlink') args.push('--symlink', readlinkSync(dir), dir);
    else if (k === 'dir') {
      args.push('--ro-bind', dir, dir);
      system.push(dir);
    }
  }
  args.push('--perms', '0755', '--dir', '/etc');
  for (const file of ETC_FILES) args.push('--ro-bind-try', file, file);
  const binds: Array<{ path: string; writable: boolean }> = [
    ...view.readonly.map((path) => ({ path, writable: false })),
    ...view.allowed.map((path) => ({ path, writable: true })),
    ...(view.sessionDir === undefined ? [] : [{ path: view.sessionDir, writable: true }]),
  ];
  const exe = view.executable === undefined ? undefined : realOr(view.executable);
  const visible = (p: string): boolean => [...system, ...binds.map((b) => b.path)].some((base) => isWithin(p, base));
  if (exe !== undefined && !visible(exe)) binds.push({ path: dirname(exe), writable: false });
  // bwrap creates missing mount points as 0700 root folders, which an unprivileged server cannot cross.
  const dirs = new Set<string>();
  for (const { path } of binds) for (const dir of ancestors(path)) if (dir !== '/tmp' && !system.some((s) => isWithin(dir, s))) dirs.add(dir);
  for (const dir of [...dirs].sort((a, b) => a.length - b.length)) args.push('--perms', '0755', '--dir', dir);
  // Parents before children, so a narrower bind (e.g. read-only inside read-write) lands on top.
  for (const { path, writable } of [...binds].sort((a, b) => a.path.length - b.path.length)) {
    args.push(writable ? '--bind' : '--ro-bind', path, path);
  }
  const cwd = visible(view.workingDir) ? view.workingDir : view.sessionDir ?? '/';
  args.push('--chdir', cwd, '--');
  return args;
}
