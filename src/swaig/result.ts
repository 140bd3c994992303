import {
  executeRpcVerb,
  joinConferenceVerb,
  payVerbs,
  recordCallVerb,
  sendSmsVerb,
  stopVerb,
  tapVerb,
  type JoinConferenceOptions,
  type PayOptions,
  type RecordCallOptions,
  type SendSmsOptions,
  type TapOptions,
} from './call-verbs.js';

/**
 * Wire form of a SWAIG function reply: a `response` and/or actions. An actions-only reply carries no response
 * (as the Python SDK); with neither, the response is "Action completed.".
 */
export interface SwaigResponse {
  response?: string;
  action?: Array<Record<string, unknown>>;
  post_process?: boolean;
}

/** `{function, active}` entry of the `toggle_functions` action. */
export interface FunctionToggle {
  function: string | string[];
  active: boolean;
}

/** Minimal SWML document accepted by the SWML actions. */
export interface SwmlActionDocument {
  version?: string;
  sections: { main: Array<Record<string, unknown>>; [section: string]: Array<Record<string, unknown>> };
}

const DEFAULT_RESPONSE = 'Action completed.';

/**
 * Builder for a SWAIG function reply: a `response` the AI reads, plus optional platform actions.
 * Every method returns `this`, so calls chain: `new SwaigResult('Done').say('Bye').hangup()`.
 */
export class SwaigResult {
  private response: string;
  private readonly actions: Array<Record<string, unknown>> = [];
  private postProcess = false;

  /** @param response text added to the AI's context (default: none; "Action completed." is sent if empty). */
  constructor(response = '') {
    this.response = response;
  }

  /** Replaces the response text. */
  setResponse(text: string): this {
    this.response = text;
    return this;
  }

  /** When true the AI speaks and takes its turn before the actions run. */
  setPostProcess(value: boolean): this {
    this.postProcess = value;
    return this;
  }

  /** Appends one raw action `{ [name]: value }`. */
  addAction(name: string, value: unknown): this {
    this.actions.push({ [name]: value });
    return this;
  }

  /** Appends several raw action objects as-is. */
  addActions(actions: Array<Record<string, unknown>>): this {
    this.actions.push(...actions);
    return this;
  }

  /** Speaks `text` verbatim. */
  say(text: string): this {
    return this.addAction('say', text);
  }

  /** Ends the call. */
  hangup(): this {
    return this.addAction('hangup', true);
  }

  /** Stops the AI agent (the call continues with the next SWML verb). */
  stop(): this {
    return this.addAction('stop', true);
  }

  /** Puts the caller on hold for `seconds` (0–900, default 300). */
  hold(seconds = 300): this {
    return this.addAction('hold', Math.max(0, Math.min(900, Math.round(seconds))));
  }

  /** Waits for the user to speak: `true`, a number of seconds, or `'answer_first'`. */
  waitForUser(value: boolean | number | 'answer_first' = true): this {
    return this.addAction('wait_for_user', value);
  }

  /** Merges keys into the session's global_data. */
  setGlobalData(data: Record<string, unknown>): this {
    return this.addAction('set_global_data', data);
  }

  /** Alias of {@link setGlobalData} (the platform merges). */
  updateGlobalData(data: Record<string, unknown>): this {
    return this.setGlobalData(data);
  }

  /** Removes one or more keys from global_data. */
  unsetGlobalData(keys: string | string[]): this {
    return this.addAction('unset_global_data', keys);
  }

  /** Merges keys into this function's meta_data (scoped by meta_data_token). */
  setMetaData(data: Record<string, unknown>): this {
    return this.addAction('set_meta_data', data);
  }

  /** Removes one or more meta_data keys. */
  unsetMetaData(keys: string | string[]): this {
    return this.addAction('unset_meta_data', keys);
  }

  /** Enables/disables functions for the rest of the call. */
  toggleFunctions(toggles: FunctionToggle[]): this {
    return this.addAction(
      'toggle_functions',
      toggles.map((t) => ({ function: t.function, active: t.active })),
    );
  }

