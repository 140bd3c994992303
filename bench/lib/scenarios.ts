/** The gateway measurements: each returns raw samples (ms) or counts; run.ts prints them. */
import { setTimeout as delay } from 'node:timers/promises';
import { expectStatus, type HttpClient } from './http.js';
import { summarize, timeEach, type Summary } from './stats.js';

const TOOL = 'list_todos';
const callBody = (sessionId: string): Record<string, unknown> => ({ tool: TOOL, arguments: {}, session_id: sessionId });

/** One sequential call on a session. */
export async function call(http: HttpClient, sessionId: string): Promise<void> {
  const answer = expectStatus(await http.request('POST', '/services/todo/call', callBody(sessionId)), 200, `call ${sessionId}`);
  if (answer.body.includes('"is_error":true')) throw new Error(`tool error: ${answer.body}`);
}

/** Polls GET /sessions (every 2 ms) until the session's server is ready. */
export async function waitReady(http: HttpClient, sessionId: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await http.request('GET', '/sessions');
    const rows = (JSON.parse(body) as { sessions: Array<{ session_id: string; state?: string }> }).sessions;
    if (rows.some((r) => r.session_id === sessionId && r.state === 'ready')) return;
    if (Date.now() > deadline) throw new Error(`session ${sessionId} not ready`);
    await delay(2);
  }
}

/** `n` sequential calls on one session after `warmup` unmeasured ones; errors are counted, not thrown. */
export async function warmCalls(http: HttpClient, sessionId: string, n: number, warmup: number): Promise<{ samples: number[]; errors: number }> {
  for (let i = 0; i < warmup; i++) await call(http, sessionId);
  let errors = 0;
  const samples = await timeEach(n, () => call(http, sessionId).catch(() => void errors++));
  return { samples, errors };
}

/** Calls over a new TCP connection each time. */
export function freshConnectionCalls(http: HttpClient, sessionId: string, n: number): Promise<number[]> {
  return timeEach(n, async () => expectStatus(await http.fresh('POST', '/services/todo/call', callBody(sessionId)), 200, 'fresh call'));
}

/** Warm-up request, wait until ready (not timed), then time the session's first call. */
export async function preWarmedFirstCalls(http: HttpClient, n: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const id = `prewarm-${i}`;
    expectStatus(await http.request('POST', `/sessions/${id}/warm`, { services: ['todo'] }), 202, 'warm');
    await waitReady(http, id);
    const t0 = performance.now();
    await call(http, id);
    samples.push(performance.now() - t0);
    expectStatus(await http.request('DELETE', `/sessions/${id}`), 200, 'delete');
  }
  return samples;
}

/** First call of a session nobody warmed: spawn + initialize + call. */
export async function coldFirstCalls(http: HttpClient, n: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const id = `cold-${i}`;
    const t0 = performance.now();
    await call(http, id);
    samples.push(performance.now() - t0);
    expectStatus(await http.request('DELETE', `/sessions/${id}`), 200, 'delete');
  }
  return samples;
}

/** Sequential GETs of a path. */
export function gets(http: HttpClient, path: string, n: number): Promise<number[]> {
  return timeEach(n, async () => expectStatus(await http.request('GET', path), 200, path));
}

/**
 * DELETE of live sessions. Every iteration first starts a session (a spawn, which keeps the machine busy
 * for a while), then times a control call on another session; even iterations time the DELETE alone,
 * odd ones a DELETE and another session's call sent at the same moment. Racing calls are compared with
 * the control calls made under the same conditions.
 */
export async function deletes(http: HttpClient, other: HttpClient, n: number): Promise<{ del: number[]; racing: number[]; control: number[] }> {
  const out = { del: [] as number[], racing: [] as number[], control: [] as number[] };
  for (let i = 0; i < n; i++) {
    const id = `del-${i}`;
    await call(http, id);
    const c0 = performance.now();
    await call(other, 'bench-warm');
    out.control.push(performance.now() - c0);
    const t0 = performance.now();
    if (i % 2 === 0) {
      expectStatus(await http.request('DELETE', `/sessions/${id}`), 200, 'delete');
      out.del.push(performance.now() - t0);
    } else {
      const racing = call(other, 'bench-warm').then(() => out.racing.push(performance.now() - t0));
      expectStatus(await http.request('DELETE', `/sessions/${id}`), 200, 'delete');
      await racing;
    }
  }
  return out;
}

/** N sessions started (warm, untimed), then `perSession` calls each, all sessions at once. */
export async function throughput(http: HttpClient, sessions: number, perSession: number): Promise<{ samples: number[]; seconds: number; errors: number }> {
  const ids = Array.from({ length: sessions }, (_, i) => `tp-${i}`);
  for (const id of ids) expectStatus(await http.request('POST', `/sessions/${id}/warm`, { services: ['todo'] }), 202, 'warm');
  for (const id of ids) await waitReady(http, id, 60_000);
  const samples: number[] = [];
  let errors = 0;
  const t0 = performance.now();
  await Promise.all(
    ids.map(async (id) => {
      for (let k = 0; k < perSession; k++) {
        const t = performance.now();
        await call(http, id).catch(() => void errors++);
        samples.push(performance.now() - t);
      }
    }),
  );
  return { samples, seconds: (performance.now() - t0) / 1000, errors };
}

export type { Summary };
export { summarize };

/**
 * The floors and the gateway measured in alternating blocks, so that load from other processes on a shared
 * machine hits all of them alike: raw stdio, the bare HTTP floor, the Express floor, and the gateway (keep-alive).
 */
export async function interleaved(
  raw: { call(tool: string): Promise<unknown> },
  gateway: HttpClient,
  floor: HttpClient,
  expressFloor: HttpClient,
  rounds: number,
  block: number,
): Promise<{ raw: number[]; gateway: number[]; floor: number[]; expressFloor: number[] }> {
  const out = { raw: [] as number[], gateway: [] as number[], floor: [] as number[], expressFloor: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    out.raw.push(...(await timeEach(block, () => raw.call(TOOL))));
    out.floor.push(...(await floorCalls(floor, block)));
    out.expressFloor.push(...(await floorCalls(expressFloor, block)));
    out.gateway.push(...(await timeEach(block, () => call(gateway, 'bench-warm'))));
  }
  return out;
}

/** `n` sequential calls to a floor server (path `/`). */
export function floorCalls(floor: HttpClient, n: number): Promise<number[]> {
  return timeEach(n, async () => expectStatus(await floor.request('POST', '/', callBody('floor')), 200, 'floor'));
}

/** First call on fresh todo servers, direct over stdio, after the same warm-up the gateway does. */
export async function rawFirstCalls(
  open: () => Promise<{ call(tool: string): Promise<unknown>; listTools(): Promise<unknown>; close(): Promise<void> }>,
  n: number,
  warmupListings: number,
): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const client = await open();
    for (let k = 0; k < warmupListings; k++) await client.listTools();
    const t0 = performance.now();
    await client.call(TOOL);
    samples.push(performance.now() - t0);
    await client.close();
  }
  return samples;
}

/** Deletes every live session. */
export async function deleteAll(http: HttpClient): Promise<void> {
  const rows = (JSON.parse((await http.request('GET', '/sessions')).body) as { sessions: Array<{ session_id: string }> }).sessions;
  for (const id of new Set(rows.map((r) => r.session_id))) await http.request('DELETE', `/sessions/${encodeURIComponent(id)}`);
}

/** Number of live sessions. */
export async function liveSessions(http: HttpClient): Promise<number> {
  return (JSON.parse((await http.request('GET', '/sessions')).body) as { sessions: unknown[] }).sessions.length;
}
