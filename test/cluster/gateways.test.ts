/**
 * Two todo agents using three standalone gateways behind a second nginx upstream hashed on X-MCP-Session-Id (all
 * started by scripts/cluster.sh, real nginx and Redis): 100 calls pin each session to one gateway, keep state and
 * leave no session; the Redis rate limit holds whichever gateway gets the request; SIGTERM of a gateway mid-run
 * loses no call; kill -9 of a gateway mid-run tells only its calls of a reset.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCommand } from '../deploy/helpers.js';
import { waitFor } from '../helpers/net.js';
import { ROOT, TODO_SERVER, tempDir } from '../helpers/paths.js';
import { alive, clusterUp, redisKeys, type TestCluster } from './cluster.js';
import { harmed, harmedSummary, runCalls, signalAfter, STEPS_PER_CALL } from './simulated-call.js';

const CALLS = 100;
const CONCURRENCY = 8;
const FAULT_AFTER = 20;
const CALL_LIMIT = 20;
const LEDGER = 'mcp-gateway:session:*';

/** config.json with the todo server by absolute path, a private sandbox dir and a per-session call limit of 20/min. */
function gatewayConfig(): string {
  const dir = tempDir('mcp-cluster-config-');
  const config = JSON.parse(readFileSync(join(ROOT, 'config.json'), 'utf8')) as Record<string, any>;
  config.services.todo.command = ['node', TODO_SERVER];
  config.session.sandbox_dir = join(dir, 'sandbox');
  config.rate_limiting.call_limit = `${CALL_LIMIT} per minute`;
  const path = join(dir, 'config.json');
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}

