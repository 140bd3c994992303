/**
 * The request bodies swaig-test sends, shaped exactly like the platform's (signalwire-protocol.md §2.1, §2.6),
 * then reshaped by the user's flags (./request-shape.ts). Every path (exec, simulated call, hooks, REPL, SWML
 * fetch) builds its bodies here and nowhere else.
 */
import { randomUUID } from 'node:crypto';
import { PLATFORM_SHAPE, withCustomData, withOverrides, type RequestShape } from './request-shape.js';
import type { SwmlFunctionView } from './swml-view.js';

/** `--call-type`: `sip` is a phone call (`call.type: "phone"`, numbers), `webrtc` a browser call (addresses). */
export type CallType = 'sip' | 'webrtc';

/** Who is calling whom, and how: fixed for the whole simulated call. */
export interface CallIdentity {
  callId: string;
  aiSessionId: string;
  callerName: string;
  callerNumber: string;
  /** The number (or address, or extension) that was dialled: the agent's. */
  toNumber: string;
  projectId: string;
  spaceId: string;
  callType: CallType;
  direction: 'inbound' | 'outbound';
  /** `call.call_state` of the SWML request (default `created`). */
  callState: string;
}

/** Defaults for a simulated caller (a reserved 555-01xx number). */
export const DEFAULT_CALLER = { name: 'swaig-test', number: '+15550100001' } as const;
const DEFAULT_TO_NUMBER = '+15550100002';
/** WebRTC calls come from and go to addresses, not numbers (as the Python SDK's fake data). */
const WEBRTC_FROM = 'swaig-test@test.domain';
const WEBRTC_TO = 'agent@test.domain';

/** Options of {@link newCallIdentity}; every field has a default. */
export interface CallIdentityOptions {
  callId?: string | undefined;
  callerName?: string | undefined;
  callerNumber?: string | undefined;
  toNumber?: string | undefined;
  projectId?: string | undefined;
  spaceId?: string | undefined;
  callType?: CallType | undefined;
  direction?: 'inbound' | 'outbound' | undefined;
  callState?: string | undefined;
}

/** A fresh identity; `callId` defaults to a new uuid (print it so the user can reuse it with --call-id). */
export function newCallIdentity(opts: CallIdentityOptions = {}): CallIdentity {
  const webrtc = opts.callType === 'webrtc';
  return {
    callId: opts.callId ?? randomUUID(),
    aiSessionId: randomUUID(),
    callerName: opts.callerName ?? DEFAULT_CALLER.name,
    callerNumber: opts.callerNumber ?? (webrtc ? WEBRTC_FROM : DEFAULT_CALLER.number),
    toNumber: opts.toNumber ?? (webrtc ? WEBRTC_TO : DEFAULT_TO_NUMBER),
    projectId: opts.projectId ?? randomUUID(),
    spaceId: opts.spaceId ?? randomUUID(),
    callType: opts.callType ?? 'sip',
    direction: opts.direction ?? 'inbound',
    callState: opts.callState ?? 'created',
  };
}

/** The `call` object the platform describes a call with. */
function callObject(identity: CallIdentity): Record<string, unknown> {
  return {
    call_id: identity.callId,
    node_id: 'swaig-test',
    segment_id: randomUUID(),
    call_state: identity.callState,
    direction: identity.direction,
    type: identity.callType === 'webrtc' ? 'webrtc' : 'phone',
    from: identity.callerNumber,
    to: identity.toNumber,
    headers: [],
    project_id: identity.projectId,
    space_id: identity.spaceId,
  };
}

const asRecord = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** `body` with the user's variables merged into `vars.userVariables`. */
function withUserVariables(body: Record<string, unknown>, shape: RequestShape): Record<string, unknown> {
  if (!shape.userVariables) return body;
  const vars = asRecord(body.vars);
  return { ...body, vars: { ...vars, userVariables: { ...asRecord(vars.userVariables), ...shape.userVariables } } };
}

/**
 * The body of the platform's SWML request: `{call:{call_id,…}, vars, envs, params}`, or `--body` instead;
 * then `vars.userVariables` from `--user-vars`/`--query-params`, then the `--override`s.
 */
export function buildSwmlFetchBody(identity: CallIdentity, shape: RequestShape = PLATFORM_SHAPE): Record<string, unknown> {
  const base = shape.swmlBody ? structuredClone(shape.swmlBody) : { call: callObject(identity), vars: {}, envs: {}, params: {} };
  return withOverrides(withUserVariables(base, shape), shape.overrides);
}

/** Call state that changes between requests: global_data and per-scope meta_data. */
export interface EnvelopeState {
  appName: string;
  globalData: Record<string, unknown>;
  /** meta_data for this function's scope (its `meta_data_token`, else its webhook URL). */
  metaData?: Record<string, unknown> | undefined;
  channelActive: boolean;
}

/** What `--fake-full-data` adds to the platform envelope: the call, a conversation, permission flags. */
function fakeFullData(fn: SwmlFunctionView, args: Record<string, unknown>, identity: CallIdentity): Record<string, unknown> {
  const toolCall = { id: `call_${identity.callId.slice(0, 8)}`, type: 'function', function: { name: fn.name, arguments: JSON.stringify(args) } };
  const callLog = [
    { role: 'system', content: 'You are a helpful AI assistant.' },
    { role: 'user', content: `Please call the ${fn.name} function` },
    { role: 'assistant', content: `I'll call the ${fn.name} function for you.`, tool_calls: [toolCall] },
  ];
  return {
    call: { ...callObject(identity), call_state: 'answered' },
    vars: { environment: 'test', space_id: identity.spaceId, userVariables: {} },
    call_log: callLog,
    raw_call_log: callLog,
    prompt_vars: { caller_number: identity.callerNumber, to_number: identity.toNumber },
    swaig_allow_swml: true,
    swaig_post_conversation: true,
    swaig_post_swml_vars: true,
  };
}

/**
 * The SWAIG request the platform POSTs to a function's `web_hook_url`: `argument.parsed` is `[args]`, `raw` the
 * model's JSON text; `meta_data`/`meta_data_token` only for functions that have them; `global_data` when set.
 * `--minimal` keeps only `function`, `call_id` and `argument`; `--fake-full-data` adds fake call data; then
 * `--custom-data`, the user variables and the `--override`s apply, in that order.
 */
export function buildSwaigEnvelope(
  fn: SwmlFunctionView,
  args: Record<string, unknown>,
  identity: CallIdentity,
  state: EnvelopeState,
  shape: RequestShape = PLATFORM_SHAPE,
): Record<string, unknown> {
  const argument = { parsed: [args], raw: JSON.stringify(args, null, 1), substituted: '' };
  let envelope: Record<string, unknown>;
  if (shape.preset === 'minimal') {
    envelope = { function: fn.name, call_id: identity.callId, argument };
  } else {
    envelope = {
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
      argument,
      argument_desc: fn.parameters,
    };
    if (fn.metaDataToken !== undefined) envelope.meta_data_token = fn.metaDataToken;
    if (fn.metaDataToken !== undefined || fn.metaData !== undefined) envelope.meta_data = state.metaData ?? {};
    if (Object.keys(state.globalData).length > 0) envelope.global_data = state.globalData;
    if (shape.preset === 'full') envelope = { ...envelope, ...fakeFullData(fn, args, identity) };
  }
  return withOverrides(withUserVariables(withCustomData(envelope, shape.customData), shape), shape.overrides);
}
