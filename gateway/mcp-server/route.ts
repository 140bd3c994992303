/**
 * `/mcp`: MCP Streamable HTTP for any MCP client, behind the gateway's auth and rate limits. POST without
 * `Mcp-Session-Id` must be an initialize and opens a session; every other request names its session. The
 * SDK transport of that session does the protocol (SSE or JSON answers, GET stream, DELETE).
 */
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { GatewayError } from '../errors.js';
import { methodNotAllowed } from '../http/error-handler.js';
import { RATE_LIMIT_SESSION, type RateLimiters } from '../http/rate-limits.js';
import type { DownstreamSession } from './downstream-session.js';
import type { McpSessionRegistry } from './session-registry.js';

/** Dependencies of the `/mcp` route. */
export interface McpRouteDeps {
  registry: McpSessionRegistry;
  limiters: Pick<RateLimiters, 'tools' | 'call' | 'sessionDelete'>;
  /** express.json size limit, e.g. "10mb". */
  bodyLimit: string;
}

const SESSION_HEADER = 'Mcp-Session-Id';
/** Requests that run something on a server (limited like a call) and listings (limited like GET .../tools). */
const CALLS = new Set(['tools/call', 'prompts/get', 'resources/read']);
const LISTINGS = new Set(['tools/list', 'prompts/list', 'resources/list', 'resources/templates/list']);

function methodsOf(body: unknown): string[] {
  const messages = Array.isArray(body) ? body : [body];
  return messages.map((m) => (m as { method?: unknown } | null)?.method).filter((m): m is string => typeof m === 'string');
}

const principalOf = (res: Response): string => String(res.locals.principal ?? '');

function sessionFor(req: Request, res: Response, registry: McpSessionRegistry): DownstreamSession {
  const id = req.get(SESSION_HEADER);
  if (id === undefined || id === '')
    throw new GatewayError('invalid_request', `${SESSION_HEADER} header is required (start a session with an initialize request)`, { field: SESSION_HEADER });
  const session = registry.find(id, principalOf(res));
  // Spec: an unknown or ended session is 404, after which the client starts a new one.
  if (!session)
    throw new GatewayError('unknown_mcp_session', `No open MCP session ${SESSION_HEADER} (closed or expired); send initialize again`, {
      field: SESSION_HEADER,
    });
  session.touch();
  res.locals[RATE_LIMIT_SESSION] = session.gatewaySessionId;
  return session;
}

/**
 * MCP asks servers to check `Origin` against DNS rebinding: a browser page may only reach `/mcp` from the
 * gateway's own origin. Clients outside a browser send no `Origin` and pass.
 */
const sameOrigin: RequestHandler = (req, _res, next) => {
  const origin = req.get('origin');
  if (origin === undefined) return next();
  let host: string | undefined;
  try {
    host = new URL(origin).host;
  } catch {
    host = undefined;
  }
  next(host !== undefined && host === req.get('host') ? undefined : new GatewayError('forbidden_origin', `Origin ${origin.slice(0, 100)} may not use /mcp`));
};

export function mcpRoutes(deps: McpRouteDeps): Router {
  const { registry, limiters } = deps;
  const router = Router();

  /** Finds the session (or checks for an initialize) and picks the rate limit that fits the JSON-RPC method. */
  const admit: RequestHandler = (req, res, next) => {
    // express.json leaves the body undefined unless it was JSON.
    if (req.body === undefined) throw new GatewayError('unsupported_media_type', 'Content-Type must be application/json');
    const methods = methodsOf(req.body);
    if (req.get(SESSION_HEADER) === undefined) {
      if (!isInitializeRequest(req.body))
        throw new GatewayError('invalid_request', `${SESSION_HEADER} header is required (start a session with an initialize request)`, {
          field: SESSION_HEADER,
        });
      // Opening a session is a session lifecycle request, like a warm-up or DELETE.
      return limiters.sessionDelete(req, res, next);
    }
    res.locals.mcpSession = sessionFor(req, res, registry);
    if (methods.some((m) => CALLS.has(m))) return limiters.call(req, res, next);
    if (methods.some((m) => LISTINGS.has(m))) return limiters.tools(req, res, next);
    next();
  };

  const post: RequestHandler = async (req, res) => {
    const existing = res.locals.mcpSession as DownstreamSession | undefined;
    if (existing) return existing.transport.handleRequest(req, res, req.body);
    const session = await registry.open(principalOf(res));
    try {
      await session.transport.handleRequest(req, res, req.body);
    } finally {
      registry.abandon(session);
    }
  };

  const findSession: RequestHandler = (req, res, next) => {
    res.locals.mcpSession = sessionFor(req, res, registry);
    next();
  };

  /** GET (the client's notification stream) and DELETE (end the session) go to the session's transport. */
  const toTransport: RequestHandler = async (req, res) => {
    await (res.locals.mcpSession as DownstreamSession).transport.handleRequest(req, res);
  };

  router.use('/mcp', sameOrigin);
  router
    .route('/mcp')
    .post(express.json({ limit: deps.bodyLimit }), admit, post)
    .get(findSession, toTransport)
    .delete(findSession, limiters.sessionDelete, toTransport)
    .all(methodNotAllowed(['GET', 'POST', 'DELETE']));
  return router;
}
