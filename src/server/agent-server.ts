import express from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import { AgentConfigError, AgentError } from '../errors.js';
import { createLogger } from '../logger.js';
import { resolveDrainTimeout } from '../agent/options.js';
import { createAgentRouter } from './app.js';
import { CallDrain, DrainingError } from './drain.js';
import { listen, type RunningServer } from './listen.js';
import { errorHandler, jsonBody, methodNotAllowed, notFound } from './middleware.js';
import type { AgentHost } from './types.js';

/** What the server needs from an agent: its HTTP surface plus clean-up. `Agent` fits. */
export interface MountableAgent extends AgentHost {
  close(): Promise<void>;
}

/** Options of `new AgentServer({...})`. */
export interface AgentServerOptions {
  /** Listen host; default `0.0.0.0`. */
  host?: string;
  /** Listen port; default env `PORT`, else 3000; 0 picks a free port. */
  port?: number;
  /** Largest request body on the server's own routes (`/sip`), bytes; default 1 MiB. */
  maxBodyBytes?: number;
  /** Graceful drain on SIGTERM, seconds (as `Agent`'s `drainTimeoutSeconds`); default env `SWML_DRAIN_TIMEOUT`, else 0. */
  drainTimeoutSeconds?: number;
  logger?: Logger;
}

/** The user part of a SIP address: `sip:sales@example.com` → `sales`; undefined for anything else. */
export function sipUsername(address: unknown): string | undefined {
  if (typeof address !== 'string') return undefined;
  const m = /^sips?:([^@;>]+)@/i.exec(address.trim().replace(/^<|>$/g, ''));
  return m?.[1]?.toLowerCase();
}

/**
 * Several agents on one HTTP server: each under its own route (`/sales`, `/support`) with its own credentials,
 * shared `/health` and `/ready` at the root (ready when every agent is), and optional SIP routing: a SWML fetch
 * to `/sip` is answered by the agent whose SIP username is the user part of `call.to`.
 */
export class AgentServer {
  readonly logger: Logger;
  private readonly agents = new Map<string, MountableAgent>();
  private readonly sipUsers = new Map<string, MountableAgent>();
  private readonly host: string;
  private readonly port: number;
  private readonly maxBodyBytes: number;
  private readonly drainTimeoutSeconds: number;
  private readonly calls = new CallDrain();
  private sipRoute: string | undefined;
  private running: RunningServer | undefined;
  private application: express.Express | undefined;

  constructor(opts: AgentServerOptions = {}) {
    this.host = opts.host ?? '0.0.0.0';
    const envPort = process.env.PORT?.trim();
    this.port = opts.port ?? (envPort ? Number(envPort) : 3000);
    if (!Number.isInteger(this.port) || this.port < 0 || this.port > 65535)
      throw new AgentConfigError('invalid_config', 'port must be 0-65535', { field: 'port' });
    this.maxBodyBytes = opts.maxBodyBytes ?? 1024 * 1024;
    this.logger = opts.logger ?? createLogger('agent-server');
    const drain = opts.drainTimeoutSeconds;
    if (drain !== undefined && !(Number.isFinite(drain) && drain >= 0 && drain <= 86_400)) {
      throw new AgentConfigError('invalid_config', 'drainTimeoutSeconds must be 0-86400', { field: 'drainTimeoutSeconds' });
    }
    this.drainTimeoutSeconds = drain ?? resolveDrainTimeout();
  }

  /** Mounts `agent` at its route. Two agents may not share a route, and `/` is refused (use Agent.serve alone). */
  register(agent: MountableAgent): this {
    if (this.application) throw new AgentConfigError('invalid_config', 'register agents before app() / serve()', { field: 'agent' });
    if (agent.route === '/')
      throw new AgentConfigError('invalid_config', `Agent '${agent.name}': give it a route such as '/sales' to share a server`, { field: 'route' });
    if (this.agents.has(agent.route)) throw new AgentConfigError('invalid_config', `Route '${agent.route}' is already taken`, { field: 'route' });
    this.agents.set(agent.route, agent);
    return this;
  }

  /** Registered agents by route. */
  listAgents(): Array<{ route: string; name: string }> {
    return [...this.agents.values()].map((a) => ({ route: a.route, name: a.name }));
  }

