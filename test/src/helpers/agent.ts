import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { FunctionTokens } from '../../../src/index.js';

/** A logger that writes nothing. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

/** A logger that collects parsed JSON log lines in `lines`. */
export function captureLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

/** Reads a platform-shaped payload from test/fixtures. */
export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../../fixtures/${name}`, import.meta.url), 'utf8')) as T;
}

export const AUTH = { user: 'agent_user', password: 'p@ss:w/rd%secret' };

/** Call ids of the platform-shaped fixtures (swaig-call.json / hangup-hook.json, swml-fetch.json). */
export const SWAIG_CALL_ID = '8b1a0c2e-3333-4f4f-a000-swaigcall0001';
export const SWML_CALL_ID = 'c2d3e4f5-0000-4a1b-9c2d-swmlfetch0001';

interface RendersSwml {
  renderSwml(opts?: { callId?: string }): { sections: { main: Array<Record<string, unknown>> } };
}

/**
 * Path + query (`/swaig?__token=…`) the platform would post `fn` to in a call with `callId`: read from the SWML
 * rendered for that call, so secure functions carry their per-call token.
 */
export function swaigPath(agent: RendersSwml, fn: string, callId = SWAIG_CALL_ID): string {
  const ai = agent.renderSwml({ callId }).sections.main.find((v) => 'ai' in v)?.ai as {
    SWAIG: { defaults: { web_hook_url: string }; functions: Array<{ function: string; web_hook_url?: string }> };
  };
  const entry = ai.SWAIG.functions.find((f) => f.function === fn);
  const url = new URL(entry?.web_hook_url ?? ai.SWAIG.defaults.web_hook_url);
  return url.pathname + url.search;
}

/** A fixed function-token secret, so a test can mint the token the agent's SWML would carry. */
export const TOKEN_SECRET = 'test-token-secret-0123456789';

/**
 * `path?__token=…` for posting `body` to an agent built with `tokenSecret: TOKEN_SECRET`: the token of
 * `body.function` for `body.call_id` (a body without call_id gets `test-call`, as the platform always sends one).
 */
export function withToken(path: string, body: unknown): { path: string; body: unknown } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { path, body };
  const b = body as Record<string, unknown>;
  if (typeof b.function !== 'string') return { path, body };
  const withCall = typeof b.call_id === 'string' ? b : { ...b, call_id: 'test-call' };
  const token = new FunctionTokens(TOKEN_SECRET).mint(withCall.call_id as string, b.function);
  return { path: `${path}${path.includes('?') ? '&' : '?'}__token=${token}`, body: withCall };
}
