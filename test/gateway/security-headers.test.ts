/** The recorded security headers are exactly what helmet itself sets with the gateway's options. */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { gatewayHelmet, securityHeaders } from '../../gateway/http/security-headers.js';

const servers: Server[] = [];

/** Headers of a GET / answered by an app with only `middleware` in front of a plain handler. */
async function headersWith(middleware: RequestHandler): Promise<Record<string, string>> {
  const app = express();
  app.set('etag', false);
  app.use(middleware);
  app.get('/', (_req, res) => void res.send('ok'));
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  servers.push(server);
  const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  await res.text();
  const out: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    if (name !== 'date') out[name] = value;
  });
  return out;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('security headers', () => {
  it('match a live helmet middleware header for header, without X-Powered-By', async () => {
    const recorded = await headersWith(securityHeaders());
    expect(recorded).toEqual(await headersWith(gatewayHelmet()));
    expect(recorded['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
    expect(recorded['x-frame-options']).toBe('DENY');
    expect(recorded['x-content-type-options']).toBe('nosniff');
    expect(recorded).not.toHaveProperty('x-powered-by');
    expect(recorded).not.toHaveProperty('strict-transport-security');
  });
});
