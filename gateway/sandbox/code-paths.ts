/**
 * The folders a server's own code lives in, so a confined server can still run: the project or package that
 * holds the command and every path-like argument (with its node_modules), or a Python virtualenv.
 */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, sep } from 'node:path';

function real(path: string): string | undefined {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
}

/** The nearest folder at or above `start` that is a project root (package.json, node_modules, a venv). */
function projectRoot(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    // Inside node_modules: the project is the folder that holds node_modules (its other packages are deps).
    const nm = dir.lastIndexOf(`${sep}node_modules${sep}`);
    if (nm >= 0) return dir.slice(0, nm) || sep;
    if (dir.endsWith(`${sep}node_modules`)) return dirname(dir);
    if (['package.json', 'node_modules', 'pyvenv.cfg', 'pyproject.toml'].some((f) => existsSync(join(dir, f)))) return dir === sep ? undefined : dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Read-only folders for `argv` (command already resolved to a path when found on PATH): for each absolute or
 * relative path that exists, its project root, else its own folder. System folders are left to the caller.
 */
export function codePaths(argv: string[], cwd: string): string[] {
  const out = new Set<string>();
  for (const arg of argv) {
    const candidate = arg.startsWith('-') ? arg.slice(arg.indexOf('=') + 1) : arg;
    if (!candidate.includes(sep)) continue;
    const abs = isAbsolute(candidate) ? candidate : join(cwd, candidate);
    for (const path of new Set([abs, real(abs)])) {
      if (path === undefined || !existsSync(path)) continue;
      const dir = statSync(path).isDirectory() ? path : dirname(path);
      out.add(projectRoot(dir) ?? dir);
    }
  }
  return [...out];
}