  /**
   * Runs a SWML document.
   * @param transfer true: the call leaves the AI for good (`transfer: "true"`); false: the AI resumes afterwards.
   */
  executeSwml(doc: SwmlActionDocument, transfer = false): this {
    const swml = { version: doc.version ?? '1.0.0', sections: doc.sections };
    this.actions.push(transfer ? { SWML: swml, transfer: 'true' } : { SWML: swml });
    return this;
  }

  /**
   * Transfers the call to another SWML URL/destination, speaking `aiResponse` first.
   * @param final true (default): permanent transfer; false: return to this agent when the destination ends.
   */
  swmlTransfer(dest: string, aiResponse: string, final = true): this {
    const swml = { version: '1.0.0', sections: { main: [{ set: { ai_response: aiResponse } }, { transfer: { dest } }] } };
    this.actions.push({ SWML: swml, transfer: final ? 'true' : 'false' });
    return this;
  }

  /** Connects the caller to a phone number or SIP address. */
  connect(to: string, opts: { final?: boolean; from?: string } = {}): this {
    const connect = opts.from === undefined ? { to } : { to, from: opts.from };
    const swml = { version: '1.0.0', sections: { main: [{ connect }] } };
    this.actions.push({ SWML: swml, transfer: opts.final === false ? 'false' : 'true' });
    return this;
  }

  /** Sends an SMS/MMS from within the call: a body and/or media URLs, optional tags and region. */
  sendSms(opts: SendSmsOptions): this {
    return this.runVerbs(sendSmsVerb(opts));
  }

  /** Starts recording the call in the background (`record_call`). */
  recordCall(opts: RecordCallOptions = {}): this {
    return this.runVerbs(recordCallVerb(opts));
  }

  /** Stops a background recording (by control id, else the current one). */
  stopRecordCall(controlId?: string): this {
    return this.runVerbs(stopVerb('stop_record_call', controlId));
  }

  /** Collects a card payment through a payment connector; the AI then says `aiResponse`. */
  pay(opts: PayOptions): this {
    return this.runVerbs(...payVerbs(opts));
  }

  /** Moves the caller into a conference. */
  joinConference(name: string, opts: JoinConferenceOptions = {}): this {
    return this.runVerbs(joinConferenceVerb(name, opts));
  }

  /** Moves the caller into a video/audio room. */
  joinRoom(name: string): this {
    return this.runVerbs({ join_room: { name } });
  }

  /** Transfers a SIP call with a SIP REFER. */
  sipRefer(toUri: string): this {
    return this.runVerbs({ sip_refer: { to_uri: toUri } });
  }

  /** Streams the call's audio to `uri` (`ws://`, `wss://` or `rtp://`). */
  tap(uri: string, opts: TapOptions = {}): this {
    return this.runVerbs(tapVerb(uri, opts));
  }

  /** Stops a tap (by control id, else the current one). */
  stopTap(controlId?: string): this {
    return this.runVerbs(stopVerb('stop_tap', controlId));
  }

  /** Runs a platform RPC (`execute_rpc`), optionally on another call / node. */
  executeRpc(method: string, opts: { params?: Record<string, unknown>; callId?: string; nodeId?: string } = {}): this {
    return this.runVerbs(executeRpcVerb(method, opts));
  }

  /** RPC `dial`: calls `to` from `from` and runs the SWML at `destSwml` on the new leg. */
  rpcDial(to: string, from: string, destSwml: string, deviceType = 'phone'): this {
    const params = { devices: { type: deviceType, params: { to_number: to, from_number: from } }, dest_swml: destSwml };
    return this.executeRpc('dial', { params });
  }

  /** RPC `ai_message`: injects a message into another call's AI session. */
  rpcAiMessage(callId: string, text: string, role = 'system'): this {
    return this.executeRpc('ai_message', { callId, params: { role, message_text: text } });
  }

  /** RPC `ai_unhold`: takes another call's AI session off hold. */
  rpcAiUnhold(callId: string): this {
    return this.executeRpc('ai_unhold', { callId });
  }

  /** Sends a user event to connected clients (`user_event`), e.g. to update a UI. */
  swmlUserEvent(event: Record<string, unknown>): this {
    return this.runVerbs({ user_event: { event } });
  }

  /** After this turn, replace the tool call in the history with `text`, or drop it (`true`). */
  replaceInHistory(text: string | boolean = true): this {
    return this.addAction('replace_in_history', text);
  }

