/**
 * The SWML verbs behind SwaigResult's call-control helpers (record, pay, conference, room, SIP REFER, tap, RPC,
 * user events, SMS), with the Python SDK's parameters and defaults. Each returns one verb object `{ name: params }`;
 * only values that differ from the platform default are written, as the SDK does.
 */

type Verb = Record<string, unknown>;

function oneOf<T extends string>(what: string, value: T, allowed: readonly T[]): T {
  if (!allowed.includes(value)) throw new TypeError(`${what} must be one of ${allowed.join(', ')} (got '${value}')`);
  return value;
}

/** Options of `recordCall`. Times in seconds. */
export interface RecordCallOptions {
  controlId?: string;
  stereo?: boolean;
  format?: 'wav' | 'mp3';
  direction?: 'speak' | 'listen' | 'both';
  terminators?: string;
  beep?: boolean;
  inputSensitivity?: number;
  initialTimeout?: number;
  endSilenceTimeout?: number;
  maxLength?: number;
  statusUrl?: string;
}

export function recordCallVerb(o: RecordCallOptions = {}): Verb {
  const params: Record<string, unknown> = {
    stereo: o.stereo ?? false,
    format: oneOf('format', o.format ?? 'wav', ['wav', 'mp3']),
    direction: oneOf('direction', o.direction ?? 'both', ['speak', 'listen', 'both']),
    beep: o.beep ?? false,
    input_sensitivity: o.inputSensitivity ?? 44,
  };
  if (o.controlId) params.control_id = o.controlId;
  if (o.terminators) params.terminators = o.terminators;
  if (o.initialTimeout !== undefined) params.initial_timeout = o.initialTimeout;
  if (o.endSilenceTimeout !== undefined) params.end_silence_timeout = o.endSilenceTimeout;
  if (o.maxLength !== undefined) params.max_length = o.maxLength;
  if (o.statusUrl) params.status_url = o.statusUrl;
  return { record_call: params };
}

/** `{ stop_record_call: {control_id?} }` / `{ stop_tap: {control_id?} }`. */
export function stopVerb(name: 'stop_record_call' | 'stop_tap', controlId?: string): Verb {
  return { [name]: controlId ? { control_id: controlId } : {} };
}

/** Options of `pay` (SWML `pay`; strings where the platform wants strings). */
export interface PayOptions {
  connectorUrl: string;
  input?: 'dtmf' | 'voice';
  statusUrl?: string;
  paymentMethod?: string;
  timeout?: number;
  maxAttempts?: number;
  securityCode?: boolean;
  postalCode?: boolean | string;
  minPostalCodeLength?: number;
  tokenType?: 'reusable' | 'one-time';
  chargeAmount?: string;
  currency?: string;
  language?: string;
  voice?: string;
  description?: string;
  validCardTypes?: string;
  parameters?: Array<Record<string, string>>;
  prompts?: Array<Record<string, unknown>>;
  /** Said by the AI afterwards; `${pay_result}` is the outcome. */
  aiResponse?: string;
}

export function payVerbs(o: PayOptions): Verb[] {
  const params: Record<string, unknown> = {
    payment_connector_url: o.connectorUrl,
    input: o.input ?? 'dtmf',
    payment_method: o.paymentMethod ?? 'credit-card',
    timeout: String(o.timeout ?? 5),
    max_attempts: String(o.maxAttempts ?? 1),
    security_code: String(o.securityCode ?? true),
    min_postal_code_length: String(o.minPostalCodeLength ?? 0),
    token_type: o.tokenType ?? 'reusable',
    currency: o.currency ?? 'usd',
    language: o.language ?? 'en-US',
    voice: o.voice ?? 'woman',
    valid_card_types: o.validCardTypes ?? 'visa mastercard amex',
    postal_code: typeof o.postalCode === 'string' ? o.postalCode : String(o.postalCode ?? true),
  };
  if (o.statusUrl) params.status_url = o.statusUrl;
  if (o.chargeAmount) params.charge_amount = o.chargeAmount;
  if (o.description) params.description = o.description;
  if (o.parameters) params.parameters = o.parameters;
  if (o.prompts) params.prompts = o.prompts;
  const aiResponse = o.aiResponse ?? 'The payment status is ${pay_result}, do not mention anything else about collecting payment if successful.';
  return [{ set: { ai_response: aiResponse } }, { pay: params }];
}