  /**
   * Serves SWML at `route` (default `/sip`) for the agent mapped to the SIP username in `call.to`. With `autoMap`
   * (default true) each agent answers to its route's last segment (`/sales` → `sales`) and to its name.
   */
  enableSipRouting(opts: { route?: string; autoMap?: boolean } = {}): this {
    this.sipRoute = opts.route ?? '/sip';
    if (opts.autoMap ?? true) {
      for (const agent of this.agents.values()) {
        this.mapSipUsername(agent.route.split('/').pop() ?? '', agent.route, true);
        this.mapSipUsername(agent.name, agent.route, true);
      }
    }
    return this;
  }

  /** Maps a SIP username (case-insensitive) to the agent at `route`. */
  mapSipUsername(username: string, route: string, quiet = false): this {
    const agent = this.agents.get(route);
    if (!agent) throw new AgentConfigError('invalid_config', `No agent at route '${route}'`, { field: 'route' });
    const key = username.trim().toLowerCase();
    if (!/^[a-z0-9._~+-]+$/.test(key)) {
      if (quiet) return this;
      throw new AgentConfigError('invalid_config', `SIP username '${username}' has characters a SIP user part cannot carry`, { field: 'username' });
    }
    if (!this.sipUsers.has(key) || !quiet) this.sipUsers.set(key, agent);
    return this;
  }

  /** The Express app: shared health/ready, each agent under its route, SIP routing, 404 and JSON errors. */
  app(): express.Express {
    if (this.application) return this.application;
    const app = express();
    app.disable('x-powered-by');
    app.use(helmet());
    app.get('/health', (_req, res) => void res.json({ status: 'healthy', agents: this.listAgents() }));
    app.all('/health', methodNotAllowed(['GET']));
    app.get('/ready', (_req, res, next) => {
      if (this.calls.draining) return next(new DrainingError());
      const waiting = [...this.agents.values()].filter((a) => !a.isReady()).map((a) => a.name);
      if (waiting.length > 0) return next(new AgentError('not_ready', `Agents still setting up: ${waiting.join(', ')}`));
      res.json({ status: 'ready', agents: this.listAgents() });
    });
    app.all('/ready', methodNotAllowed(['GET']));
    const routers = new Map([...this.agents].map(([route, agent]) => [route, createAgentRouter(agent, this.calls)]));
    if (this.sipRoute !== undefined) {
      const routeBySip: express.RequestHandler = (req, res, next) => {
        if (req.path !== '/') return next();
        const body = req.body as { call?: { to?: unknown } } | undefined;
        const username = sipUsername(body?.call?.to);
        const agent = username === undefined ? undefined : this.sipUsers.get(username);
        if (!agent) return next(new AgentError('unknown_sip_user', `No agent for SIP user '${username ?? '(none)'}'`, { field: 'call.to' }));
        // The agent's own router answers (its credentials, its SWML), as if the fetch had gone to its route.
        req.url = '/';
        (routers.get(agent.route) as express.Router)(req, res, next);
      };
      app.use(this.sipRoute, ...jsonBody(this.maxBodyBytes), routeBySip);
    }
    for (const [route, router] of routers) app.use(route, router);
    app.use(notFound);
    app.use(errorHandler(this.logger, this.maxBodyBytes));
    this.application = app;
    return app;
  }

  /** Listens; `close()` stops the server and closes every agent (skill clean-up). */
  async serve(opts: { handleSignals?: boolean } = {}): Promise<{ url: string; close: () => Promise<void> }> {
    if (this.running) throw new Error('AgentServer is already serving');
    this.running = await listen(this.app(), this.host, this.port, opts.handleSignals ?? true, async (signal) => {
      if (signal === 'SIGTERM') await this.drain();
      await this.close();
    });
    const host = ['0.0.0.0', '::', '127.0.0.1'].includes(this.host) ? 'localhost' : this.host;
    const url = `http://${host}:${this.running.port}`;
    this.logger.info({ url, agents: this.listAgents(), sip: this.sipRoute }, 'AgentServer listening');
    return { url, close: () => this.close() };
  }

  /**
   * Graceful drain for every agent on this server (see `Agent.drain`): resolves once the calls served here have hung
   * up, or after `drainTimeoutSeconds`. SIGTERM drains, closes and exits 0.
   */
  async drain(): Promise<void> {
    this.logger.info({ open_calls: this.calls.openCalls, drain_timeout: this.drainTimeoutSeconds }, 'draining: no new calls, serving the open ones');
    const { left } = await this.calls.drain(this.drainTimeoutSeconds);
    if (left > 0) this.logger.warn({ open_calls: left }, 'drain timeout reached with calls still open');
  }

  /** Stops listening and closes every agent. Safe to call twice. */
  async close(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    await running?.close();
    await Promise.allSettled([...this.agents.values()].map((a) => a.close()));
  }
}
