import type express from 'express';
import type { Logger } from 'pino';
import { resolveCredentials, type BasicCredentials } from '../auth/credentials.js';
import { createLogger } from '../logger.js';
import { createAgentApp } from '../server/app.js';
import { CallDrain } from '../server/drain.js';
import type { RunningServer } from '../server/listen.js';
import { serveAgent } from '../server/serve.js';
import type { AgentHost, IncomingRequest } from '../server/types.js';
import { loadSkill, type SkillHost } from '../skills/lifecycle.js';
import type { Skill, SkillClass } from '../skills/skill.js';
import { dispatchSwaig, refusedFunctionResponse, type SwaigGate } from '../swaig/dispatch.js';
import { FunctionTokens } from '../swaig/function-tokens.js';
import { parseSwaigRequest } from '../swaig/request.js';
import type { SwaigResponse } from '../swaig/result.js';
import { extractSummary, type SummaryHandler } from '../swaig/summary.js';
import { renderSwml as renderDocument } from '../swml/render.js';
import type { SwmlDocument } from '../swml/types.js';
import { resolveBaseUrl } from '../swml/urls.js';
import { AgentConfig } from './agent-config.js';
import { compositeHookHandler, HOOK_DESCRIPTIONS, type HookName } from './hooks.js';
import { resolveAgentOptions, type AgentOptions, type ResolvedAgentOptions } from './options.js';
import { configForRequest, type DynamicConfigCallback, type SwmlRequestHandler } from './request-config.js';
import { normalizeTool, type ToolHandler } from './tools.js';

/** Receives one platform debug event and its type (`label`, else `action`). */
export type DebugEventHandler = (event: Record<string, unknown>, type: string) => void | Promise<void>;

interface RequestHandlerEntry {
  handler: SwmlRequestHandler;
  /** Also run for SWAIG requests (dynamic config), so functions added per request are found when called. */
  onSwaig: boolean;
}

/**
 * A SignalWire AI agent: declarative config (see AgentConfig), SWAIG tools, lifecycle hooks, skills,
 * and an Express app serving SWML (`/`), `/swaig`, `/post_prompt`, `/health`, `/ready`.
 */
export class Agent extends AgentConfig implements AgentHost {
  readonly name: string;
  readonly route: string;
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  private readonly opts: ResolvedAgentOptions;
  private readonly creds: BasicCredentials;
  private readonly tokens: FunctionTokens;
  private readonly hookHandlers: Record<HookName, ToolHandler[]> = { startup_hook: [], hangup_hook: [] };
  private readonly summaryHandlers: SummaryHandler[] = [];
  private readonly debugHandlers: DebugEventHandler[] = [];
  private readonly requestHandlers: RequestHandlerEntry[] = [];
  private readonly skills = new Map<string, Skill<unknown> | null>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly calls = new CallDrain();
  private application: express.Express | undefined;
  private server: RunningServer | undefined;
  private boundPort: number | undefined;

  constructor(options: AgentOptions) {
    super();
    this.opts = resolveAgentOptions(options);
    this.name = this.opts.name;
    this.route = this.opts.route;
    this.maxBodyBytes = this.opts.maxBodyBytes;
    this.logger = options.logger ?? createLogger(this.name);
    this.creds = resolveCredentials(this.opts.basicAuth);
    this.tokens = new FunctionTokens(this.opts.tokenSecret, this.opts.tokenTtlSeconds);
  }

  /** Basic credentials in force (and where they came from). */
  get credentials(): BasicCredentials {
    return { ...this.creds };
  }

  /** Adds a handler to the reserved `startup_hook` function (runs when the AI session starts). */
  onStartup(handler: ToolHandler): this {
    return this.addHook('startup_hook', handler);
  }

  /** Adds a handler to the reserved `hangup_hook` function. May be called many times; all handlers run. */
  onHangup(handler: ToolHandler): this {
    return this.addHook('hangup_hook', handler);
  }

  /** Runs when the platform posts the post-prompt summary. Several handlers may be added. */
  onSummary(handler: SummaryHandler): this {
    this.summaryHandlers.push(handler);
    return this;
  }

  /**
   * Receives the platform's debug events: sets `params.debug_webhook_url` to this agent's `/debug_events` (with
   * `debug_webhook_level`, default 1) and calls `handler(event, type)` for each post (`type` = its `label` or
   * `action`). Several handlers may be added; failures are logged.
   */
  onDebugEvent(handler: DebugEventHandler, level?: number): this {
    if (typeof handler !== 'function') throw new TypeError('onDebugEvent handler must be a function');
    if (level !== undefined && (!Number.isInteger(level) || level < 0)) throw new TypeError('debug level must be a non-negative integer');
    this.debugHandlers.push(handler);
    this.state.debugWebhookLevel = level ?? this.state.debugWebhookLevel ?? 1;
    return this;
  }

