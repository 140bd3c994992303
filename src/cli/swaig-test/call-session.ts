import { CliError } from '../shared/cli-error.js';
import { CallState } from './call-state.js';
import { describeHttpFailure, sendJson, splitCredentials, type Credentials, type HttpExchange } from './http-client.js';
import { buildSwaigEnvelope, buildSwmlFetchBody, type CallIdentity } from './payloads.js';
import { PLATFORM_SHAPE, type RequestShape } from './request-shape.js';
import { readSwml, type SwmlFunctionView, type SwmlView } from './swml-view.js';
import type { AgentTarget } from './target.js';

/** The outcome of one function call: what was sent, what came back, and the call's global_data afterwards. */
export interface StepOutcome {
  function: string;
  args: Record<string, unknown>;
  ok: boolean;
  /** HTTP status, when a request was sent. */
  status?: number;
  /** The reply's `response` text. */
  response?: string;
  /** The reply's `action` list. */
  actions?: unknown[];
  /** Why the step failed (HTTP error, malformed reply, function missing, `expect` not matched). */
  error?: string;
  globalData: Record<string, unknown>;
  exchange?: HttpExchange;
}

/** Options of a CallSession. */
export interface CallSessionOptions {
  /** Per-request timeout, milliseconds. */
  timeoutMs: number;
  /** Called with every request/response pair (for --verbose). */
  onExchange?: (exchange: HttpExchange) => void;
  /** How the user reshaped the requests (presets, headers, overrides…); default: the platform's, unchanged. */
  shape?: RequestShape;
}

function carriesCallId(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const { call, call_id: callId } = body as { call?: { call_id?: unknown }; call_id?: unknown };
  return typeof call?.call_id === 'string' || typeof callId === 'string';
}

/**
 * One simulated call against an agent: fetches SWML the way the platform does (POST with `call.call_id`), then
 * sends each function call to that function's `web_hook_url` path on the agent under test, carrying global_data
 * and meta_data forward from the reply actions.
 */
export class CallSession {
  readonly identity: CallIdentity;
  private readonly target: AgentTarget;
  private readonly opts: CallSessionOptions;
  private swmlView: SwmlView | undefined;
  private callState = new CallState();

  constructor(target: AgentTarget, identity: CallIdentity, opts: CallSessionOptions) {
    this.target = target;
    this.identity = identity;
    this.opts = opts;
  }

  /** The SWML read by `fetchSwml()`. */
  get view(): SwmlView {
    if (!this.swmlView) throw new Error('fetchSwml() must run first');
    return this.swmlView;
  }

  get state(): CallState {
    return this.callState;
  }

  /**
   * POSTs the platform's SWML fetch body to the agent route and returns the document; global_data restarts
   * from its `ai.global_data`. @throws CliError `swml_fetch_failed` for a non-2xx or non-JSON answer
   */
  async fetchSwml(): Promise<unknown> {
    const shape = this.shape;
    const url = new URL(this.target.swmlUrl);
    for (const [key, value] of Object.entries(shape.queryParams)) url.searchParams.set(key, value);
    const body = shape.swmlMethod === 'POST' ? buildSwmlFetchBody(this.identity, shape) : undefined;
    // A GET, or a --body without a call, carries no call id: the query does, or the agent could mint no
    // function tokens for this call and its secure functions would refuse every request.
    if (!carriesCallId(body) && !url.searchParams.has('call_id')) url.searchParams.set('call_id', this.identity.callId);
    const exchange = await this.send(url, body, this.target.credentials, shape.swmlMethod);
    const doc = exchange.responseBody;
    if (exchange.status < 200 || exchange.status >= 300 || typeof doc !== 'object' || doc === null) {
      const why = exchange.status >= 300 || exchange.status < 200 ? describeHttpFailure(exchange) : 'the answer is not a JSON document';
      throw new CliError(`SWML fetch from ${this.target.label} failed: ${why}`, 'swml_fetch_failed');
    }
    this.swmlView = readSwml(doc);
    this.callState = new CallState(this.swmlView.globalData);
    return doc;
  }

  /** Calls `name` with `args` exactly as the platform would. Never throws for a failed call: see `ok`/`error`. */
  async call(name: string, args: Record<string, unknown>, opts: { channelActive?: boolean } = {}): Promise<StepOutcome> {
    const fn = this.view.byName.get(name);
    const base = { function: name, args };
    if (!fn) return this.failed(base, `no function '${name}' in the agent's SWML`);
    if (fn.webHookUrl === undefined) {
      const why = fn.dataMap ? 'it is a data_map function: SignalWire runs it, not the agent' : 'it has no web_hook_url';
      return this.failed(base, `cannot call '${name}': ${why}`);
    }
    const scope = fn.metaDataToken ?? fn.webHookUrl;
    const envelope = buildSwaigEnvelope(
      fn,
      args,
      this.identity,
      {
        appName: this.view.appName,
        globalData: this.callState.globalData,
        metaData: this.callState.metaDataFor(scope, fn.metaData),
        channelActive: opts.channelActive ?? true,
      },
      this.shape,
    );
    const { url, credentials } = this.webhookFor(fn);
    const exchange = await this.send(url, envelope, credentials);
    const reply = exchange.responseBody as { response?: unknown; action?: unknown } | undefined;
    if (exchange.status < 200 || exchange.status >= 300) return this.failed(base, describeHttpFailure(exchange), exchange);
    // An actions-only reply (no response) is valid, as the Python SDK sends it.
    if (typeof reply !== 'object' || reply === null || (typeof reply.response !== 'string' && !Array.isArray(reply.action))) {
      return this.failed(base, 'the reply has neither a "response" string nor an "action" list', exchange);
    }
    const actions = Array.isArray(reply.action) ? (reply.action as unknown[]) : undefined;
    this.callState.apply(name, scope, actions);
    return {
      ...base,
      ok: true,
      status: exchange.status,
      ...(typeof reply.response === 'string' ? { response: reply.response } : {}),
      ...(actions ? { actions } : {}),
      globalData: { ...this.callState.globalData },
      exchange,
    };
  }

  /**
   * The function's webhook path and query on the agent under test. Credentials embedded in the webhook URL are
   * what the platform would send, so they win over the target's.
   */
  private webhookFor(fn: SwmlFunctionView): { url: URL; credentials?: Credentials | undefined } {
    const { url: hook, credentials } = splitCredentials(new URL(fn.webHookUrl as string, this.target.swmlUrl));
    const url = new URL(hook.pathname + hook.search, this.target.swmlUrl.origin);
    return { url, credentials: credentials ?? this.target.credentials };
  }

  private get shape(): RequestShape {
    return this.opts.shape ?? PLATFORM_SHAPE;
  }

  private async send(url: URL, body: unknown, credentials: Credentials | undefined, method: 'GET' | 'POST' = 'POST'): Promise<HttpExchange> {
    const exchange = await sendJson(url, body, { method, credentials, headers: this.shape.headers, timeoutMs: this.opts.timeoutMs });
    this.opts.onExchange?.(exchange);
    return exchange;
  }

  private failed(base: { function: string; args: Record<string, unknown> }, error: string, exchange?: HttpExchange): StepOutcome {
    return {
      ...base,
      ok: false,
      error,
      ...(exchange ? { status: exchange.status, exchange } : {}),
      globalData: { ...this.callState.globalData },
    };
  }
}
