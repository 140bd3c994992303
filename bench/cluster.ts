/**
 * `npm run bench:cluster`: calls per second through nginx with 1 and with 3 todo agents (embedded gateways),
 * started by scripts/cluster.sh on loopback with Redis. A call is the simulated call of the cluster tests: SWML
 * fetch, 5 stateful todo tool calls through its own webhook URLs, hangup_hook (each call starts its own MCP server).
 * `BENCH_CLUSTER_CALLS` (default 100) and `BENCH_CLUSTER_CONCURRENCY` (default 12) set the load. On a machine with
 * few cores, extra instances share the same cores: expect the gain to be bounded by the core count, not N.
 */
import { cpus } from 'node:os';
import { clusterUp } from '../test/cluster/cluster.js';
import { runCalls } from '../test/cluster/simulated-call.js';

const CALLS = Number(process.env.BENCH_CLUSTER_CALLS ?? 100);
const CONCURRENCY = Number(process.env.BENCH_CLUSTER_CONCURRENCY ?? 12);

async function measure(instances: number): Promise<{ instances: number; callsPerSecond: number; failed: number }> {
  process.stderr.write(`bench:cluster: starting ${instances} agent(s) behind nginx\n`);
  const cluster = await clusterUp([String(instances)]);
  try {
    // One untimed round first: module caches, nginx keep-alive connections, the todo server's first start.
    await runCalls(cluster.target, CONCURRENCY, CONCURRENCY, { prefix: `warm${instances}` });
    const started = performance.now();
    const records = await runCalls(cluster.target, CALLS, CONCURRENCY, { prefix: `bench${instances}` });
    const seconds = (performance.now() - started) / 1000;
    const failed = records.filter((r) => r.errors.length > 0 || !r.stateKept).length;
    return { instances, callsPerSecond: CALLS / seconds, failed };
  } finally {
    await cluster.down();
  }
}

const results = [];
for (const instances of [1, 3]) {
  const result = await measure(instances);
  process.stderr.write(`bench:cluster: ${instances} agent(s): ${result.callsPerSecond.toFixed(2)} calls/s\n`);
  results.push(result);
}
const [one, three] = results as [(typeof results)[0], (typeof results)[0]];
process.stdout.write(
  [
    `cluster bench: ${CALLS} calls (SWML + 5 tool calls + hangup each), ${CONCURRENCY} at a time, through nginx; ${cpus().length} CPU(s)`,
    ...results.map((r) => `  ${r.instances} agent(s): ${r.callsPerSecond.toFixed(2)} calls/s${r.failed > 0 ? `  (${r.failed} failed)` : ''}`),
    `  3 vs 1: x${(three.callsPerSecond / one.callsPerSecond).toFixed(2)}`,
    '',
  ].join('\n'),
);
process.exitCode = results.some((r) => r.failed > 0) ? 1 : 0;
