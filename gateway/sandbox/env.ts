/** Child environment for MCP servers: a minimal allow-list, or the parent env minus loader hooks. */
import { dirname } from 'node:path';

/** Variables that let a parent inject code into a child's loader; never passed on. */
export const DANGEROUS_ENV = ['LD_PRELOAD', 'LD_LIBRARY_PATH', 'LD_AUDIT', 'DYLD_INSERT_LIBRARIES', 'DYLD_LIBRARY_PATH'];

/** Passed through from the parent when set, even in restricted mode. */
const PASS_THROUGH = ['NODE_PATH', 'PYTHONPATH', 'JAVA_HOME'];

/** Options of {@link buildChildEnv}. */
export interface ChildEnvOptions {
  /** true: minimal PATH/HOME/TMPDIR/LANG (+ NODE_PATH/PYTHONPATH/JAVA_HOME); false: the parent env. */
  restricted: boolean;
  /** Private folder used as HOME and TMPDIR in restricted mode. */
  homeDir?: string;
  /** The service's own `env` entries, applied last. */
  extra?: Record<string, string>;
  /** Parent env; default `process.env`. */
  parent?: NodeJS.ProcessEnv;
}

/** Builds the env of a spawned server. Loader-hook variables are removed in every mode. */
export function buildChildEnv(opts: ChildEnvOptions): Record<string, string> {
  const parent = opts.parent ?? process.env;
  const env: Record<string, string> = {};
  if (opts.restricted) {
    // The node that runs the gateway stays reachable, so `node`/`npx` servers work with a minimal PATH.
    env.PATH = [dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':');
    env.LANG = parent.LANG ?? 'C.UTF-8';
    if (opts.homeDir !== undefined) {
      env.HOME = opts.homeDir;
      env.TMPDIR = opts.homeDir;
    }
    for (const key of PASS_THROUGH) {
      const value = parent[key];
      if (value !== undefined) env[key] = value;
    }
  } else {
    for (const [key, value] of Object.entries(parent)) if (value !== undefined) env[key] = value;
  }
  Object.assign(env, opts.extra ?? {});
  for (const key of DANGEROUS_ENV) delete env[key];
  return env;
}