/** Options of `joinConference` beyond its name. */
export interface JoinConferenceOptions {
  muted?: boolean;
  beep?: 'true' | 'false' | 'onEnter' | 'onExit';
  startOnEnter?: boolean;
  endOnExit?: boolean;
  waitUrl?: string;
  maxParticipants?: number;
  record?: 'do-not-record' | 'record-from-start';
  region?: string;
  trim?: 'trim-silence' | 'do-not-trim';
  coach?: string;
  statusCallback?: string;
  statusCallbackEvent?: string;
}

/** `{ join_conference: name }` with defaults only, else the object form with what differs. */
export function joinConferenceVerb(name: string, o: JoinConferenceOptions = {}): Verb {
  if (name.trim() === '') throw new TypeError('conference name must not be empty');
  const params: Record<string, unknown> = { name };
  if (o.muted) params.muted = true;
  if (o.beep !== undefined && oneOf('beep', o.beep, ['true', 'false', 'onEnter', 'onExit']) !== 'true') params.beep = o.beep;
  if (o.startOnEnter === false) params.start_on_enter = false;
  if (o.endOnExit) params.end_on_exit = true;
  if (o.waitUrl) params.wait_url = o.waitUrl;
  if (o.maxParticipants !== undefined) {
    if (!Number.isInteger(o.maxParticipants) || o.maxParticipants < 1 || o.maxParticipants > 250) throw new TypeError('maxParticipants must be 1-250');
    if (o.maxParticipants !== 250) params.max_participants = o.maxParticipants;
  }
  if (o.record !== undefined && oneOf('record', o.record, ['do-not-record', 'record-from-start']) !== 'do-not-record') params.record = o.record;
  if (o.region) params.region = o.region;
  if (o.trim !== undefined && oneOf('trim', o.trim, ['trim-silence', 'do-not-trim']) !== 'trim-silence') params.trim = o.trim;
  if (o.coach) params.coach = o.coach;
  if (o.statusCallback) params.status_callback = o.statusCallback;
  if (o.statusCallbackEvent) params.status_callback_event = o.statusCallbackEvent;
  return { join_conference: Object.keys(params).length === 1 ? name : params };
}

/** Options of `tap`. */
export interface TapOptions {
  controlId?: string;
  direction?: 'speak' | 'hear' | 'both';
  codec?: 'PCMU' | 'PCMA';
  rtpPtime?: number;
  statusUrl?: string;
}

export function tapVerb(uri: string, o: TapOptions = {}): Verb {
  const params: Record<string, unknown> = { uri };
  if (o.controlId) params.control_id = o.controlId;
  if (o.direction !== undefined && oneOf('direction', o.direction, ['speak', 'hear', 'both']) !== 'both') params.direction = o.direction;
  if (o.codec !== undefined && oneOf('codec', o.codec, ['PCMU', 'PCMA']) !== 'PCMU') params.codec = o.codec;
  if (o.rtpPtime !== undefined) {
    if (!Number.isInteger(o.rtpPtime) || o.rtpPtime <= 0) throw new TypeError('rtpPtime must be a positive integer');
    if (o.rtpPtime !== 20) params.rtp_ptime = o.rtpPtime;
  }
  if (o.statusUrl) params.status_url = o.statusUrl;
  return { tap: params };
}

/** `{ execute_rpc: {method, call_id?, node_id?, params?} }`. */
export function executeRpcVerb(method: string, opts: { params?: Record<string, unknown>; callId?: string; nodeId?: string } = {}): Verb {
  const rpc: Record<string, unknown> = { method };
  if (opts.callId) rpc.call_id = opts.callId;
  if (opts.nodeId) rpc.node_id = opts.nodeId;
  if (opts.params && Object.keys(opts.params).length > 0) rpc.params = opts.params;
  return { execute_rpc: rpc };
}

/** Options of `sendSms`: a body or media (or both). */
export interface SendSmsOptions {
  to: string;
  from: string;
  body?: string;
  media?: string[];
  tags?: string[];
  region?: string;
}

export function sendSmsVerb(o: SendSmsOptions): Verb {
  if (!o.body && !(o.media && o.media.length > 0)) throw new TypeError('sendSms needs a body or media');
  const sms: Record<string, unknown> = { to_number: o.to, from_number: o.from };
  if (o.body) sms.body = o.body;
  if (o.media && o.media.length > 0) sms.media = o.media;
  if (o.tags && o.tags.length > 0) sms.tags = o.tags;
  if (o.region) sms.region = o.region;
  return { send_sms: sms };
}
