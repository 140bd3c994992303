/**
 * The `mcp_gateway` skill: every tool of the selected MCP services becomes a SWAIG function that calls the
 * gateway over HTTP, one gateway session per call. Without `gateway_url` it uses the embedded gateway.
 * A service that cannot be listed at start-up (gateway down, service failing or not configured yet) does not
 * stop the agent: it is logged, looked for again with back-off, and its tools are added when it answers.
 * For voice, each SWML render gives slow functions spoken fillers (from the gateway's measured latency) and
 * fast ones skip_fillers, adds the services' argument-free MCP prompts as sections, and destructive tools
 * must be confirmed by the caller before they reach the server.
 */
import { randomUUID } from 'node:crypto';
import {
  Skill,
  SkillError,
  startEmbeddedGateway,
  type EmbeddedGateway,
  type PromptSection,
  type SwaigRequest,
  type SwmlRequestContext,
} from '../../src/index.js';
import { discoverServices, DiscoveryError, wantedFrom, type DiscoveredService, type PendingService } from './discovery.js';
import { authHeaders, GatewayClient, GatewayRequestError } from './gateway-client.js';
import { mcpGatewayParamsSchema, type McpGatewayParams } from './params.js';
import { Rediscovery } from './rediscovery.js';
import { answerText, failureText } from './result-text.js';
import { callKey, sessionIdFor, toSessionId } from './session-id.js';
import { assignFunctionNames } from './naming.js';
import { buildFunctions, overrideKey, type McpFunction } from './tool-definitions.js';
import { isConfirmed, refusalText } from './voice/confirmation.js';
import { definedOnly, fillerFields, functionFillers, primaryLanguage } from './voice/fillers.js';
import { promptSectionsFor } from './voice/prompt-sections.js';
import { capBytes, READ_RESOURCE_TOOL, readAnswerText, readResourceDescription, readResourceParameters } from './voice/resource-function.js';
import { VoiceSnapshot } from './voice/snapshot.js';

/** Longest `addSkill` waits for the first latencies and prompts, ms. */
const SETUP_WAIT_MS = 10_000;

export class McpGatewaySkill extends Skill<McpGatewayParams> {
  static override skillName = 'mcp_gateway';
  static override description = 'Expose MCP server tools through the MCP gateway (embedded or remote)';
  static override paramsSchema = mcpGatewayParamsSchema;

  private client: GatewayClient | undefined;
  private embedded: EmbeddedGateway | undefined;
  private services: DiscoveredService[] = [];
  private functions: McpFunction[] = [];
  private pending: PendingService[] = [];
  private rediscovery: Rediscovery | undefined;
  private promptAdded = false;
  /** service → URI → text of its `global_data_resources`. */
  private resourceData: Record<string, Record<string, string>> = {};
  private snapshot: VoiceSnapshot | undefined;

  /** The functions registered by this skill (grows when a service that was down comes back). */
  get registeredFunctions(): readonly McpFunction[] {
    return this.functions;
  }

  /** Services still being looked for (not available at start-up), by name (`*` = every enabled service). */
  get pendingServices(): string[] {
    return this.pending.map((p) => ('all' in p.wanted ? '*' : p.wanted.pick.name));
  }

  override async setup(): Promise<void> {
    const p = this.params;
    let url = p.gateway_url;
    let headers = authHeaders({ token: p.auth_token, user: p.auth_user, password: p.auth_password });
    if (url === undefined) {
      this.embedded = await startEmbeddedGateway({ configPath: p.gateway_config ?? 'config.json' });
      ({ url, headers } = this.embedded);
    }
    this.client = new GatewayClient({
      url,
      headers,
      timeoutMs: p.request_timeout * 1000,
      retries: p.retry_attempts,
      verifyTls: p.verify_ssl,
      logger: this.logger,
    });
    const where = this.embedded ? 'the embedded gateway' : `gateway_url ${new URL(url).origin}`;
    try {
      const outcome = await discoverServices(this.client, wantedFrom(p.services));
      this.services = outcome.found;
      this.pending = outcome.pending;
    } catch (err) {
      if (err instanceof DiscoveryError) {
        throw new SkillError('invalid_skill_params', `Skill 'mcp_gateway': field '${err.field}' — ${err.message}`, { skill: this.skillName, field: err.field });
      }
      if (err instanceof GatewayRequestError) {
        throw new SkillError('gateway_unavailable', `Skill 'mcp_gateway': ${where} refused the credentials (${err.message})`, {
          skill: this.skillName,
          field: this.embedded ? 'gateway_config' : 'gateway_url',
          cause: err,
        });
      }
      throw err;
    }
    this.checkOverrides(this.services);
    this.logger.info(
      { gateway: this.embedded ? 'embedded' : new URL(url).origin, services: this.services.map((s) => `${s.name}(${s.tools.length})`) },
      'MCP services discovered',
    );
    await this.readGlobalDataResources(this.services);
    this.snapshot = new VoiceSnapshot({
      client: () => this.client,
      services: () => this.services.map((s) => ({ name: s.name, prompts: s.pick.prompts && !this.options.skipPrompt })),
      windowSeconds: p.latency_window,
      maxAgeMs: p.latency_max_age * 1000,
      waitMs: p.render_wait_ms,
      logger: this.logger,
    });
    // Latencies and prompts before the first call, so its render does not depend on a cold listing being quick.
    await this.snapshot.refresh(Math.max(p.render_wait_ms, SETUP_WAIT_MS));
    for (const { wanted, reason } of this.pending) {
      const service = 'all' in wanted ? '(every enabled service)' : wanted.pick.name;
      this.logger.warn({ service, reason }, `MCP service not available at start-up (${where}); the agent starts without it and adds its tools when it answers`);
    }
  }

