import type { Logger } from 'pino';
import { extractSwmlCallId } from '../swaig/request.js';
import type { AgentConfig } from './agent-config.js';

/** The caller as the request describes it (SWML fetch: `body.call`; SWAIG request: the envelope's caller fields). */
export interface CallInfo {
  callId?: string | undefined;
  /** Caller: `call.from` (a number or SIP URI), or `caller_id_num` on a SWAIG request. */
  from?: string | undefined;
  /** Called number / SIP URI (`call.to`). */
  to?: string | undefined;
  direction?: string | undefined;
  /** `sip`, `phone`, `webrtc`… (`call.type`). */
  type?: string | undefined;
  /** SIP headers of the call by lower-case name (`call.headers` `[{name, value}]`). */
  headers: Record<string, string>;
}

/**
 * What a per-request configuration handler gets. `config` is a deep copy of the agent's configuration made for
 * this request alone: change it freely (prompt sections, global_data, hints, languages, params, tools…); only this
 * render (or this SWAIG request) sees it. Never change the agent itself from a handler: that would reach every caller.
 */
export interface SwmlRequestContext {
  /** `swml` for a SWML fetch, `swaig` for a function call (so per-request tools are found again). */
  kind: 'swml' | 'swaig';
  /** From `body.call.call_id`, else `body.call_id`, else query `call_id`. */
  callId?: string | undefined;
  call: CallInfo;
  body: unknown;
  query: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
  config: AgentConfig;
}
export type SwmlRequestHandler = (ctx: SwmlRequestContext) => void | Promise<void>;

/** Python-SDK style per-request callback: `(query, body, headers, config)`, on SWML and SWAIG requests alike. */
export type DynamicConfigCallback = (
  query: Record<string, unknown>,
  body: unknown,
  headers: Record<string, string | string[] | undefined>,
  config: AgentConfig,
) => void | Promise<void>;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function sipHeaders(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(raw)) {
    for (const h of raw) if (isObject(h) && typeof h.name === 'string' && typeof h.value === 'string') out[h.name.toLowerCase()] = h.value;
  } else if (isObject(raw)) {
    for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') out[k.toLowerCase()] = v;
  }
  return out;
}

/** Caller facts from a SWML fetch body (`call.*`) or a SWAIG envelope (`caller_id_num`, `call_id`). */
export function callInfoFrom(body: unknown, query: Record<string, unknown>): CallInfo {
  const b = isObject(body) ? body : {};
  const call = isObject(b.call) ? b.call : {};
  return {
    callId: extractSwmlCallId(body, query),
    from: str(call.from) ?? str(b.caller_id_num) ?? str(b.caller_id_number),
    to: str(call.to),
    direction: str(call.direction) ?? str(b.call_direction),
    type: str(call.type) ?? str(b.call_type),
    headers: sipHeaders(call.headers),
  };
}

/** The request as handlers see it, before a config copy is attached. */
export interface RequestInput {
  kind: 'swml' | 'swaig';
  body: unknown;
  query: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * Runs the handlers against a fresh copy of `base` and returns that copy (or `base` itself when no handler touched
 * `ctx.config`: rendering only reads it). A failing handler is logged with the call id and does not fail the request.
 */
export async function configForRequest(
  base: AgentConfig,
  handlers: readonly SwmlRequestHandler[],
  input: RequestInput,
  logger: Logger,
): Promise<{ config: AgentConfig; call: CallInfo }> {
  const call = callInfoFrom(input.body, input.query);
  let copy: AgentConfig | undefined;
  // The copy is made on first use, so handlers that only read the request (e.g. warm a cache) cost no clone.
  const ctx: SwmlRequestContext = {
    ...input,
    callId: call.callId,
    call,
    get config() {
      copy ??= base.clone();
      return copy;
    },
  };
  for (const handler of handlers) {
    try {
      await handler(ctx);
    } catch (err) {
      logger.error({ err, call_id: call.callId, kind: input.kind }, 'per-request configuration handler failed');
    }
  }
  return { config: copy ?? base, call };
}
