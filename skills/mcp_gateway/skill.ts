/**
 * The `mcp_gateway` skill: every tool of the selected MCP services becomes a SWAIG function that calls the
 * gateway over HTTP, one gateway session per call. Without `gateway_url` it uses the embedded gateway.
 * A service that cannot be listed at start-up (gateway down, service failing or not configured yet) does not
 * stop the agent: it is logged, looked for again with back-off, and its tools are added when it answers.
 */
import { Skill, SkillError, startEmbeddedGateway, type EmbeddedGateway, type PromptSection, type SwaigRequest } from '../../src/index.js';
import { discoverServices, DiscoveryError, wantedFrom, type DiscoveredService, type PendingService } from './discovery.js';
import { authHeaders, GatewayClient, GatewayRequestError } from './gateway-client.js';
import { mcpGatewayParamsSchema, type McpGatewayParams } from './params.js';
import { Rediscovery } from './rediscovery.js';
import { answerText, failureText } from './result-text.js';
import { callKey, sessionIdFor, toSessionId } from './session-id.js';
import { buildFunctions, type McpFunction } from './tool-definitions.js';

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
        throw new SkillError(this.skillName, `Skill 'mcp_gateway': field '${err.field}' — ${err.message}`, { code: 'invalid_skill_params', field: err.field });
      }
      if (err instanceof GatewayRequestError) {
        throw new SkillError(this.skillName, `Skill 'mcp_gateway': ${where} refused the credentials (${err.message})`, {
          code: 'gateway_unavailable', field: this.embedded ? 'gateway_config' : 'gateway_url', cause: err,
        });
      }
      throw err;
    }
    this.logger.info({ gateway: this.embedded ? 'embedded' : new URL(url).origin, services: this.services.map((s) => `${s.name}(${s.tools.length})`) }, 'MCP services discovered');
    for (const { wanted, reason } of this.pending) {
      const service = 'all' in wanted ? '(every enabled service)' : wanted.pick.name;
      this.logger.warn({ service, reason }, `MCP service not available at start-up (${where}); the agent starts without it and adds its tools when it answers`);
    }
  }

  override registerTools(): void {
    this.functions = this.defineFunctions(this.services);
    this.agent.onHangup((_args, request) => this.onHangup(request));
    if (this.params.warm_sessions) this.agent.onSwmlRequest(({ callId }) => this.warm(callId));
    if (this.pending.length > 0) this.startRediscovery();
  }

  private defineFunctions(services: readonly DiscoveredService[]): McpFunction[] {
    const taken = new Set(this.agent.listTools().map((t) => t.name));
    const functions = buildFunctions(services, this.params.tool_prefix, taken);
    for (const fn of functions) {
      this.defineTool({
        name: fn.functionName,
        description: fn.description,
        parameters: fn.parameters as unknown as Record<string, unknown>,
        handler: (args, request) => this.callTool(fn, args, request),
      });
    }
    return functions;
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
      const outcome = await discoverServices(client, this.pending.map((p) => p.wanted));
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
    this.logger.info({ services: fresh.map((s) => `${s.name}(${s.tools.length})`), functions: added.map((f) => f.functionName) }, 'MCP service available again: its tools are added');
  }

  override hints(): string[] {
    return [...new Set([...this.services.map((s) => s.name), 'MCP'])];
  }

  override globalData(): Record<string, unknown> {
    // Sent to the platform: names only, never the gateway URL or credentials.
    return { mcp_gateway: { services: this.services.map((s) => s.name) } };
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

  private async callTool(fn: McpFunction, args: Record<string, unknown>, request: SwaigRequest): Promise<string> {
    const client = this.client;
    if (!client) return failureText(fn.service, fn.tool.name, { kind: 'unreachable' });
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
  private warm(callId: string | undefined): void {
    const client = this.client;
    if (!callId || !client || this.services.length === 0) return;
    const sessionId = toSessionId(callId);
    void client
      .warmSession(sessionId, this.services.map((s) => s.name), this.params.session_timeout)
      .catch((err: unknown) => this.logger.debug({ session_id: sessionId, err: (err as Error).message }, 'MCP session warm-up failed'));
  }
}
