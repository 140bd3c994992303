/**
 * The request bodies swaig-test sends, shaped exactly like the platform's (signalwire-protocol.md §2.1, §2.6).
 * Every path (exec, simulated call, hooks, REPL, SWML fetch) builds its bodies here and nowhere else.
 */
import { randomUUID } from 'node:crypto';
import type { SwmlFunctionView } from './swml-view.js';

/** Who is calling whom: fixed for the whole simulated call. */
export interface CallIdentity {
  callId: string;
  aiSessionId: string;
  callerName: string;
  callerNumber: string;
  /** The number that was dialled (the agent's). */
  toNumber: string;
  projectId: string;
  spaceId: string;
}

/** Defaults for a simulated caller (a reserved 555-01xx number). */
export const DEFAULT_CALLER = { name: 'swaig-test', number: '+15550100001' } as const;
const DEFAULT_TO_NUMBER = '+15550100002';

/** A fresh identity; `callId` defaults to a new uuid (print it so the user can reuse it with --call-id). */
export function newCallIdentity(opts: { callId?: string | undefined; callerName?: string | undefined; callerNumber?: string | undefined } = {}): CallIdentity {
  return {
    callId: opts.callId ?? randomUUID(),
    aiSessionId: randomUUID(),
    callerName: opts.callerName ?? DEFAULT_CALLER.name,
    callerNumber: opts.callerNumber ?? DEFAULT_CALLER.number,
    toNumber: DEFAULT_TO_NUMBER,
    projectId: randomUUID(),
    spaceId: randomUUID(),
  };
}

/** The POST body of the platform's SWML fetch: `{call:{call_id,…}, vars, envs, params}`. */
export function buildSwmlFetchBody(identity: CallIdentity): Record<string, unknown> {
  return {
    call: {
      call_id: identity.callId,
      node_id: 'swaig-test',
      segment_id: randomUUID(),
      call_state: 'created',
      direction: 'inbound',
      type: 'phone',
      from: identity.callerNumber,
      to: identity.toNumber,
      headers: [],
      project_id: identity.projectId,
      space_id: identity.spaceId,
    },
    vars: {},
    envs: {},
    params: {},
  };
}

/** Call state that changes between requests: global_data and per-scope meta_data. */
export interface EnvelopeState {
  appName: string;
  globalData: Record<string, unknown>;
  /** meta_data for this function's scope (its `meta_data_token`, else its webhook URL). */
  metaData?: Record<string, unknown> | undefined;
  channelActive: boolean;
}

/**
 * The SWAIG request the platform POSTs to a function's `web_hook_url`: `argument.parsed` is `[args]`, `raw` the
 * model's JSON text; `meta_data`/`meta_data_token` only for functions that have them; `global_data` when set.
 */
export function buildSwaigEnvelope(
  fn: SwmlFunctionView,
  args: Record<string, unknown>,
  identity: CallIdentity,
  state: EnvelopeState,
): Record<string, unknown> {
  const envelope: Record<string, unknown> = {
    app_name: state.appName,
    function: fn.name,
    version: '2.0',
    content_type: 'text/swaig',
    content_disposition: 'SWAIG Function',
    channel_active: state.channelActive,
    caller_id_name: identity.callerName,
    caller_id_num: identity.callerNumber,
    project_id: identity.projectId,
    space_id: identity.spaceId,
    call_id: identity.callId,
    ai_session_id: identity.aiSessionId,
    purpose: fn.description,
    description: fn.description,
    argument: { parsed: [args], raw: JSON.stringify(args, null, 1), substituted: '' },
    argument_desc: fn.parameters,
  };
  if (fn.metaDataToken !== undefined) envelope.meta_data_token = fn.metaDataToken;
  if (fn.metaDataToken !== undefined || fn.metaData !== undefined) envelope.meta_data = state.metaData ?? {};
  if (Object.keys(state.globalData).length > 0) envelope.global_data = state.globalData;
  return envelope;
}