  override registerTools(): void {
    this.functions = this.defineFunctions(this.services);
    this.agent.onHangup((_args, request) => this.onHangup(request));
    this.agent.onSwmlRequest((ctx) => this.onRender(ctx));
    if (this.pending.length > 0) this.startRediscovery();
  }

  /** A `tool_overrides` key naming a tool a found service does not have is a mistake in the params. */
  private checkOverrides(services: readonly DiscoveredService[]): void {
    for (const key of Object.keys(this.params.tool_overrides)) {
      const service = services.find((s) => key.startsWith(`${s.name}.`));
      if (!service || service.tools.some((t) => overrideKey(service.name, t.name) === key)) continue;
      const field = `tool_overrides.${key}`;
      const offered = service.tools.map((t) => t.name).join(', ') || 'none';
      const message = `Skill 'mcp_gateway': field '${field}' — service "${service.name}" has no tool "${key.slice(service.name.length + 1)}" (it has: ${offered})`;
      throw new SkillError('invalid_skill_params', message, { skill: this.skillName, field });
    }
  }

  private defineFunctions(services: readonly DiscoveredService[]): McpFunction[] {
    const taken = new Set(this.agent.listTools().map((t) => t.name));
    const functions = buildFunctions(services, this.params.tool_prefix, taken, this.params.tool_overrides);
    const language = primaryLanguage(this.agent.getLanguages());
    for (const fn of functions) {
      this.defineTool({
        name: fn.functionName,
        description: fn.description,
        parameters: fn.parameters as unknown as Record<string, unknown>,
        handler: (args, request) => this.callTool(fn, args, request),
        swaigFields: definedOnly(this.fillersFor(fn, language)),
      });
    }
    this.defineResourceFunctions(services, new Set([...taken, ...functions.map((f) => f.functionName)]));
    return functions;
  }

  /** One `…_read_resource` function per service whose resources the gateway exposes. */
  private defineResourceFunctions(services: readonly DiscoveredService[], taken: ReadonlySet<string>): void {
    const withResources = services.filter((s) => s.resources !== undefined);
    const refs = withResources.map((s) => ({ service: s.name, tool: READ_RESOURCE_TOOL }));
    const names = assignFunctionNames(this.params.tool_prefix, refs, taken);
    refs.forEach((ref, i) => {
      const service = withResources[i] as DiscoveredService;
      this.defineTool({
        name: names.get(ref) as string,
        description: readResourceDescription(service.name, service.resources ?? []),
        parameters: readResourceParameters() as unknown as Record<string, unknown>,
        handler: (args, request) => this.readResource(service.name, args, request),
        swaigFields: definedOnly(fillerFields({ slow: false, languageCode: undefined })),
      });
    });
  }

  private fillersFor(fn: McpFunction, languageCode: string | undefined) {
    return functionFillers(fn, this.snapshot?.latencyOf(fn.service, fn.tool.name), this.params, languageCode);
  }

