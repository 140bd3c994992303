/** Servers under test as separate processes (as deployed): the gateway CLI, a bundled gateway, the bare floor. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

/** A running server child. */
export interface ServerProcess {
  url: string;
  pid: number;
  /** VmRSS of this process alone (MCP servers are separate processes), bytes. */
  rss(): number;
  stop(): Promise<void>;
}

/** Resident set size of a process from /proc/<pid>/status, bytes. */
export function rssOf(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for ${pid}`);
  return Number(m[1]) * 1024;
}

/** Runs `node ...args` and resolves once it prints `listening on <url>` on stderr. stdout goes to /dev/null. */
export async function startNodeServer(args: string[], cwd: string, timeoutMs = 30_000): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')} did not start: ${stderr}`)), timeoutMs);
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const m = /listening on (http:\/\/\S+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(m[1] as string);
      }
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code}): ${stderr}`)));
  });
  const pid = child.pid as number;
  return {
    url,
    pid,
    rss: () => rssOf(pid),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Writes `config` to `dir/gateway.json` and runs `node <entry> -c gateway.json` on 127.0.0.1, any free port. */
export function startGateway(root: string, dir: string, config: unknown, entry = join(root, 'bin/mcp-gateway.js')): Promise<ServerProcess> {
  const file = join(dir, 'gateway.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  // stdout carries the INFO log lines (one per call, as in production); they go to /dev/null.
  return startNodeServer([entry, '-c', file, '--host', '127.0.0.1', '--port', '0'], root);
}

/**
 * Bundles gateway/main.ts with esbuild (dependencies stay external) into node_modules/.cache so that plain
 * `node` runs it without tsx, as a production image would. Returns the bundle's path.
 */
export async function bundleGateway(root: string): Promise<string> {
  const outDir = join(root, 'node_modules/.cache/mcp-bench');
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, 'mcp-gateway.mjs');
  await build({
    entryPoints: [join(root, 'gateway/main.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}
