/**
 * The bubblewrap (`bwrap`) argv that confines a server: its own pid, mount and ipc namespaces; system folders,
 * the server's code and the working folder read-only; its session folder and a private /tmp writable; the
 * gateway's secrets (config, .env, TLS keys, logs, other sessions' folders) hidden even where they sit inside
 * a visible folder. Everything else does not exist for the server. Network stays on.
 */
import { lstatSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { dirname, sep } from 'node:path';

/** What the server may see. All paths absolute. */
export interface FilesystemView {
  /** Read-write (`allowed_paths`). */
  allowed: string[];
  /** Read-only: `readonly_paths`, the server's code, the working folder. */
  readonly: string[];
  /** Must not be visible even inside the folders above (files become empty, folders empty tmpfs). */
  hidden: string[];
  /** The per-session private folder (HOME/TMPDIR). */
  sessionDir?: string;
  /** Wanted working directory; used when visible, else the session folder. */
  workingDir: string;
  /** The executable, so that a command outside the system folders still runs. */
  executable?: string;
  /** Keep CAP_SETUID/CAP_SETGID so a `setpriv` inside can drop to the session's uid. */
  dropInside: boolean;
  /** Size of the private /tmp, bytes (it is memory). */
  tmpBytes?: number;
}

/** Top-level system folders bound read-only (merged-/usr symlinks are recreated as symlinks). */
const SYSTEM_DIRS = ['/usr', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32', '/opt'];
/** The parts of /etc that programs need to run, resolve names and verify TLS; not the whole of /etc. */
const ETC_FILES = [
  '/etc/alternatives',
  '/etc/ca-certificates',
  '/etc/ssl',
  '/etc/pki',
  '/etc/resolv.conf',
  '/etc/hosts',
  '/etc/nsswitch.conf',
  '/etc/passwd',
  '/etc/group',
  '/etc/localtime',
  '/etc/ld.so.cache',
  '/etc/ld.so.conf',
  '/etc/ld.so.conf.d',
  '/etc/mime.types',
  '/etc/os-release',
  '/etc/host.conf',
  '/etc/gai.conf',
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

type Mount = { path: string; how: 'ro' | 'rw' | 'hide' };

/** The `bwrap … --` argv prefix for one server. */
export function bwrapPrefix(view: FilesystemView, bwrap = 'bwrap'): string[] {
  const args = [bwrap, '--die-with-parent', '--unshare-pid', '--unshare-ipc', '--unshare-uts', '--dev', '/dev', '--proc', '/proc'];
  if (view.tmpBytes !== undefined) args.push('--size', String(view.tmpBytes));
  args.push('--perms', '01777', '--tmpfs', '/tmp');
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
  const inSystem = (p: string): boolean => system.some((s) => isWithin(p, s));
  const mounts: Mount[] = [
    ...view.readonly.filter((p) => !inSystem(p)).map((path) => ({ path, how: 'ro' as const })),
    ...view.allowed.map((path) => ({ path, how: 'rw' as const })),
    ...(view.sessionDir === undefined ? [] : [{ path: view.sessionDir, how: 'rw' as const }]),
  ];
  const exe = view.executable === undefined ? undefined : realOr(view.executable);
  const visible = (p: string): boolean => inSystem(p) || mounts.some((m) => m.how !== 'hide' && isWithin(p, m.path));
  if (exe !== undefined && !visible(exe)) mounts.push({ path: dirname(exe), how: 'ro' });
  const session = view.sessionDir;
  for (const path of view.hidden) {
    // A hidden folder that holds the session folder (session.sandbox_dir) still shows that one folder on top.
    if (path !== session && visible(path) && kind(path) !== undefined) mounts.push({ path, how: 'hide' });
  }
  // bwrap creates missing mount points as 0700 root folders, which an unprivileged server cannot cross.
  const dirs = new Set<string>();
  for (const { path } of mounts) for (const dir of ancestors(path)) if (dir !== '/tmp' && !inSystem(dir)) dirs.add(dir);
  for (const dir of [...dirs].sort((a, b) => a.length - b.length)) args.push('--perms', '0755', '--dir', dir);
  // Parents before children, so a narrower mount (read-only inside read-write, hidden inside read-only) lands on top.
  for (const { path, how } of mounts.sort((a, b) => a.path.length - b.path.length || (a.how === 'hide' ? -1 : 1))) {
    if (how === 'hide') {
      if (statSync(path).isDirectory()) args.push('--perms', '0755', '--tmpfs', path);
      else args.push('--ro-bind', '/dev/null', path);
    } else args.push(how === 'rw' ? '--bind' : '--ro-bind', path, path);
  }
  const cwd = visible(view.workingDir) && !view.hidden.some((h) => isWithin(view.workingDir, h)) ? view.workingDir : (view.sessionDir ?? '/');
  args.push('--chdir', cwd, '--');
  return args;
}
