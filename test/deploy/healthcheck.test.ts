import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnCollecting } from '../helpers/processes.js';
import { hasCommand, run } from './helpers.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return String((server.address() as AddressInfo).port);
}

const answer =
  (status: number): RequestListener =>
  (req, res) => {
    res.statusCode = req.url === '/health' ? status : 404;
    res.end(JSON.stringify({ status: status === 200 ? 'healthy' : 'sick' }));
  };

const healthcheck = (port: string) => run('node', ['scripts/healthcheck.mjs'], { ...process.env, MCP_PORT: port });

describe('scripts/healthcheck.mjs (the image HEALTHCHECK)', () => {
  it('exits 0 when /health answers 200 and 1 otherwise', async () => {
    expect((await healthcheck(await listen(createHttpServer(answer(200))))).code).toBe(0);
    const sick = await healthcheck(await listen(createHttpServer(answer(503))));
    expect(sick.code).toBe(1);
    expect(sick.stderr).toContain('/health answered 503');
  });

  it('exits 1 when nothing listens on the port', async () => {
    const port = await listen(createHttpServer());
    await new Promise<void>((resolve) => servers.pop()!.close(() => resolve()));
    expect((await healthcheck(port)).code).toBe(1);
  });

  it.skipIf(!hasCommand('openssl'))('falls back to HTTPS with a self-signed certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'healthcheck-'));
    try {
      expect((await run('bash', ['scripts/generate-cert.sh', '-d', dir])).code).toBe(0);
      const pem = readFileSync(join(dir, 'server.pem'));
      const port = await listen(createHttpsServer({ key: pem, cert: pem }, answer(200)));
      expect((await healthcheck(port)).code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('passes against the real gateway started the way the image starts it', async () => {
    const gateway = spawnCollecting(process.execPath, ['bin/mcp-gateway.js', '-c', 'config.json', '--host', '127.0.0.1', '--port', '0'], {
      env: { ...process.env, MCP_AUTH_PASSWORD: 'healthcheck-test' },
    });
    try {
      const port = (await gateway.waitForOutput(/listening on https?:\/\/127\.0\.0\.1:(\d+)/))[1]!;
      const result = await healthcheck(port);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    } finally {
      await gateway.stop();
    }
  });
});