  /** Send the full data to the model for this turn only. */
  extensiveData(enabled = true): this {
    return this.addAction('extensive_data', enabled);
  }

  /** Plays background audio; `wait` makes the AI wait until it ends. */
  playBackground(url: string, wait = false): this {
    return this.addAction('playback_bg', wait ? { file: url, wait: true } : url);
  }

  /** Stops background audio. */
  stopBackground(): this {
    return this.addAction('stop_playback_bg', true);
  }

  /** Injects text as if the user had said it. */
  userInput(text: string): this {
    return this.addAction('user_input', text);
  }

  /** Replaces the system prompt (and optionally injects a user prompt). */
  switchContext(systemPrompt: string, opts: { userPrompt?: string; consolidate?: boolean; fullReset?: boolean } = {}): this {
    if (opts.userPrompt === undefined && opts.consolidate === undefined && opts.fullReset === undefined) {
      return this.addAction('context_switch', systemPrompt);
    }
    const value: Record<string, unknown> = { system_prompt: systemPrompt };
    if (opts.userPrompt !== undefined) value.user_prompt = opts.userPrompt;
    if (opts.consolidate !== undefined) value.consolidate = opts.consolidate;
    if (opts.fullReset !== undefined) value.full_reset = opts.fullReset;
    return this.addAction('context_switch', value);
  }

  /** Moves to another step / context of a contexts-based prompt. */
  changeStep(name: string): this {
    return this.addAction('change_step', name);
  }
  changeContext(name: string): this {
    return this.addAction('change_context', name);
  }

  /** Changes AI settings such as temperature for the rest of the call. */
  updateSettings(settings: Record<string, unknown>): this {
    return this.addAction('settings', settings);
  }

  /** Speech tuning: end-of-speech / speech-event timeouts in milliseconds. */
  setEndOfSpeechTimeout(ms: number): this {
    return this.addAction('end_of_speech_timeout', ms);
  }
  setSpeechEventTimeout(ms: number): this {
    return this.addAction('speech_event_timeout', ms);
  }

  /** Adds / clears ASR hints at runtime. */
  addDynamicHints(hints: Array<string | Record<string, unknown>>): this {
    return this.addAction('add_dynamic_hints', hints);
  }
  clearDynamicHints(): this {
    return this.addAction('clear_dynamic_hints', {});
  }

  /** Runs SWML verbs inline (the AI continues afterwards). */
  private runVerbs(...verbs: Array<Record<string, unknown>>): this {
    return this.executeSwml({ sections: { main: verbs } });
  }

  /** The actions added so far (copy). */
  getActions(): Array<Record<string, unknown>> {
    return [...this.actions];
  }

  /**
   * Wire form: `{response?, action?, post_process?}`. No invented response next to actions; "Action completed."
   * only when there is neither. `post_process` only when true and actions exist.
   */
  toJSON(): SwaigResponse {
    const out: SwaigResponse = {};
    if (this.response !== '') out.response = this.response;
    else if (this.actions.length === 0) out.response = DEFAULT_RESPONSE;
    if (this.actions.length > 0) {
      out.action = this.getActions();
      if (this.postProcess) out.post_process = true;
    }
    return out;
  }
}

/**
 * Normalises whatever a handler returned into the wire form.
 * SwaigResult → its JSON; string → `{response}`; an object with a string `response` and/or actions → kept;
 * nothing → a neutral success text; anything else → its JSON text as the response.
 */
export function toSwaigResponse(value: unknown): SwaigResponse {
  if (value instanceof SwaigResult) return value.toJSON();
  if (typeof value === 'string') return { response: value === '' ? DEFAULT_RESPONSE : value };
  if (value === undefined || value === null) return { response: 'Function executed successfully.' };
  const v = value as SwaigResponse;
  const hasActions = Array.isArray(v.action) && v.action.length > 0;
  if (typeof value === 'object' && (typeof v.response === 'string' || hasActions)) {
    const out: SwaigResponse = {};
    if (typeof v.response === 'string' && v.response !== '') out.response = v.response;
    else if (!hasActions) out.response = DEFAULT_RESPONSE;
    if (hasActions) out.action = v.action;
    if (v.post_process === true && out.action) out.post_process = true;
    return out;
  }
  return { response: JSON.stringify(value) };
}
