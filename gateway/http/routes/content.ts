/**
 * Prompts and resources of services that opt in: `GET /services/:name/prompts`, `GET /services/:name/resources`
 * (both limited like tool listings) and `POST /services/:name/resources/read` `{session_id, uri, timeout?}`
 * (limited like calls: per credential and session), run on that session's server.
 */
import express, { type Router, type RequestHandler } from 'express';
import type { ServiceContent } from '../../content/service-content.js';
import { readResourceRequestSchema } from '../../contract.js';
import { GatewayError } from '../../errors.js';
import { methodNotAllowed } from '../error-handler.js';
import { parseOr400, parseServiceName } from '../validation.js';

/** Dependencies of the content routes. */
export interface ContentRouteDeps {
  content: ServiceContent;
  /** Limiter of listings (`tools_limit`). */
  listLimit: RequestHandler;
  /** Limiter of calls (`call_limit`, keyed by credential + session id). */
  readLimit: RequestHandler;
  bodyLimit: string;
}

const requireJson: RequestHandler = (req, _res, next) => {
  next(req.is('application/json') === false ? new GatewayError('unsupported_media_type', 'Content-Type must be application/json') : undefined);
};

export function contentRoutes(router: Router, deps: ContentRouteDeps): void {
  const { content } = deps;
  router
    .route('/services/:name/prompts')
    .get(deps.listLimit, async (req, res) => {
      const name = parseServiceName(req.params.name);
      res.json({ service: name, prompts: await content.listPrompts(name) });
    })
    .all(methodNotAllowed(['GET', 'HEAD']));
  router
    .route('/services/:name/resources')
    .get(deps.listLimit, async (req, res) => {
      const name = parseServiceName(req.params.name);
      res.json({ service: name, ...(await content.listResources(name)) });
    })
    .all(methodNotAllowed(['GET', 'HEAD']));
  router
    .route('/services/:name/resources/read')
    .post(requireJson, express.json({ limit: deps.bodyLimit }), deps.readLimit, async (req, res) => {
      const name = parseServiceName(req.params.name);
      const body = parseOr400(readResourceRequestSchema, req.body ?? undefined);
      const answer = await content.readResource(body.session_id, name, body.uri, body.timeout);
      res.json({ session_id: body.session_id, service: name, ...answer });
    })
    .all(methodNotAllowed(['POST']));
}
