/** Test helpers: a cluster started by scripts/cluster.sh (real nginx, redis-server, agents, gateways) on loopback. */
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createClient } from 'redis';
import { freePort } from '../helpers/net.js';
import { ROOT, tempDir } from '../helpers/paths.js';
import { runCommand, type CommandResult } from '../helpers/processes.js';
import type { CallTarget } from './simulated-call.js';

export const CLUSTER_SCRIPT = join(ROOT, 'scripts/cluster.sh');

/** A running cluster. */
export interface TestCluster {
  dir: string;
  target: CallTarget;
  agentPorts: number[];
  gatewayPorts: number[];
  gatewayToken: string;
  redisUrl: string;
  /** Pid of instance `name` (`agent-2`, `gateway-1`). */
  pid(name: string): number;
  log(name: string): string;
  down(): Promise<CommandResult>;
}

/** A base port with the script's offsets (+1..+99, +100..+199, +200) free, as far as a quick look can tell. */
async function basePort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port < 60_000) return port;
  }
}

/** `scripts/cluster.sh up …` in a private run dir; throws with the script's output when it fails. */
export async function clusterUp(args: string[], env: Record<string, string> = {}): Promise<TestCluster> {
  const dir = tempDir('mcp-cluster-');
  const port = await basePort();
  const fullEnv = { ...process.env, CLUSTER_DIR: dir, CLUSTER_PORT: String(port), CLUSTER_STOP_WAIT: '10', ...env };
  const down = () => runCommand('bash', [CLUSTER_SCRIPT, 'down'], { env: fullEnv });
  const up = await runCommand('bash', [CLUSTER_SCRIPT, 'up', ...args], { env: fullEnv });
  if (up.code !== 0) {
    await down();
    throw new Error(`cluster.sh up failed (${up.code}):\n${up.stdout}\n${up.stderr}`);
  }
  const vars = Object.fromEntries(
    readFileSync(join(dir, 'cluster.env'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  ) as Record<string, string>;
  const ports = (s: string | undefined) => (s ?? '').split(' ').filter(Boolean).map(Number);
  const gateways = readdirSync(dir).filter((f) => /^gateway-\d+\.pid$/.test(f)).length;
  return {
    dir,
    target: { publicUrl: vars.PUBLIC_URL!, user: vars.SWML_BASIC_AUTH_USER!, password: vars.SWML_BASIC_AUTH_PASSWORD! },
    agentPorts: ports(vars.AGENT_PORTS),
    gatewayPorts: Array.from({ length: gateways }, (_, i) => port + 101 + i),
    gatewayToken: vars.GATEWAY_AUTH_TOKEN!,
    redisUrl: vars.REDIS_URL!,
    pid: (name) => Number(readFileSync(join(dir, `${name}.pid`), 'utf8').trim()),
    log: (name) => readFileSync(join(dir, `${name}.log`), 'utf8'),
    down: async () => {
      const result = await down();
      // Logs are kept when something did not stop.
      if (result.code === 0) rmSync(dir, { recursive: true, force: true });
      return result;
    },
  };
}

/** Keys matching `pattern` in the cluster's Redis. */
export async function redisKeys(url: string, pattern: string): Promise<string[]> {
  const client = createClient({ url });
  await client.connect();
  try {
    return await client.keys(pattern);
  } finally {
    await client.close();
  }
}

/** Pids of every live descendant of `root` (by /proc ppid links). */
export function descendants(root: number): number[] {
  const parent = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] !== 'Z') parent.set(Number(name), Number(fields[1]));
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const frontier = [root];
  while (frontier.length > 0) {
    const p = frontier.pop() as number;
    for (const [pid, ppid] of parent) if (ppid === p) out.push(pid), frontier.push(pid);
  }
  return out;
}

/** True while `pid` exists. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Live MCP todo servers under the given instances (their whole process trees). */
export function todoServersUnder(pids: number[]): number[] {
  return pids.flatMap(descendants).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('todo-server.js');
    } catch {
      return false;
    }
  });
}