  /** @internal HTTP: a /debug_events post → onDebugEvent handlers (failures logged). */
  async handleDebugEvent(body: unknown): Promise<void> {
    const event = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    const type = typeof event.label === 'string' ? event.label : typeof event.action === 'string' ? event.action : 'unknown';
    for (const handler of this.debugHandlers) {
      try {
        await handler(event, type);
      } catch (err) {
        this.logger.error({ err, call_id: event.call_id, event: type }, 'onDebugEvent handler failed');
      }
    }
  }

  /**
   * Runs before each SWML render with the request (query, body with `call`, headers, caller facts) and
   * `ctx.config`, a copy of this agent's configuration for this render alone: change it to tailor one caller's
   * SWML (prompt, global_data, hints, languages, params, tools…). The agent itself is never changed, so nothing
   * leaks to the next caller or to a concurrent render. Errors are logged, never fail the call.
   */
  onSwmlRequest(handler: SwmlRequestHandler): this {
    if (typeof handler !== 'function') throw new TypeError('onSwmlRequest handler must be a function');
    this.requestHandlers.push({ handler, onSwaig: false });
    return this;
  }

  /**
   * The Python SDK's dynamic config: `callback(query, body, headers, config)` runs for every SWML render and again
   * for every SWAIG request (which carries the query params set with `config.addSwaigQueryParams`), each time on a
   * fresh copy, so functions added per request are there when called.
   */
  setDynamicConfigCallback(callback: DynamicConfigCallback): this {
    if (typeof callback !== 'function') throw new TypeError('dynamic config callback must be a function');
    const handler: SwmlRequestHandler = (ctx) => callback(ctx.query, ctx.body, ctx.headers, ctx.config);
    this.requestHandlers.push({ handler, onSwaig: true });
    return this;
  }

  /**
   * Loads a skill by registered name (or class): params validated with its zod schema, then setup, tools,
   * hints, global_data and prompt sections. Rejects with a SkillError naming the skill and field.
   */
  addSkill(nameOrClass: string | SkillClass, params: Record<string, unknown> = {}): Promise<Skill<unknown>> {
    const work = loadSkill(this.skillHost(), nameOrClass as SkillClass, params);
    const tracked = work.finally(() => this.pending.delete(tracked));
    tracked.catch(() => undefined); // observed via the returned promise / ready()
    this.pending.add(tracked);
    return work;
  }

  /** Loaded skills by instance key. */
  listSkills(): Array<{ key: string; skill: Skill<unknown> }> {
    return [...this.skills].flatMap(([key, skill]) => (skill ? [{ key, skill }] : []));
  }

