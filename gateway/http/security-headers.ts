/**
 * Security headers (helmet; CSP default-src 'none', X-Frame-Options DENY), worked out once at start-up.
 * With these options helmet's answer does not depend on the request (no nonces), so it is recorded once by
 * running helmet against a stand-in response; each request then gets the recorded headers from one
 * middleware instead of a chain of a dozen.
 */
import type { Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';

/** helmet's middleware with the gateway's options. */
export function gatewayHelmet(): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    frameguard: { action: 'deny' },
    // HSTS belongs to an HTTPS listener; this one speaks plain HTTP.
    strictTransportSecurity: false,
  });
}

/** Middleware setting the headers `gatewayHelmet()` sets (and removing those it removes). */
export function securityHeaders(): RequestHandler {
  const set = new Map<string, string>();
  const removed = new Set<string>();
  const recorder = {
    setHeader(name: string, value: unknown) {
      set.set(name, String(value));
      removed.delete(name);
      return recorder;
    },
    removeHeader(name: string) {
      set.delete(name);
      removed.add(name);
    },
  };
  let finished = false;
  gatewayHelmet()({} as Request, recorder as unknown as Response, (err?: unknown) => {
    if (err !== undefined) throw err;
    finished = true;
  });
  // A helmet that needed the request or answered later would make the recording wrong: refuse to start.
  if (!finished) throw new Error('helmet did not set its headers synchronously');
  const headers = [...set];
  const remove = [...removed];
  return function securityHeadersMiddleware(_req, res, next) {
    for (const [name, value] of headers) res.setHeader(name, value);
    for (const name of remove) res.removeHeader(name);
    next();
  };
}
