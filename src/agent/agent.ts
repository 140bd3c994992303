import type { Request } from 'express';
import type express from 'express';
import type { Logger } from 'pino';
import { resolveCredentials, type BasicCredentials } from '../auth/credentials.js';
import { AgentConfigError } from '../errors.js';
import { createLogger } from '../logger.js';
import { createAgentApp } from '../server/app.js';
import { listen, type RunningServer } from '../server/listen.js';
import type { AgentHost } from '../server/types.js';
import { loadSkill, type SkillHost } from '../skills/lifecycle.js';
import type { Skill, SkillClass } from '../skills/skill.js';
import { dispatchSwaig } from '../swaig/dispatch.js';
import { extractSwmlCallId } from '../swaig/request.js';
import type { SwaigResponse } from '../swaig/result.js';
import { extractSummary, type SummaryHandler } from '../swaig/summary.js';
import { renderSwml as renderDocument, type SwmlState } from '../swml/render.js';
import type { SwmlDocument } from '../swml/types.js';
import { resolveBaseUrl } from '../swml/urls.js';
import { AgentConfig } from './agent-config.js';
import { compositeHookHandler, HOOK_DESCRIPTIONS, type HookName } from './hooks.js';
import { resolveAgentOptions, type AgentOptions, type ResolvedAgentOptions } from './options.js';
import { normalizeTool, type RegisteredTool, type ToolDefinition, type ToolHandler, type ToolParameters } from './tools.js';

/** Context given to `onSwmlRequest` handlers. */
export interface SwmlRequestContext {
  /** From `body.call.call_id`, else `body.call_id`, else query `call_id`. */
  callId?: string | undefined;
  body: unknown;
  query: Record<string, unknown>;
  headers: Record<string, string | string[] | undefined>;
}
export type SwmlRequestHandler = (ctx: SwmlRequestContext) => void | Promise<void>;