  /** Resolves once every pending `addSkill` has finished; rejects with the first failure. */
  async ready(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** False while any `addSkill` is still running. */
  isReady(): boolean {
    return this.pending.size === 0;
  }

  /**
   * Renders this agent's base SWML. `baseUrl` is the public base for webhooks (default: proxy base or the
   * configured host:port). With `callId`, secure functions carry a token for that call in their `web_hook_url`;
   * without one they have none, and the agent refuses their requests.
   */
  renderSwml(opts: { baseUrl?: string; callId?: string } = {}): SwmlDocument {
    return this.renderConfig(this, opts.baseUrl ?? this.baseUrlFor(), opts.callId);
  }

  /** @internal HTTP: SWML for one request, from a per-request copy when handlers change it. */
  async handleSwmlRequest(req: IncomingRequest): Promise<SwmlDocument> {
    const handlers = this.requestHandlers.map((e) => e.handler);
    const input = { kind: 'swml' as const, body: req.body, query: req.query, headers: req.headers };
    const { config, call } = await configForRequest(this, handlers, input, this.logger);
    if (call.callId === undefined && config.listTools().length > 0) {
      this.logger.warn('SWML requested without a call id: secure functions get no token and will refuse requests');
    }
    return this.renderConfig(config, this.baseUrlFor(req), call.callId);
  }

  /**
   * Runs a SWAIG envelope in-process against the base config (trusted code: no token check). Throws a 400
   * AgentError for a bad envelope; an unknown function answers a sayable 200 reply.
   */
  dispatchSwaig(body: unknown): Promise<SwaigResponse> {
    return dispatchSwaig(body, (name) => this.getTool(name), this.logger);
  }

  /** @internal HTTP: `POST /swaig` — per-request config (dynamic callback), token check of secure functions, run. */
  async handleSwaigRequest(req: IncomingRequest): Promise<SwaigResponse> {
    parseSwaigRequest(req.body); // 400 before any handler sees a malformed envelope
    const query = req.query;
    const handlers = this.requestHandlers.filter((e) => e.onSwaig).map((e) => e.handler);
    const { config } = await configForRequest(this, handlers, { kind: 'swaig', body: req.body, query, headers: req.headers }, this.logger);
    const token = typeof query.__token === 'string' ? query.__token : typeof query.token === 'string' ? query.token : undefined;
    const gate: SwaigGate = (request, tool) => {
      if (!tool.secure || tool.webHookUrl !== undefined || tool.dataMap !== undefined) return undefined;
      const refusal = this.tokens.check(token, request.call_id, tool.name);
      if (refusal === undefined) return undefined;
      this.logger.warn({ call_id: request.call_id, function: tool.name, reason: refusal }, `refused '${tool.name}': function token ${refusal}`);
      return refusedFunctionResponse(tool.name);
    };
    return dispatchSwaig(req.body, (name) => config.getTool(name), this.logger, gate);
  }

  /** @internal HTTP: post_prompt body → onSummary handlers (failures logged). */
  async handleSummary(body: unknown): Promise<void> {
    const summary = extractSummary(body);
    const callId = (body as { call_id?: unknown } | undefined)?.call_id;
    for (const handler of this.summaryHandlers) {
      try {
        await handler(summary, body);
      } catch (err) {
        this.logger.error({ err, call_id: callId }, 'onSummary handler failed');
      }
    }
  }

  /** The Express app (built once; tools added later are still served). */
  app(): express.Express {
    this.application ??= createAgentApp(this, this.calls);
    return this.application;
  }

  /**
   * Listens on host:port (port 0 = any free port). Prints generated credentials once.
   * `handleSignals` (default true): SIGTERM drains (see {@link drain}), closes the agent (skill cleanup) and exits 0;
   * SIGINT closes at once and re-raises the signal.
   * With env `SWAIG_CLI_MODE=true` (set by swaig-test, which imports agent files that call serve()) it does not
   * listen: it logs so and answers `listening: false`.
   */
  async serve(opts: { handleSignals?: boolean } = {}): Promise<{ url: string; listening: boolean; close: () => Promise<void> }> {
    if (this.opts.cliMode) {
      this.logger.info(`Agent '${this.name}': not listening, SWAIG_CLI_MODE=true (a CLI such as swaig-test serves it in-process)`);
      return { url: this.baseUrlFor() + this.routeSuffix(), listening: false, close: () => this.close() };
    }
    if (this.server) throw new Error(`Agent '${this.name}' is already serving`);
    const { server, url } = await serveAgent(this, {
      host: this.opts.host,
      port: this.opts.port,
      handleSignals: opts.handleSignals ?? true,
      urlFor: (port) => {
        this.boundPort = port;
        return this.baseUrlFor() + this.routeSuffix();
      },
    });
    this.server = server;
    return { url, listening: true, close: () => this.close() };
  }

  /**
   * Graceful drain: `/ready` answers 503 and new calls (SWML fetches, webhooks of calls not served here) get 503
   * `draining`, so a balancer sends them elsewhere; resolves once every call served here has hung up, or after
   * `drainTimeoutSeconds`. The server keeps running: call {@link close} next. SIGTERM does both.
   */
  async drain(): Promise<void> {
    const timeout = this.opts.drainTimeoutSeconds;
    this.logger.info({ open_calls: this.calls.openCalls, drain_timeout: timeout }, 'draining: no new calls, serving the open ones');
    const { left } = await this.calls.drain(timeout);
    if (left > 0) this.logger.warn({ open_calls: left }, 'drain timeout reached with calls still open');
    else this.logger.info('drained: no call left');
  }

  /**
   * Stops the server (if serving) and cleans up every loaded skill, after letting any `addSkill` still in
   * progress finish (otherwise a skill committed after close would never be cleaned up). Safe to call twice.
   */
  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await server?.close();
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    const loaded = this.listSkills().reverse();
    this.skills.clear();
    for (const { skill } of loaded) {
      await skill.cleanup().catch((err: unknown) => this.logger.warn({ err, skill: skill.skillName }, 'skill cleanup failed'));
    }
  }

  private addHook(hook: HookName, handler: ToolHandler): this {
    if (typeof handler !== 'function') throw new TypeError(`${hook} handler must be a function`);
    const handlers = this.hookHandlers[hook];
    handlers.push(handler);
    if (!this.getTool(hook)) {
      const run = compositeHookHandler(hook, handlers, this.logger);
      this.registerTool(normalizeTool({ name: hook, description: HOOK_DESCRIPTIONS[hook], handler: run }, 'hook'));
    }
    return this;
  }

  private routeSuffix(): string {
    return this.route === '/' ? '/' : this.route;
  }

  private baseUrlFor(req?: IncomingRequest): string {
    return resolveBaseUrl({
      proxyUrlBase: this.opts.proxyUrlBase,
      trustProxyHeaders: this.opts.trustProxyHeaders,
      host: this.opts.host,
      port: this.boundPort ?? this.opts.port,
      ...(req ? { headers: req.headers, protocol: req.protocol } : {}),
    });
  }

  private skillHost(): SkillHost {
    return {
      agent: this,
      reserve: (key) => (this.skills.has(key) ? false : (this.skills.set(key, null), true)),
      release: (key) => void this.skills.delete(key),
      commit: (key, skill) => void this.skills.set(key, skill),
    };
  }

  private renderConfig(config: AgentConfig, baseUrl: string, callId: string | undefined): SwmlDocument {
    const { tools, ...data } = config.configState();
    const state = { ...data, tools: [...tools.values()], name: this.name, route: this.route, autoAnswer: this.opts.autoAnswer };
    const tokenFor = callId === undefined ? undefined : (fn: string) => this.tokens.mint(callId, fn);
    return renderDocument(state, { baseUrl, credentials: this.creds, tokenFor, callId });
  }
}