  /** Per SWML render: warm the call's servers, fillers from the latest latencies, the services' prompts as sections. */
  private async onRender(ctx: SwmlRequestContext): Promise<void> {
    // Warmed under the key tool calls and the hangup will use: global_data.mcp_call_id (as this render sets it), else call_id.
    if (this.params.warm_sessions) this.warm(callKey({ call_id: ctx.callId, global_data: ctx.config.getGlobalData() }));
    if (!this.snapshot || (this.functions.length === 0 && this.services.length === 0)) return;
    const snapshot = await this.snapshot.get();
    const config = ctx.config;
    const language = primaryLanguage(config.getLanguages());
    for (const fn of this.functions) config.updateSwaigFields(fn.functionName, this.fillersFor(fn, language));
    if (this.options.skipPrompt) return;
    for (const service of this.services) {
      for (const section of promptSectionsFor(service.name, snapshot.prompts.get(service.name) ?? [])) {
        if (!config.promptHasSection(section.title ?? '')) config.promptAddSection(section);
      }
    }
  }

  /** Reads each service's `global_data_resources` once, on a session of its own that is closed afterwards. */
  private async readGlobalDataResources(services: readonly DiscoveredService[]): Promise<void> {
    const client = this.client;
    const wanted = services.filter((s) => s.pick.global_data_resources.length > 0);
    if (!client || wanted.length === 0) return;
    const sessionId = `mcp-gateway-setup-${randomUUID()}`;
    for (const service of wanted) {
      if (service.resources === undefined) {
        this.logger.warn({ service: service.name }, "global_data_resources skipped: the gateway does not expose this service's resources");
        continue;
      }
      for (const uri of service.pick.global_data_resources) {
        try {
          const answer = await client.readResource(service.name, { session_id: sessionId, uri });
          const text = (answer.contents ?? []).flatMap((c) => (typeof c.text === 'string' ? [c.text] : [])).join('\n');
          (this.resourceData[service.name] ??= {})[uri] = capBytes(text, this.params.global_data_resource_max_bytes);
        } catch (err) {
          this.logger.warn({ service: service.name, uri, err: (err as Error).message }, 'reading a global_data resource failed; it is left out');
        }
      }
    }
    await client.deleteSession(sessionId).catch(() => 0);
  }

  private startRediscovery(): void {
    this.rediscovery = new Rediscovery({
      attempt: () => this.rediscover(),
      maxDelayMs: this.params.rediscover_max_interval * 1000,
      onError: (err) => this.logger.warn({ err: (err as Error).message }, 'looking for MCP services again failed'),
    });
    this.rediscovery.start();
  }

  /** One look for the pending services; true when none is left. */
  private async rediscover(): Promise<boolean> {
    const client = this.client;
    if (!client) return true;
    try {
      const outcome = await discoverServices(
        client,
        this.pending.map((p) => p.wanted),
      );
      const known = new Set(this.services.map((s) => s.name));
      const fresh = outcome.found.filter((s) => !known.has(s.name));
      this.pending = outcome.pending;
      if (fresh.length > 0) this.addLateServices(fresh);
    } catch (err) {
      // A tool the service does not have: the params must be fixed; looking again will not help.
      if (err instanceof DiscoveryError) {
        this.logger.error({ field: err.field }, `Skill 'mcp_gateway': field '${err.field}' — ${err.message}`);
        this.pending = [];
        return true;
      }
      throw err;
    }
    return this.pending.length === 0;
  }

  private addLateServices(fresh: DiscoveredService[]): void {
    try {
      this.checkOverrides(fresh);
    } catch (err) {
      this.logger.error({ field: (err as SkillError).field }, (err as Error).message);
    }
    const added = this.defineFunctions(fresh);
    this.functions = [...this.functions, ...added];
    this.services = [...this.services, ...fresh];
    this.agent.addHints(this.hints());
    this.agent.updateGlobalData(this.globalData());
    if (!this.options.skipPrompt) {
      const title = this.promptAdded ? 'More MCP tools' : 'MCP tools';
      const [section] = this.sectionFor(fresh, title);
      if (section) this.agent.promptAddSection(section);
      this.promptAdded = true;
    }
    this.logger.info(
      { services: fresh.map((s) => `${s.name}(${s.tools.length})`), functions: added.map((f) => f.functionName) },
      'MCP service available again: its tools are added',
    );
  }

  override hints(): string[] {
    return [...new Set([...this.services.map((s) => s.name), 'MCP'])];
  }

  override globalData(): Record<string, unknown> {
    // Sent to the platform: names only, never the gateway URL or credentials.
    const resources = Object.keys(this.resourceData).length > 0 ? { resources: this.resourceData } : {};
    return { mcp_gateway: { services: this.services.map((s) => s.name), ...resources } };
  }

