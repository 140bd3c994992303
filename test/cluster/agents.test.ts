/**
 * Three todo agents (embedded gateways) behind real nginx and Redis, started by scripts/cluster.sh: 100 simulated
 * calls keep their state and leave no session; SIGTERM of one agent mid-run loses no call; kill -9 of one agent
 * mid-run shows session_reset only on the calls it owned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCommand } from '../deploy/helpers.js';
import { waitFor } from '../helpers/net.js';
import { alive, clusterUp, redisKeys, todoServersUnder, type TestCluster } from './cluster.js';
import { harmed, harmedSummary, runCalls, signalAfter, STEPS_PER_CALL, type CallRecord } from './simulated-call.js';

const CALLS = 100;
const CONCURRENCY = 8;
/** Calls finished before the fault: the rest run while it happens. */
const FAULT_AFTER = 20;
const LEDGER = 'mcp-gateway:session:*';

const ready = hasCommand('nginx') || hasCommand('/usr/sbin/nginx');

describe.skipIf(!ready || !hasCommand('redis-server'))('3 agents with embedded gateways behind nginx', () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await clusterUp(['3']);
  }, 180_000);
  afterAll(async () => {
    await cluster?.down();
  }, 60_000);

  const instance = (n: number) => `127.0.0.1:${cluster.agentPorts[n - 1]}`;
  const livePids = () => [1, 2, 3].map((n) => cluster.pid(`agent-${n}`)).filter(alive);

  it('100 calls: every call pinned to one instance, 0 state lost, 0 sessions left', async () => {
    const records = await runCalls(cluster.target, CALLS, CONCURRENCY, { prefix: 'plain' });
    expect(records.filter(harmed), harmedSummary(records)).toEqual([]);
    for (const r of records) expect(new Set(r.upstreams).size, r.callId).toBe(1);
    // The calls spread over all three instances.
    expect(new Set(records.map((r) => r.upstreams[0])).size).toBe(3);
    await waitFor(async () => (await redisKeys(cluster.redisUrl, LEDGER)).length === 0, 'no live-session mark left in Redis');
    await waitFor(() => todoServersUnder(livePids()).length === 0, 'every MCP server to exit after its hangup');
  }, 240_000);

  it('SIGTERM of one agent mid-run: it drains, 0 calls lost, it exits', async () => {
    const victim = cluster.pid('agent-3');
    const sigterm = signalAfter(victim, 'SIGTERM', FAULT_AFTER);
    const records = await runCalls(cluster.target, CALLS, CONCURRENCY, { prefix: 'term', pause: 20, onDone: sigterm.onDone });
    expect(sigterm.sent).toBe(true);
    expect(records.filter(harmed), harmedSummary(records)).toEqual([]);
    for (const r of records) expect(new Set(r.upstreams).size, r.callId).toBe(1);
    // It went on serving the calls it owned after the signal, and took no new one once they were done.
    expect(records.some((r) => r.upstreams[0] === instance(3))).toBe(true);
    await waitFor(() => !alive(victim), 'the drained agent to exit', 30_000);
    expect(cluster.log('agent-3')).toMatch(/drained: no call left/);
    await waitFor(async () => (await redisKeys(cluster.redisUrl, LEDGER)).length === 0, 'no live-session mark left in Redis');
  }, 240_000);

  it('kill -9 of one agent mid-run: only the calls it owned are told of a reset, the others see 0 errors', async () => {
    const victim = cluster.pid('agent-2');
    let killed = false;
    const records = await runCalls(cluster.target, CALLS, CONCURRENCY, {
      prefix: 'kill',
      pause: 20,
      // Killed while it serves a call with its listing still to come (else the kill would prove nothing).
      onStep: (record, done) => {
        if (done >= FAULT_AFTER && !killed && record.upstreams.at(-1) === instance(2) && record.upstreams.length <= STEPS_PER_CALL - 2) {
          killed = true;
          process.kill(victim, 'SIGKILL');
        }
      },
    });
    expect(killed).toBe(true);
    // nginx retried every request the dead instance could not answer: no call saw an error.
    expect(
      records.filter((r) => r.errors.length > 0),
      harmedSummary(records),
    ).toEqual([]);
    // Calls nginx never sent to the dead instance: untouched.
    const others = records.filter((r) => !r.tried.has(instance(2)));
    expect(
      others.filter((r) => !r.stateKept || r.resetTold),
      harmedSummary(others),
    ).toEqual([]);
    // Calls it had served and that moved on were told their MCP state was reset; no call lost state untold.
    // (Only tool calls count: a call that moved just for its hangup_hook had nothing left to be told.)
    const movedTools = (r: CallRecord) => {
      const tools = r.upstreams.slice(0, -1);
      const first = tools.indexOf(instance(2));
      return first >= 0 && tools.slice(first + 1).some((u) => u !== instance(2));
    };
    const moved = records.filter(movedTools);
    expect(moved.length).toBeGreaterThan(0);
    for (const r of moved) expect(r.resetTold, r.callId).toBe(true);
    for (const r of records) if (!r.stateKept) expect(r.resetTold, r.callId).toBe(true);
    // A call the dead agent hung up itself may keep its mark until the mark's idle TTL (the agent died before its
    // gateway cleared it); every other call leaves none.
    const untouched = new Set(others.map((r) => r.callId));
    const markOf = (key: string) => key.slice('mcp-gateway:session:'.length).replace(/:[^:]*$/, '');
    await waitFor(
      async () => (await redisKeys(cluster.redisUrl, LEDGER)).every((key) => !untouched.has(markOf(key))),
      'no mark left by the calls it never served',
    );
    await waitFor(() => todoServersUnder(livePids()).length === 0, 'every MCP server of the live agents to exit');
  }, 240_000);
});
