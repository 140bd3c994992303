import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sessionsResponseSchema, type SessionEntry } from '../../../gateway/contract.js';
import { ConfigError, parseGatewayConfig } from '../../../gateway/index.js';
import { StartQueue, type StartTicket } from '../../../gateway/sessions/start-queue.js';
import { ROOT, startGateway, tempDir, testConfig, waitFor, type TestGateway } from '../helpers.js';
import { metric, post } from './helpers.js';

const GATED_SERVER = join(ROOT, 'test/fixtures/servers/gated-server.mjs');
/** Long enough that no start loses its slot while a test holds it (the slot limit has its own unit test). */
const SLOT_MS = 120_000;

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

/** A gateway with one `gated` service (servers that start only when released), and the gate's controls. */
async function gatedGateway(session: Record<string, unknown>) {
  const gate = tempDir('gw-gate-');
  // The servers run as per-session uids when the tests run as root: each must be able to append and mark.
  chmodSync(gate, 0o777);
  writeFileSync(join(gate, 'started'), '');
  chmodSync(join(gate, 'started'), 0o666);
  const raw = testConfig({ gated: { command: ['node', GATED_SERVER], env: { GATE_DIR: gate }, sandbox: { isolation: 'none' } } });
  gw = await startGateway({ ...raw, session: { ...(raw.session as object), ...session } }, { startSlotMs: SLOT_MS });
  const g = gw;
  /** Session ids (`pool` for a spare) of the servers started so far, in start order. */
  const started = (): string[] => {
    return readFileSync(join(gate, 'started'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((name) => /^\d+\.gated-(.+)-[^-]+$/.exec(name)?.[1] ?? name);
  };
  const names = (): string[] => readFileSync(join(gate, 'started'), 'utf8').split('\n').filter(Boolean);
  return {
    started,
    /** Waits until `n` servers have started, and returns them. */
    startedCount: (n: number) => waitFor(() => (started().length >= n ? started() : undefined), `${n} servers started`),
    /** Lets the oldest held server of `sessionId` answer initialize. */
    release(sessionId: string): void {
      const name = names().find((n) => n.includes(`.gated-${sessionId}-`) && !existsSync(join(gate, `${n}.go`)));
      if (!name) throw new Error(`no held server of ${sessionId}`);
      writeFileSync(join(gate, `${name}.go`), '');
    },
    async states(): Promise<Record<string, SessionEntry['state']>> {
      const body = sessionsResponseSchema.parse(await (await g.get('/sessions')).json());
      return Object.fromEntries(body.sessions.map((s) => [s.session_id, s.state]));
    },
    async lastUsed(sessionId: string): Promise<string | undefined> {
      const body = sessionsResponseSchema.parse(await (await g.get('/sessions')).json());
      return body.sessions.find((s) => s.session_id === sessionId)?.last_used_at;
    },
  };
}

const whoami = async (g: TestGateway, sessionId: string): Promise<string> => {
  const res = await g.call('gated', { tool: 'whoami', session_id: sessionId });
  expect(res.status).toBe(200);
  return ((await res.json()) as { result: string }).result;
};

describe('session.max_concurrent_starts', () => {
  it('starts one server at a time; a call moves its queued pre-warm ahead; a DELETE of a queued session never spawns it', async () => {
    const gate = await gatedGateway({ max_concurrent_starts: 1 });
    for (const id of ['p1', 'p2', 'p3', 'p4']) expect((await post(gw!, `/sessions/${id}/warm`, { services: ['gated'] })).status).toBe(202);
    expect(await gate.startedCount(1)).toEqual(['p1']);
    // p1 holds the only slot until its server answers: the others wait, visibly, without a process.
    expect(await gate.states()).toEqual({ p1: 'starting', p2: 'queued', p3: 'queued', p4: 'queued' });
    expect(await metric(gw!, 'mcp_gateway_spawns_total', { purpose: 'session' })).toBe(1);

    // A caller arrives on p4 (the last pre-warm): its call waits on p4, which now goes first.
    const before = await gate.lastUsed('p4');
    const call = whoami(gw!, 'p4');
    await waitFor(async () => (await gate.lastUsed('p4')) !== before, 'the call to reach p4');
    const del = await gw!.del('/sessions/p3');
    expect(del.status).toBe(200);
    expect(await gate.states()).toEqual({ p1: 'starting', p2: 'queued', p4: 'queued' });

    gate.release('p1');
    expect(await gate.startedCount(2)).toEqual(['p1', 'p4']);
    gate.release('p4');
    expect(await call).toContain('.gated-p4-');
    expect(await gate.startedCount(3)).toEqual(['p1', 'p4', 'p2']);
    gate.release('p2');
    await waitFor(async () => Object.values(await gate.states()).every((s) => s === 'ready'), 'every session ready');
    // p3 left the queue before its turn: never spawned.
    expect(gate.started()).toEqual(['p1', 'p4', 'p2']);
    expect(await metric(gw!, 'mcp_gateway_spawns_total', { purpose: 'session' })).toBe(3);
  });

  it('starts warm-pool refills after the sessions waiting, and gives a waiting session a spare that became ready', async () => {
    const gate = await gatedGateway({ max_concurrent_starts: 1, warm_pool: 1 });
    expect(await gate.startedCount(1)).toEqual(['pool']);
    // The spare holds the slot: a pre-warm and a call queue behind it, the call first.
    expect((await post(gw!, '/sessions/w1/warm', { services: ['gated'] })).status).toBe(202);
    const call = whoami(gw!, 'c1');
    await waitFor(async () => (await gate.states()).c1 === 'queued', 'the call to queue');

    gate.release('pool');
    // c1's turn: the spare is ready by then and serves it; the refill this takes queues behind w1.
    expect(await call).toContain('.gated-pool-');
    expect(await gate.startedCount(2)).toEqual(['pool', 'w1']);
    expect((await post(gw!, '/sessions/w2/warm', { services: ['gated'] })).status).toBe(202);
    await waitFor(async () => (await gate.states()).w2 === 'queued', 'w2 to queue');

    // The refill was queued before w2, but sessions go first.
    gate.release('w1');
    expect(await gate.startedCount(3)).toEqual(['pool', 'w1', 'w2']);
    gate.release('w2');
    expect(await gate.startedCount(4)).toEqual(['pool', 'w1', 'w2', 'pool']);
    gate.release('pool');
    await waitFor(async () => (await metric(gw!, 'mcp_gateway_warm_pool_spares', { service: 'gated' })) === 1, 'the refilled spare');
  });

  it('shuts down without waiting for the queue: queued sessions are refused, never spawned', async () => {
    const gate = await gatedGateway({ max_concurrent_starts: 1 });
    expect((await post(gw!, '/sessions/a/warm', { services: ['gated'] })).status).toBe(202);
    expect(await gate.startedCount(1)).toEqual(['a']);
    const queued = gw!.call('gated', { tool: 'whoami', session_id: 'b' });
    await waitFor(async () => (await gate.states()).b === 'queued', 'b to queue');
    await gw!.gateway.close();
    gw = undefined;
    const answer = await queued;
    expect(answer.status).toBe(503);
    expect(((await answer.json()) as { code: string }).code).toBe('shutting_down');
    expect(gate.started()).toEqual(['a']);
  });

  it('0 lifts the limit: every start runs at once', async () => {
    const gate = await gatedGateway({ max_concurrent_starts: 0 });
    for (const id of ['a', 'b', 'c']) expect((await post(gw!, `/sessions/${id}/warm`, { services: ['gated'] })).status).toBe(202);
    expect((await gate.startedCount(3)).sort()).toEqual(['a', 'b', 'c']);
    expect(await gate.states()).toEqual({ a: 'starting', b: 'starting', c: 'starting' });
    for (const id of ['a', 'b', 'c']) gate.release(id);
    await waitFor(async () => Object.values(await gate.states()).every((s) => s === 'ready'), 'every session ready');
  });
});

describe('session.max_concurrent_starts in the config', () => {
  const parse = (value: unknown) =>
    parseGatewayConfig(
      { server: { auth_token: 't' }, services: { todo: { command: ['node', 'x.js'] } }, session: value === undefined ? {} : { max_concurrent_starts: value } },
      { env: {}, baseDir: ROOT },
    );

  it('defaults to no limit (0) and takes numbers given as strings', () => {
    expect(parse(undefined).session.max_concurrent_starts).toBe(0);
    expect(parse('3').session.max_concurrent_starts).toBe(3);
    expect(parse(0).session.max_concurrent_starts).toBe(0);
  });

  it.each([-1, 1.5, 'many'])('rejects %j, naming the field', (value) => {
    let error: unknown;
    try {
      parse(value);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error).toMatchObject({ field: 'session.max_concurrent_starts' });
  });
});

describe('StartQueue', () => {
  /** The labels of `tickets` in the order their turns settle (`label:rejected` for a rejection); filled as they do. */
  function track(tickets: Record<string, StartTicket>): string[] {
    const order: string[] = [];
    for (const [label, ticket] of Object.entries(tickets)) {
      ticket.turn.then(
        () => order.push(label),
        () => order.push(`${label}:rejected`),
      );
    }
    return order;
  }
  const settle = () => new Promise((r) => setImmediate(r));

  it('admits by class (call, prewarm, spare), in order of entering the class, never lowering one', async () => {
    const queue = new StartQueue({ limit: 1 });
    let holder = queue.enqueue('spare');
    const t: Record<string, StartTicket> = { s: queue.enqueue('spare'), p1: queue.enqueue('prewarm'), p2: queue.enqueue('prewarm'), c: queue.enqueue('call') };
    t.p2?.raise('call');
    t.c?.raise('spare');
    const order = track(t);
    for (let i = 0; i < 4; i++) {
      await settle();
      expect(order).toHaveLength(i);
      holder.done();
      await settle();
      holder = t[order[i] as string] as StartTicket;
    }
    // p2 became a call after c had queued as one: c's caller has waited longer.
    expect(order).toEqual(['c', 'p2', 'p1', 's']);
    expect(queue.queued).toBe(0);
  });

  it('gives a slot back after slotMs even if the start is not done', async () => {
    vi.useFakeTimers();
    try {
      const queue = new StartQueue({ limit: 1, slotMs: 400 });
      queue.enqueue('call');
      const next = queue.enqueue('call');
      const order = track({ next });
      await vi.advanceTimersByTimeAsync(399);
      expect(order).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(order).toEqual(['next']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a waiting start that is done leaves the queue; close() rejects the waiting and every later one', async () => {
    const queue = new StartQueue({ limit: 1 });
    queue.enqueue('call');
    const t = { gone: queue.enqueue('call'), waiting: queue.enqueue('prewarm') };
    const order = track(t);
    t.gone.done(new Error('closed'));
    await settle();
    expect(order).toEqual(['gone:rejected']);
    queue.close(new Error('shutting down'));
    const late = queue.enqueue('call');
    await settle();
    await expect(late.turn).rejects.toThrow('shutting down');
    await expect(t.waiting.turn).rejects.toThrow('shutting down');
    expect(order).toEqual(['gone:rejected', 'waiting:rejected']);
  });
});
