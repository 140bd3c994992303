/** HTTPS from certs/server.pem next to the config (made by scripts/generate-cert.sh), HSTS only on HTTPS. */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createGateway, loadGatewayConfig, type Gateway } from '../../../gateway/index.js';
import { which } from '../../../gateway/sandbox/which.js';
import { AUTH, ROOT, startGateway, tempDir, testConfig } from '../helpers.js';
import { tinyService } from './helpers.js';

const hasOpenssl = which('openssl') !== undefined;
let gateway: Gateway | undefined;
afterEach(async () => {
  await gateway?.close();
  gateway = undefined;
});

/** A folder with config.json and certs/server.pem from the project's script. */
function siteWithCert(): { dir: string; pem: string } {
  const dir = tempDir('gw-https-');
  execFileSync('bash', [join(ROOT, 'scripts/generate-cert.sh'), '-d', join(dir, 'certs')], { stdio: 'pipe' });
  writeFileSync(join(dir, 'config.json'), JSON.stringify(testConfig({ tiny: tinyService() })));
  return { dir, pem: readFileSync(join(dir, 'certs/server.pem'), 'utf8') };
}

const certOf = (pem: string): string => /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0] ?? '';

/** GET over HTTPS trusting only `ca`; resolves status, headers, body. */
function httpsGet(url: string, ca: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe.skipIf(!hasOpenssl)('HTTPS', () => {
  it('serves HTTPS with HSTS when certs/server.pem sits next to the config', async () => {
    const { dir, pem } = siteWithCert();
    const config = loadGatewayConfig(join(dir, 'config.json'), {});
    expect(config.server.cert_file).toBe(join(dir, 'certs/server.pem'));
    gateway = await createGateway(config, { logger: pino({ level: 'silent' }) });
    const { url } = await gateway.listen(0, '127.0.0.1');
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const health = await httpsGet(`${url}/health`, certOf(pem));
    expect(health.status).toBe(200);
    expect(health.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    const services = await httpsGet(`${url}/services`, certOf(pem), AUTH);
    expect(JSON.parse(services.body)).toHaveProperty('tiny');
    // A client that does not trust the self-signed certificate is refused by TLS itself.
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });

  it('takes separate server.cert_file / key_file (relative to the config)', async () => {
    const { dir, pem } = siteWithCert();
    mkdirSync(join(dir, 'tls'));
    writeFileSync(join(dir, 'tls/cert.pem'), certOf(pem));
    writeFileSync(join(dir, 'tls/key.pem'), /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/.exec(pem)?.[0] ?? '');
    const raw = { ...testConfig({ tiny: tinyService() }) };
    raw.server = { ...(raw.server as object), cert_file: 'tls/cert.pem', key_file: 'tls/key.pem' };
    writeFileSync(join(dir, 'other.json'), JSON.stringify(raw));
    gateway = await createGateway(loadGatewayConfig(join(dir, 'other.json'), {}), { logger: pino({ level: 'silent' }) });
    const { url } = await gateway.listen(0, '127.0.0.1');
    expect((await httpsGet(`${url}/health`, certOf(pem))).headers['strict-transport-security']).toMatch(/^max-age=/);
  });

  it('a missing certificate file fails listen() with an error naming server.cert_file', async () => {
    const dir = tempDir('gw-https-');
    const raw = { ...testConfig({ tiny: tinyService() }) };
    raw.server = { ...(raw.server as object), cert_file: 'nope.pem' };
    writeFileSync(join(dir, 'config.json'), JSON.stringify(raw));
    gateway = await createGateway(loadGatewayConfig(join(dir, 'config.json'), {}), { logger: pino({ level: 'silent' }) });
    await expect(gateway.listen(0, '127.0.0.1')).rejects.toThrow(/server\.cert_file: cannot read .*nope\.pem/);
  });
});

describe('plain HTTP', () => {
  it('never sends HSTS', async () => {
    const gw = await startGateway(testConfig({ tiny: tinyService() }));
    try {
      expect(gw.url).toMatch(/^http:\/\//);
      const res = await gw.get('/health', {});
      expect(res.status).toBe(200);
      expect(res.headers.get('strict-transport-security')).toBeNull();
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    } finally {
      await gw.close();
    }
  });
});
