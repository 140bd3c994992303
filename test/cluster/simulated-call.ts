/**
 * One simulated phone call against a public agent URL (nginx in front of several instances), as the platform
 * makes it: SWML fetch, then 5 stateful todo tool calls, each posted to the web_hook_url its own SWML gave
 * (call id routing key and secure-function tokens included), then its hangup_hook. Records which instance answered
 * each request (nginx's X-Upstream header), whether the AI was told of a session reset, and whether state held.
 */
import { swaigBody, swmlFetchBody, webhookPaths } from '../e2e/helpers.js';

/** What happened on one call. */
export interface CallRecord {
  callId: string;
  /** Instance (`127.0.0.1:port`) that answered each of this call's webhooks (not its SWML fetch), in order. */
  upstreams: string[];
  /** When each of those webhooks was sent (ms since the epoch); the last one is the hangup_hook. */
  sentAt: number[];
  /** Every instance nginx tried for those webhooks, including ones it moved on from (refused, 503 draining). */
  tried: Set<string>;
  /** A reply carried the gateway's session_reset note. */
  resetTold: boolean;
  /** Requests that did not answer 200 or whose reply was a failure text. */
  errors: string[];
  /** The final list held every item this call added. */
  stateKept: boolean;
}

/** Where and how to call. */
export interface CallTarget {
  publicUrl: string;
  user: string;
  password: string;
}

const ITEMS = ['buy milk', 'call mom', 'fix bike', 'pay rent'];
const RESET_NOTE = /had to restart during this call/;
const FAILURE = /unavailable right now|took too long|could not|busy right now|security check failed/;

async function post(target: CallTarget, path: string, body: unknown): Promise<{ status: number; json: any; upstream: string }> {
  const authorization = `Basic ${Buffer.from(`${target.user}:${target.password}`).toString('base64')}`;
  const res = await fetch(new URL(path, target.publicUrl), {
    method: 'POST',
    headers: { authorization, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json, upstream: res.headers.get('x-upstream') ?? '' };
}

/**
 * Runs one call; `pause` (between steps, ms) spreads a run over time so a fault can land mid-call. `onStep` sees
 * the record after each webhook answered.
 */
export async function simulateCall(target: CallTarget, callId: string, pause = 0, onStep?: (record: CallRecord) => void): Promise<CallRecord> {
  const record: CallRecord = { callId, upstreams: [], sentAt: [], tried: new Set(), resetTold: false, errors: [], stateKept: false };
  const swml = await post(target, '/', swmlFetchBody(callId));
  if (swml.status !== 200) {
    record.errors.push(`swml ${swml.status}`);
    return record;
  }
  const pathOf = webhookPaths(swml.json);
  const step = async (fn: string, args: Record<string, unknown>): Promise<string> => {
    if (pause > 0) await new Promise((r) => setTimeout(r, pause));
    record.sentAt.push(Date.now());
    const res = await post(target, pathOf(fn), swaigBody(fn, args, callId));
    // nginx lists every address it tried, the one that answered last: "a, b".
    const addresses = res.upstream.split(/,\s*/).filter(Boolean);
    record.upstreams.push(addresses.at(-1) ?? '');
    for (const a of addresses) record.tried.add(a);
    const reply = typeof res.json?.response === 'string' ? (res.json.response as string) : JSON.stringify(res.json);
    if (res.status !== 200) record.errors.push(`${fn} ${res.status} ${reply}`);
    else if (FAILURE.test(reply)) record.errors.push(`${fn}: ${reply}`);
    if (RESET_NOTE.test(reply)) record.resetTold = true;
    onStep?.(record);
    return reply;
  };
  for (const text of ITEMS) await step('mcp_todo_add_todo', { text });
  const list = await step('mcp_todo_list_todos', {});
  record.stateKept = ITEMS.every((text) => list.includes(text));
  await step('hangup_hook', {});
  return record;
}

/** Webhooks one call makes: the todo additions, the listing and the hangup_hook. */
export const STEPS_PER_CALL = ITEMS.length + 2;

/** Runs `count` calls, `concurrency` at a time; `onDone(n)` after each finished call, `onStep` after each webhook. */
export async function runCalls(
  target: CallTarget,
  count: number,
  concurrency: number,
  opts: { prefix: string; pause?: number; onDone?: (done: number) => void; onStep?: (record: CallRecord, done: number) => void },
): Promise<CallRecord[]> {
  const records: CallRecord[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      const onStep = opts.onStep && ((r: CallRecord) => opts.onStep?.(r, records.filter(Boolean).length));
      records[i] = await simulateCall(target, `${opts.prefix}-${String(i).padStart(4, '0')}`, opts.pause ?? 0, onStep);
      opts.onDone?.(records.filter(Boolean).length);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return records;
}

/** A call that lost something: an error, the todo state it built, or a reset the AI had to be told of. */
export const harmed = (r: CallRecord): boolean => r.errors.length > 0 || !r.stateKept || r.resetTold;

/** The first harmed calls, as an assertion message. */
export function harmedSummary(records: CallRecord[]): string {
  return JSON.stringify(records.filter(harmed).slice(0, 5), (_k, v: unknown) => (v instanceof Set ? [...v] : v), 1);
}

/** An `onDone` for {@link runCalls} that sends `signal` to `pid` once `after` calls have finished; `sent` says whether it did. */
export function signalAfter(pid: number, signal: NodeJS.Signals, after: number): { onDone: (done: number) => void; readonly sent: boolean } {
  let sent = false;
  return {
    onDone: (done) => {
      if (done < after || sent) return;
      sent = true;
      process.kill(pid, signal);
    },
    get sent() {
      return sent;
    },
  };
}
