/** Shared helpers for the end-to-end tests: platform-shaped payloads over real HTTP, gateway probes, configs. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor as pollFor } from '../helpers/net.js';
import { ROOT, TODO_SERVER } from '../helpers/paths.js';

export { EVERYTHING_SERVER, MEMORY_SERVER, ROOT } from '../helpers/paths.js';
export { processExists } from '../helpers/processes.js';
export const AGENT_AUTH = { user: 'e2e_user', password: 'e2e:pass/word' };

/** Polls until `check` returns a truthy value (no blind sleeps); end-to-end steps get 20 s by default. */
export const waitFor = <T>(check: () => T | Promise<T>, what: string, timeoutMs = 20_000): Promise<NonNullable<T>> => pollFor(check, what, timeoutMs);

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(ROOT, 'test/fixtures', name), 'utf8')) as Record<string, unknown>;
}

/** The platform's SWML fetch body for `callId`. */
export function swmlFetchBody(callId: string): Record<string, unknown> {
  const body = fixture('swml-fetch.json');
  return { ...body, call: { ...(body.call as object), call_id: callId } };
}

/** A platform-shaped SWAIG call (argument.parsed / raw / substituted) for `fn` on `callId`. */
export function swaigBody(fn: string, args: Record<string, unknown>, callId: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  const base = fn === 'hangup_hook' ? fixture('hangup-hook.json') : fixture('swaig-call.json');
  const { meta_data_token: _t, meta_data: _m, purpose: _p, argument_desc: _d, global_data: _g, ...rest } = base;
  return { ...rest, function: fn, call_id: callId, argument: { parsed: [args], raw: JSON.stringify(args), substituted: '' }, ...extra };
}

/**
 * Where the platform would post each function of a SWML document: path + query of its own `web_hook_url` (secure
 * functions carry their per-call `__token` there), else of `SWAIG.defaults.web_hook_url`.
 */
export function webhookPaths(swml: unknown): (fn: string) => string {
  const main = (swml as { sections: { main: Array<Record<string, any>> } }).sections.main;
  const swaig = main.find((verb) => verb.ai)?.ai.SWAIG as { defaults: { web_hook_url: string }; functions: Array<{ function: string; web_hook_url?: string }> };
  return (fn) => {
    const entry = swaig.functions.find((f) => f.function === fn);
    if (!entry) throw new Error(`no function ${fn} in the SWML`);
    const url = new URL(entry.web_hook_url ?? swaig.defaults.web_hook_url);
    return url.pathname + url.search;
  };
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** POSTs JSON to the agent with its Basic credentials. */
export async function postAgent(url: string, path: string, body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(new URL(path, url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: basic(AGENT_AUTH.user, AGENT_AUTH.password) },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

/** One session row of `GET /sessions`. */
export interface SessionRow {
  session_id: string;
  service: string;
  pid?: number;
}

/** `GET /sessions` on a gateway. */
export async function listSessions(gatewayUrl: string, headers: Record<string, string>): Promise<SessionRow[]> {
  const res = await fetch(`${gatewayUrl}/sessions`, { headers });
  if (res.status !== 200) throw new Error(`GET /sessions → ${res.status}`);
  return ((await res.json()) as { sessions: SessionRow[] }).sessions;
}

/** Writes a gateway config (loopback, bearer token, generous limits, private sandbox dir) and returns its path. */
export function writeGatewayConfig(services: Record<string, unknown>, token: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-e2e-'));
  const config = {
    server: { host: '127.0.0.1', port: 0, auth_token: token },
    services,
    session: { sandbox_dir: join(dir, 'sandbox'), default_timeout: 300, cleanup_interval: 60 },
    rate_limiting: {
      default_limits: ['100000 per hour'],
      tools_limit: '10000 per minute',
      call_limit: '10000 per minute',
      session_delete_limit: '10000 per minute',
    },
    logging: { level: 'ERROR' },
  };
  const path = join(dir, 'config.json');
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}

/** The todo service entry (sandboxed as in the shipped config.json). */
export const todoService = {
  command: ['node', TODO_SERVER],
  description: 'Simple todo list for testing',
  sandbox: { enabled: true, resource_limits: true, restricted_env: true },
};