  override promptSections(): PromptSection[] {
    const sections = this.sectionFor(this.services, 'MCP tools');
    this.promptAdded = sections.length > 0;
    return sections;
  }

  private sectionFor(services: readonly DiscoveredService[], title: string): PromptSection[] {
    if (services.length === 0) return [];
    return [
      {
        title,
        body: 'You can use these services through their functions. Tell the caller plainly when a service reports a problem.',
        bullets: services.map((s) => `${s.name}: ${s.description || `${s.tools.length} tools`}`),
      },
    ];
  }

  override async cleanup(): Promise<void> {
    this.rediscovery?.stop();
    this.rediscovery = undefined;
    await this.client?.close();
    this.client = undefined;
    await this.embedded?.close();
    this.embedded = undefined;
  }

  private async callTool(fn: McpFunction, given: Record<string, unknown>, request: SwaigRequest): Promise<string> {
    const client = this.client;
    if (!client) return failureText(fn.service, fn.tool.name, { kind: 'unreachable' });
    let args = given;
    if (fn.confirmArgument !== undefined) {
      const { [fn.confirmArgument]: _confirmation, ...rest } = given;
      if (!isConfirmed(given, fn.confirmArgument)) {
        this.logger.info({ function: fn.functionName, call_id: request.call_id }, "destructive tool called without the caller's confirmation: refused");
        return refusalText(fn.service, fn.tool.name, fn.confirmArgument);
      }
      args = rest;
    }
    const session = sessionIdFor(request);
    if (!session.fromCall) this.logger.warn({ function: fn.functionName }, 'SWAIG request without call_id: using a one-off MCP session');
    try {
      const answer = await client.callTool(
        fn.service,
        {
          tool: fn.tool.name,
          arguments: args,
          session_id: session.id,
          timeout: this.params.session_timeout,
          metadata: { agent: this.agent.name, call_id: request.call_id, ai_session_id: request.ai_session_id },
        },
        fn.repeatSafe,
      );
      return answerText(fn.service, fn.tool.name, answer);
    } catch (err) {
      if (!(err instanceof GatewayRequestError)) throw err;
      this.logger.warn({ function: fn.functionName, session_id: session.id, failure: err.failure }, 'MCP tool call failed');
      return failureText(fn.service, fn.tool.name, err.failure);
    }
  }

  /** `…_read_resource`: reads a resource of `service` on the call's session. */
  private async readResource(service: string, args: Record<string, unknown>, request: SwaigRequest): Promise<string> {
    const client = this.client;
    if (!client) return failureText(service, READ_RESOURCE_TOOL, { kind: 'unreachable' });
    const uri = typeof args.uri === 'string' ? args.uri.trim() : '';
    if (uri === '') return `Which ${service} resource should I read? Give its URI.`;
    const session = sessionIdFor(request);
    try {
      const answer = await client.readResource(service, { session_id: session.id, uri, timeout: this.params.session_timeout });
      return readAnswerText(service, uri, answer, this.params.resource_max_bytes);
    } catch (err) {
      if (!(err instanceof GatewayRequestError)) throw err;
      this.logger.warn({ service, uri, session_id: session.id, failure: err.failure }, 'MCP resource read failed');
      if (err.failure.kind === 'http' && err.failure.code === 'resource_not_found') return `The ${service} service has no resource ${uri}.`;
      return failureText(service, READ_RESOURCE_TOOL, err.failure);
    }
  }

  /** Closes the call's gateway sessions without holding up the hangup hook's answer. */
  private onHangup(request: SwaigRequest): string {
    const key = callKey(request);
    const client = this.client;
    if (key === undefined || !client) return 'No MCP session to close.';
    const sessionId = toSessionId(key);
    void client
      .deleteSession(sessionId)
      .then((closed) => this.logger.info({ session_id: sessionId, closed }, 'MCP sessions closed at hangup'))
      .catch((err: unknown) => this.logger.warn({ session_id: sessionId, err: (err as Error).message }, 'closing MCP sessions at hangup failed'));
    return 'Closing MCP sessions.';
  }

  /** Starts the call's MCP servers while the platform sets the call up (fire-and-forget). */
  private warm(key: string | undefined): void {
    const client = this.client;
    if (key === undefined || !client || this.services.length === 0) return;
    const sessionId = toSessionId(key);
    void client
      .warmSession(
        sessionId,
        this.services.map((s) => s.name),
        this.params.session_timeout,
      )
      .catch((err: unknown) => this.logger.debug({ session_id: sessionId, err: (err as Error).message }, 'MCP session warm-up failed'));
  }
}
