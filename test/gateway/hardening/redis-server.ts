/** Starts a private redis-server (child process, loopback, free port, no persistence) for a test. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { which } from '../../../gateway/sandbox/which.js';
import { freePort, waitFor } from '../helpers.js';

/** Path of the redis-server binary, if installed. */
export const REDIS_SERVER = which('redis-server');

/** A running private Redis. */
export interface TestRedis {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Spawns `redis-server --port P --save '' --daemonize no` and waits until it accepts connections. */
export async function startRedis(): Promise<TestRedis> {
  if (REDIS_SERVER === undefined) throw new Error('redis-server is not installed');
  const port = await freePort();
  const child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = once(child, 'exit');
  await waitFor(() => /Ready to accept connections/.test(output) || child.exitCode !== null, 'redis-server to start');
  if (child.exitCode !== null) throw new Error(`redis-server exited: ${output.slice(-500)}`);
  return {
    url: `redis://127.0.0.1:${port}`,
    child,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
