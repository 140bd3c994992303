/**
 * Prompts and resources of services that opt in: `GET /services/:name/prompts`, `GET /services/:name/resources`
 * (both limited like tool listings) and `POST /services/:name/resources/read` `{session_id, uri, timeout?}`
 * (limited like calls: per credential and session), run on that session's server.
 */
import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { ServiceContent } from '../../content/service-content.js';
import { UnsupportedMediaTypeError } from '../../errors.js';
import { methodNotAllowed } from '../error-handler.js';
import { parseOr400, parseServiceName, SESSION_ID_PATTERN } from '../validation.js';

/** Longest resource URI accepted, characters. */
export const MAX_URI_LENGTH = 2048;

const readBodySchema = z.object(
  {
    session_id: z
      .string({ error: 'is required (a string)' })
      .regex(SESSION_ID_PATTERN, 'must be 1-128 characters of A-Z, a-z, 0-9, ".", "_" or "-"'),
    uri: z.string({ error: 'is required (a string)' }).min(1, 'must not be empty').max(MAX_URI_LENGTH, `must be at most ${MAX_URI_LENGTH} characters`),
    timeout: z.number({ error: 'must be a number of seconds' }).positive().max(86_400).optional(),
  },
  { error: 'body must be a JSON object' },
);

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
  next(req.is('application/json') === false ? new UnsupportedMediaTypeError() : undefined);
};

export function contentRoutes(deps: ContentRouteDeps): Router {
  const { content } = deps;
  const router = Router();
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
      const body = parseOr400(readBodySchema, req.body ?? undefined);
      const answer = await content.readResource(body.session_id, name, body.uri, body.timeout);
      res.json({ session_id: body.session_id, service: name, ...answer });
    })
    .all(methodNotAllowed(['POST']));
  return router;
}