describe.skipIf(!(hasCommand('nginx') || hasCommand('/usr/sbin/nginx')) || !hasCommand('redis-server'))('3 standalone gateways behind nginx', () => {
  let cluster: TestCluster;
  beforeAll(async () => {
    cluster = await clusterUp(['2', '--gateways', '3'], { CLUSTER_GATEWAY_CONFIG: gatewayConfig() });
  }, 180_000);
  afterAll(async () => {
    await cluster?.down();
  }, 60_000);

  const auth = () => ({ authorization: `Bearer ${cluster.gatewayToken}` });
  const sessionsOn = async (port: number): Promise<string[]> => {
    const res = await fetch(`http://127.0.0.1:${port}/sessions`, { headers: auth() });
    return ((await res.json()) as { sessions: Array<{ session_id: string }> }).sessions.map((s) => s.session_id);
  };
  const livePorts = () => cluster.gatewayPorts.filter((_p, i) => alive(cluster.pid(`gateway-${i + 1}`)));

  it('100 calls: each session lives on exactly one gateway, 0 state lost, 0 sessions left', async () => {
    const seenOn = new Map<string, Set<number>>();
    let running = true;
    const watch = (async () => {
      while (running) {
        for (const port of cluster.gatewayPorts) {
          for (const id of await sessionsOn(port)) seenOn.set(id, (seenOn.get(id) ?? new Set()).add(port));
        }
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const records = await runCalls(cluster.target, CALLS, CONCURRENCY, { prefix: 'gw' });
    running = false;
    await watch;
    expect(records.filter(harmed), harmedSummary(records)).toEqual([]);
    expect([...seenOn].filter(([, ports]) => ports.size > 1)).toEqual([]);
    expect(new Set([...seenOn.values()].flatMap((ports) => [...ports])).size).toBe(3);
    await waitFor(async () => (await Promise.all(cluster.gatewayPorts.map(sessionsOn))).every((ids) => ids.length === 0), 'no session left');
    expect(await redisKeys(cluster.redisUrl, LEDGER)).toEqual([]);
  }, 240_000);

  it('the Redis call limit holds across the three: the request over it is refused by whichever gateway gets it', async () => {
    const call = (port: number) =>
      fetch(`http://127.0.0.1:${port}/services/todo/call`, {
        method: 'POST',
        headers: { ...auth(), 'content-type': 'application/json', 'x-mcp-session-id': 'rl-shared' },
        body: JSON.stringify({ tool: 'list_todos', arguments: {} }),
      });
    const ports = cluster.gatewayPorts;
    for (let i = 0; i < CALL_LIMIT; i++) expect((await call(ports[i % 3]!)).status).toBe(200);
    for (const port of ports) {
      const res = await call(port);
      expect(res.status).toBe(429);
      expect(await res.json()).toMatchObject({ code: 'rate_limited' });
    }
    for (const port of ports) await fetch(`http://127.0.0.1:${port}/sessions/rl-shared`, { method: 'DELETE', headers: auth() });
  }, 60_000);

  it('SIGTERM of one gateway mid-run: it drains its sessions, 0 calls lost, it exits', async () => {
    const victim = cluster.pid('gateway-3');
    const sigterm = signalAfter(victim, 'SIGTERM', FAULT_AFTER);
    const records = await runCalls(cluster.target, CALLS, CONCURRENCY, { prefix: 'gwterm', pause: 20, onDone: sigterm.onDone });
    expect(sigterm.sent).toBe(true);
    expect(records.filter(harmed), harmedSummary(records)).toEqual([]);
    await waitFor(() => !alive(victim), 'the drained gateway to exit', 30_000);
    expect(cluster.log('gateway-3')).toMatch(/SIGTERM, draining/);
    expect(cluster.log('gateway-3')).not.toMatch(/drain timeout reached/);
  }, 240_000);

  it('kill -9 of one gateway mid-run: only calls whose session it held are told of a reset, none sees an error', async () => {
    const victimPort = cluster.gatewayPorts[1]!;
    const victim = cluster.pid('gateway-2');
    let held: string[] | undefined;
    let looking = false;
    let killedAt = Infinity;
    let trigger: string | undefined;
    const records = await runCalls(cluster.target, CALLS, CONCURRENCY, {
      prefix: 'gwkill',
      pause: 20,
      // Killed only while it holds the session of a call with state and with its listing still to come (else the
      // kill would prove nothing).
      onStep: (record, done) => {
        // At most its fourth addition in flight: its listing is sent after the kill.
        const midCall = () => record.upstreams.length >= 1 && record.upstreams.length <= STEPS_PER_CALL - 3;
        if (done < FAULT_AFTER || held !== undefined || looking || !midCall()) return;
        looking = true;
        void sessionsOn(victimPort).then((ids) => {
          looking = false;
          if (!ids.includes(record.callId) || held !== undefined || !midCall()) return;
          held = ids;
          trigger = record.callId;
          process.kill(victim, 'SIGKILL');
          killedAt = Date.now();
        });
      },
    });
    expect(held?.length).toBeGreaterThan(0);
    expect(
      records.filter((r) => r.errors.length > 0),
      harmedSummary(records),
    ).toEqual([]);
    const told = records.filter((r) => r.resetTold).map((r) => r.callId);
    // Sessions it held with state (a tool call answered before the kill: the next step was sent before it) that made
    // a tool call afterwards were told. A session still starting at the kill lost nothing: nginx re-sent its first
    // call to another gateway. Besides them, at most the calls whose first request was in flight during the kill.
    const calledAfter = records.filter(
      (r) => held!.includes(r.callId) && (r.sentAt[1] ?? Infinity) < killedAt && r.sentAt.slice(0, -1).some((t) => t > killedAt),
    );
    // The call it was killed for had state there (an addition answered) and its listing still to send.
    expect(told).toContain(trigger);
    for (const r of calledAfter) expect(told, r.callId).toContain(r.callId);
    expect(told.filter((id) => !held!.includes(id)).length).toBeLessThanOrEqual(CONCURRENCY);
    for (const r of records) if (!r.stateKept) expect(r.resetTold, r.callId).toBe(true);
    await waitFor(async () => (await Promise.all(livePorts().map(sessionsOn))).every((ids) => ids.length === 0), 'no session left');
    await waitFor(async () => (await redisKeys(cluster.redisUrl, LEDGER)).length === 0, 'no live-session mark left in Redis');
  }, 240_000);
});
