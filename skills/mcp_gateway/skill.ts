/**
 * The `mcp_gateway` skill: every tool of the selected MCP services becomes a SWAIG function that calls the
 * gateway over HTTP, one gateway session per call. Without `gateway_url` it uses the embedded gateway.
 */
import { Skill, SkillError, startEmbeddedGateway, type EmbeddedGateway, type PromptSection, type SwaigRequest } from '../../src/index.js';
import { discoverServices, DiscoveryError, type DiscoveredService } from './discovery.js';
import { authHeaders, GatewayClient, GatewayRequestError } from './gateway-client.js';
import { mcpGatewayParamsSchema, type McpGatewayParams } from './params.js';
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

  /** The functions registered by this skill (after `addSkill` resolved). */
  get registeredFunctions(): readonly McpFunction[] {
    return this.functions;
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
    try {
      this.services = await discoverServices(this.client, p.services);
    } catch (err) {
      if (err instanceof DiscoveryError) {
        throw new SkillError(this.skillName, `Skill 'mcp_gateway': field '${err.field}' — ${err.message}`, { code: 'invalid_skill_params', field: err.field });
      }
      if (err instanceof GatewayRequestError) {
        const where = this.embedded ? 'the embedded gateway' : `gateway_url ${new URL(url).origin}`;
        throw new SkillError(this.skillName, `Skill 'mcp_gateway': cannot list MCP services at ${where} (${err.message})`, {
          code: 'gateway_unavailable', field: this.embedded ? 'gateway_config' : 'gateway_url', cause: err,
        });
      }
      throw err;
    }
    this.logger.info({ gateway: this.embedded ? 'embedded' : new URL(url).origin, services: this.services.map((s) => `${s.name}(${s.tools.length})`) }, 'MCP services discovered');
  }

  override registerTools(): void {
    const taken = new Set(this.agent.listTools().map((t) => t.name));
    this.functions = buildFunctions(this.services, this.params.tool_prefix, taken);
    for (const fn of this.functions) {
      this.defineTool({
        name: fn.functionName,
        description: fn.description,
        parameters: fn.parameters as unknown as Record<string, unknown>,
        handler: (args, request) => this.callTool(fn, args, request),
      });
    }
    this.agent.onHangup((_args, request) => this.onHangup(request));
    this.agent.onSwmlRequest(({ callId }) => this.warm(callId));
  }

  override hints(): string[] {
    return [...new Set([...this.services.map((s) => s.name), 'MCP'])];
  }

  override globalData(): Record<string, unknown> {
    // Sent to the platform: names only, never the gateway URL or credentials.
    return { mcp_gateway: { services: this.services.map((s) => s.name) } };
  }

  override promptSections(): PromptSection[] {
    if (this.services.length === 0) return [];
    return [
      {
        title: 'MCP tools',
        body: 'You can use these services through their functions. Tell the caller plainly when a service reports a problem.',
        bullets: this.services.map((s) => `${s.name}: ${s.description || `${s.tools.length} tools`}`),
      },
    ];
  }

  override async cleanup(): Promise<void> {
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
