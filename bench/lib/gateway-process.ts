/** Servers under test as separate processes (as deployed): the gateway CLI and the bare floor. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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
export function startNodeServer(args: string[], cwd: string, timeoutMs = 30_000): Promise<ServerProcess> {
  return startServer(process.execPath, args, cwd, timeoutMs);
}

/** Runs `command ...args` and resolves once it prints `listening on <url>` on stderr. stdout goes to /dev/null. */
export async function startServer(command: string, args: string[], cwd: string, timeoutMs = 30_000): Promise<ServerProcess> {
  const child: ChildProcess = spawn(command, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
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

/** How the gateway is started: as users run it, or with plain `node` (Dockerfile CMD without its NODE_OPTIONS). */
export type GatewayLaunch = 'executable' | 'node';

/**
 * Writes `config` to `dir/gateway.json` and starts bin/mcp-gateway.js on 127.0.0.1, any free port. `executable`
 * (default) runs the file itself, as `npx mcp-gateway` does, so its shebang's V8 flag applies; `node` runs
 * `node bin/mcp-gateway.js`. Either way the shim runs the esbuild bundle (dist/gateway/mcp-gateway.js) that
 * `npm run build:servers` made.
 */
export function startGateway(root: string, dir: string, config: unknown, launch: GatewayLaunch = 'executable'): Promise<ServerProcess> {
  const file = join(dir, 'gateway.json');
  writeFileSync(file, JSON.stringify(config, null, 2));
  const bin = join(root, 'bin/mcp-gateway.js');
  const args = ['-c', file, '--host', '127.0.0.1', '--port', '0'];
  // stdout carries the INFO log lines (one per call, as in production); they go to /dev/null.
  return launch === 'executable' ? startServer(bin, args, root) : startNodeServer([bin, ...args], root);
}
