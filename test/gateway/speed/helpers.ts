/** Helpers for the speed-feature tests: the dynamic-tools fixture, /metrics parsing, child processes. */
import { chmodSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AUTH, tempDir, type TestGateway } from '../helpers.js';

export const DYNAMIC_SERVER = fileURLToPath(new URL('./fixtures/dynamic-tools-server.mjs', import.meta.url));

/** A tools file for the dynamic fixture, and a way to change it. */
export function toolsFile(names: string[]): { path: string; set(names: string[]): void } {
  const dir = tempDir('gw-tools-');
  chmodSync(dir, 0o755); // readable by the per-session uid the server runs as
  const path = join(dir, 'tools.json');
  const set = (list: string[]): void => writeFileSync(path, JSON.stringify(list));
  set(names);
  return { path, set };
}

/**
 * A service entry running the dynamic-tools fixture: it reads its tools file from outside its session and
 * reports its own pid, so it runs without a pid namespace (see fixtureService).
 */
export function dynamicService(file: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const { env, ...rest } = extra as { env?: Record<string, string> };
  return { command: ['node', DYNAMIC_SERVER], description: 'dynamic tools', env: { TOOLS_FILE: file, ...env }, sandbox: { isolation: 'none' }, ...rest };
}

/** GET /metrics as text (bearer auth). */
export async function scrape(gw: TestGateway): Promise<string> {
  const res = await gw.get('/metrics', AUTH);
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  return res.text();
}

/**
 * Sum of the samples of metric `name` whose labels include `labels` (0 when none).
 * Parses the Prometheus text format lines `name{a="b",...} value`.
 */
export function metricValue(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) sum += Number(m[3]);
  }
  return sum;
}

/** Reads one metric from a fresh scrape. */
export async function metric(gw: TestGateway, name: string, labels: Record<string, string> = {}): Promise<number> {
  return metricValue(await scrape(gw), name, labels);
}

/** Pids of this process's direct children whose command line contains `needle`. */
export function childPids(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) pids.push(Number(entry));
    } catch {
      // gone while we looked
    }
  }
  return pids;
}

/** POST a JSON body (or raw text with a content type) with bearer auth. */
export function post(gw: TestGateway, path: string, body?: unknown, contentType = 'application/json'): Promise<Response> {
  const init: RequestInit = { method: 'POST', headers: { ...AUTH, ...(body === undefined ? {} : { 'content-type': contentType }) } };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  return fetch(gw.url + path, init);
}
