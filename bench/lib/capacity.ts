/**
 * Calls-per-machine measurements: the gateway's peak RSS through the request sequence, the gateway's cost per
 * idle session, and a burst of calls arriving together (each pre-warmed by its SWML fetch, first tool call 1–3 s
 * later as a caller would, then 4 more), with the peak memory of the gateway and every server it started: PSS
 * (each shared page split between the processes that map it: what the tree really takes) and RSS (which counts
 * the node binary and snapshot pages every server shares once per server).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { rssOf } from './gateway-process.js';
import { expectStatus, type HttpClient } from './http.js';
import { waitReady } from './scenarios.js';

/** Samples a memory figure every `everyMs` until stopped; returns the peak, bytes. */
export function peakSampler(read: () => number, everyMs = 20): { stop(): number } {
  let peak = 0;
  const sample = (): void => {
    try {
      peak = Math.max(peak, read());
    } catch {
      // the process is gone
    }
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

/** `root` and all its descendants (the gateway and every server it started). */
export function treePids(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // gone while we looked
    }
  }
  const pids: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    pids.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return pids;
}

/** Proportional set size of a process from /proc/<pid>/smaps_rollup, bytes. */
export function pssOf(pid: number): number {
  const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
  if (!m) throw new Error(`no Pss for ${pid}`);
  return Number(m[1]) * 1024;
}

/** Sum of `read(pid)` over `root` and its descendants, bytes; processes that went away count 0. */
function treeSum(root: number, read: (pid: number) => number): number {
  let total = 0;
  for (const pid of treePids(root)) {
    try {
      total += read(pid);
    } catch {
      // gone
    }
  }
  return total;
}

/** RSS of `root` and all its descendants, bytes: pages shared between them are counted once per process. */
export const treeRss = (root: number): number => treeSum(root, rssOf);

/** PSS of `root` and all its descendants, bytes: every page counted once in total. */
export const treePss = (root: number): number => treeSum(root, pssOf);

/** The request sequence: 2,000 `/health`, 200 `/services`, 20 tool listings, then 50 sessions x 5 calls. */
export async function requestSequence(http: HttpClient, wide: HttpClient): Promise<{ errors: number }> {
  for (let i = 0; i < 2000; i++) expectStatus(await http.request('GET', '/health'), 200, 'health');
  for (let i = 0; i < 200; i++) expectStatus(await http.request('GET', '/services'), 200, 'services');
  for (let i = 0; i < 20; i++) expectStatus(await http.request('GET', '/services/todo/tools'), 200, 'tools');
  const ids = Array.from({ length: 50 }, (_, i) => `seq-${i}`);
  for (const id of ids) expectStatus(await http.request('POST', `/sessions/${id}/warm`, { services: ['todo'] }), 202, 'warm');
  for (const id of ids) await waitReady(http, id, 120_000);
  let errors = 0;
  await Promise.all(
    ids.map(async (id) => {
      for (let k = 0; k < 5; k++) {
        const answer = await wide.request('POST', '/services/todo/call', { tool: 'list_todos', arguments: {}, session_id: id });
        if (answer.status !== 200) errors++;
      }
    }),
  );
  return { errors };
}

/** Opens `n` sessions of `service` (one `ping` each), waits `settleMs`, and returns the RSS growth per session, MiB. */
export async function perSessionCost(http: HttpClient, rss: () => number, service: string, n: number, settleMs: number): Promise<number> {
  await delay(settleMs);
  const before = rss();
  for (let i = 0; i < n; i++) {
    expectStatus(await http.request('POST', `/services/${service}/call`, { tool: 'ping', arguments: {}, session_id: `idle-${i}` }), 200, 'ping');
  }
  await delay(settleMs);
  return (rss() - before) / n / 1024 / 1024;
}

/** Outcome of one burst. */
export interface BurstResult {
  firstCalls: number[];
  laterCalls: number[];
  errors: number;
  /** Peak RSS of the gateway and all its servers together, bytes (shared pages counted once per process). */
  peakTreeRss: number;
  /** Peak PSS of the gateway and all its servers together, bytes (sampled each second and at the end). */
  peakTreePss: number;
  seconds: number;
}

/**
 * `calls` callers arrive spread over `arrivalMs`: each warms its session (as the agent does on the SWML fetch),
 * makes its first tool call 1–3 s later, then 4 more one after another.
 */
export async function burst(http: HttpClient, gatewayPid: number, calls: number, arrivalMs = 1000): Promise<BurstResult> {
  const rssSampler = peakSampler(() => treeRss(gatewayPid), 100);
  // smaps_rollup walks each process's page tables (~1 ms per server): sampled rarely, so as not to load the burst.
  const pssSampler = peakSampler(() => treePss(gatewayPid), 1000);
  const firstCalls: number[] = [];
  const laterCalls: number[] = [];
  let errors = 0;
  const t0 = performance.now();
  const callOnce = async (id: string): Promise<number> => {
    const t = performance.now();
    const answer = await http.request('POST', '/services/todo/call', { tool: 'list_todos', arguments: {}, session_id: id }).catch(() => undefined);
    if (answer?.status !== 200 || answer.body.includes('"is_error":true')) errors++;
    return performance.now() - t;
  };
  await Promise.all(
    Array.from({ length: calls }, async (_, i) => {
      const id = `burst-${i}`;
      await delay((i * arrivalMs) / calls);
      const warm = await http.request('POST', `/sessions/${id}/warm`, { services: ['todo'] }).catch(() => undefined);
      if (warm?.status !== 202) errors++;
      await delay(1000 + Math.random() * 2000);
      firstCalls.push(await callOnce(id));
      for (let k = 0; k < 4; k++) laterCalls.push(await callOnce(id));
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const peakTreeRss = rssSampler.stop();
  const peakTreePss = pssSampler.stop();
  for (let i = 0; i < calls; i++) await http.request('DELETE', `/sessions/burst-${i}`).catch(() => undefined);
  return { firstCalls, laterCalls, errors, peakTreeRss, peakTreePss, seconds };
}

/** Waits until the service has `n` ready warm-pool spares (read from /status's source, the metrics gauge). */
export async function waitSpares(http: HttpClient, service: string, n: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const line = new RegExp(`^mcp_gateway_warm_pool_spares\\{service="${service}"\\} (\\d+)`, 'm');
  for (;;) {
    const { body } = await http.request('GET', '/metrics');
    if (Number(line.exec(body)?.[1] ?? 0) >= n) return;
    if (Date.now() > deadline) throw new Error(`${service}: ${n} spares not ready`);
    await delay(100);
  }
}
