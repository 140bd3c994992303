/** Builds the right Upstream for a service: a sandboxed stdio child, or a remote Streamable HTTP / SSE server. */
import type { Logger } from 'pino';
import type { ServiceConfig } from '../config/schema.js';
import { buildLaunch, type SandboxEnvironment } from '../sandbox/launch.js';
import { McpUpstream } from './mcp-upstream.js';
import { ProcessGroupStdioTransport } from './stdio-transport.js';
import type { Upstream } from './types.js';

/** Context for one upstream instance. */
export interface UpstreamContext {
  logger: Logger;
  /** Per-session private folder (HOME/TMPDIR of a sandboxed stdio server). */
  privateDir?: string;
  /** The host's sandbox mechanisms and hidden paths; default: probed, none hidden. */
  sandbox?: SandboxEnvironment;
  /** stderr bytes logged per process; default 256 KiB. */
  stderrLogLimit?: number;
}

/** Signature of the upstream factory; swap it to add warm pools or other backends. */
export type UpstreamFactory = (service: string, config: ServiceConfig, ctx: UpstreamContext) => Upstream;

/** Default factory: stdio services spawn a child per call; `url` services dial the remote server. */
export const createUpstream: UpstreamFactory = (service, config, ctx) => {
  const logger = ctx.logger.child({ service });
  const startupTimeoutMs = config.startup_timeout * 1000;
  if (config.type === 'http') {
    const url = new URL(config.url);
    const requestInit = { headers: config.headers };
    return new McpUpstream({
      kind: 'http',
      startupTimeoutMs,
      transports: [
        // The SDK's HTTP client code (and its OAuth and event-stream dependencies) loads with the first remote server.
        async () => new (await import('@modelcontextprotocol/sdk/client/streamableHttp.js')).StreamableHTTPClientTransport(url, { requestInit }),
        // Older servers only speak the deprecated HTTP+SSE transport.
        async () => new (await import('@modelcontextprotocol/sdk/client/sse.js')).SSEClientTransport(url, { requestInit }),
      ],
    });
  }
  const launch = (): ReturnType<typeof buildLaunch> => buildLaunch(config, ctx.privateDir, ctx.sandbox);
  return new McpUpstream({
    kind: 'stdio',
    startupTimeoutMs,
    transports: [
      () =>
        new ProcessGroupStdioTransport({
          launch,
          logger,
          ...(ctx.stderrLogLimit === undefined ? {} : { stderrLogLimit: ctx.stderrLogLimit }),
        }),
    ],
  });
};