/** Summary of one function for listings (swaig-test, docs). */
export interface ToolInfo {
  name: string;
  description: string;
  parameters: ToolParameters;
  kind: 'tool' | 'hook';
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
  private readonly tools = new Map<string, RegisteredTool>();
  private readonly hookHandlers: Record<HookName, ToolHandler[]> = { startup_hook: [], hangup_hook: [] };
  private readonly summaryHandlers: SummaryHandler[] = [];
  private readonly swmlHandlers: SwmlRequestHandler[] = [];
  private readonly skills = new Map<string, Skill<unknown> | null>();
  private readonly pending = new Set<Promise<unknown>>();
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
  }

  /** Basic credentials in force (and where they came from). */
  get credentials(): BasicCredentials {
    return { ...this.creds };
  }

  /** Defines a SWAIG tool: `defineTool({name, description, parameters?, handler, …})` or positional. */
  defineTool(def: ToolDefinition): this;
  defineTool(name: string, description: string, parameters: ToolDefinition['parameters'], handler: ToolHandler): this;
  defineTool(
    defOrName: ToolDefinition | string,
    description?: string,
    parameters?: ToolDefinition['parameters'],
    handler?: ToolHandler,
  ): this {
    const def: ToolDefinition =
      typeof defOrName === 'string'
        ? { name: defOrName, description: description ?? '', handler: handler as ToolHandler, ...(parameters ? { parameters } : {}) }
        : defOrName;
    const tool = normalizeTool(def);
    if (this.tools.has(tool.name)) throw new AgentConfigError(`Tool '${tool.name}' is already defined`, 'name', 'duplicate_tool');
    this.tools.set(tool.name, tool);
    return this;
  }

  /** Removes a tool; returns false if it did not exist. Hooks cannot be removed. */
  removeTool(name: string): boolean {
    return this.tools.get(name)?.kind === 'tool' ? this.tools.delete(name) : false;
  }

  /** A registered function (tool or hook) by name. */
  getTool(name: string): RegisteredTool | undefined {
    return this.tools.get(name);
  }

  /** Every function in SWML order, hooks included (`kind: 'hook'`). */
  listTools(): ToolInfo[] {
    return [...this.tools.values()].map((t) => ({ name: t.name, description: t.description, parameters: t.parameters, kind: t.kind }));
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

  /** Runs before each SWML render (e.g. to warm per-call state). Errors are logged, never fail the call. */
  onSwmlRequest(handler: SwmlRequestHandler): this {
    this.swmlHandlers.push(handler);
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
   * Renders the SWML document. `baseUrl` is the public base for webhooks (default: proxy base or the
   * configured host:port); `callId` is accepted for per-call rendering and currently unused in the output.
   */
  renderSwml(opts: { baseUrl?: string; callId?: string } = {}): SwmlDocument {
    const baseUrl = opts.baseUrl ?? this.baseUrlFor();
    return renderDocument(this.swmlState(), { baseUrl, credentials: this.creds });
  }

  /** @internal HTTP: SWML for one request (runs onSwmlRequest handlers first). */
  async handleSwmlRequest(req: Request): Promise<SwmlDocument> {
    const query = req.query as Record<string, unknown>;
    const ctx: SwmlRequestContext = { callId: extractSwmlCallId(req.body, query), body: req.body, query, headers: req.headers };
    for (const handler of this.swmlHandlers) {
      try {
        await handler(ctx);
      } catch (err) {
        this.logger.error({ err, call_id: ctx.callId }, 'onSwmlRequest handler failed');
      }
    }
    return this.renderSwml({ baseUrl: this.baseUrlFor(req), ...(ctx.callId ? { callId: ctx.callId } : {}) });
  }

  /** Runs a SWAIG envelope in-process, exactly as `POST /swaig` does (throws 400/404 AgentErrors). */
  dispatchSwaig(body: unknown): Promise<SwaigResponse> {
    return dispatchSwaig(body, (name) => this.tools.get(name), this.logger);
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
    this.application ??= createAgentApp(this);
    return this.application;
  }

  /**
   * Listens on host:port (port 0 = any free port). Prints generated credentials once.
   * `handleSignals` (default true): on SIGINT/SIGTERM close the agent (skill cleanup) and re-raise the signal.
   * With env `SWAIG_CLI_MODE=true` it does not listen (CLIs import agent files that call serve()).
   */
  async serve(opts: { handleSignals?: boolean } = {}): Promise<{ url: string; close: () => Promise<void> }> {
    if (process.env.SWAIG_CLI_MODE === 'true') return { url: this.baseUrlFor() + this.routeSuffix(), close: () => this.close() };
    if (this.server) throw new Error(`Agent '${this.name}' is already serving`);
    this.server = await listen(this.app(), this.opts.host, this.opts.port, opts.handleSignals ?? true, () => this.close());
    this.boundPort = this.server.port;
    const url = this.baseUrlFor() + this.routeSuffix();
    this.logger.info({ url, user: this.creds.user }, `Agent '${this.name}' listening`);
    if (this.creds.source === 'generated') {
      this.logger.warn(
        { user: this.creds.user, password: this.creds.password },
        'Generated Basic-auth password for this process (set SWML_BASIC_AUTH_USER / SWML_BASIC_AUTH_PASSWORD to choose)',
      );
    }
    return { url, close: () => this.close() };
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
    if (!this.tools.has(hook)) {
      const run = compositeHookHandler(hook, handlers, this.logger);
      this.tools.set(hook, normalizeTool({ name: hook, description: HOOK_DESCRIPTIONS[hook], handler: run }, 'hook'));
    }
    return this;
  }

  private routeSuffix(): string {
    return this.route === '/' ? '/' : this.route;
  }

  private baseUrlFor(req?: Request): string {
    const trustEnv = process.env.SWML_TRUST_PROXY_HEADERS;
    return resolveBaseUrl({
      proxyUrlBase: this.opts.proxyUrlBase ?? (process.env.SWML_PROXY_URL_BASE || undefined),
      trustProxyHeaders: this.opts.trustProxyHeaders ?? trustEnv?.toLowerCase() !== 'false',
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

  private swmlState(): SwmlState {
    return {
      name: this.name,
      route: this.route,
      autoAnswer: this.opts.autoAnswer,
      promptText: this.promptText,
      promptSections: this.promptSections,
      promptSettings: this.promptSettings,
      postPrompt: this.postPrompt,
      postPromptSettings: this.postPromptSettings,
      postPromptUrl: this.postPromptUrl,
      hasSummaryHandler: this.summaryHandlers.length > 0,
      hints: this.hints,
      languages: this.languages,
      pronounce: this.pronounce,
      params: this.params,
      globalData: this.globalData,
      nativeFunctions: this.nativeFunctions,
      tools: [...this.tools.values()],
      preAnswerVerbs: this.preAnswerVerbs,
      postAnswerVerbs: this.postAnswerVerbs,
      postAiVerbs: this.postAiVerbs,
    };
  }
}
