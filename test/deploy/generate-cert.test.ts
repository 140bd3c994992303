import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, get } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hasCommand, run } from './helpers.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'generate-cert-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function httpsGet(port: number, ca: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path: '/health', ca, servername: 'localhost' }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

describe.skipIf(!hasCommand('openssl'))('scripts/generate-cert.sh', () => {
  it('writes certs/server.pem (key + certificate, mode 600) and a .gitignore', async () => {
    const result = await run('bash', ['scripts/generate-cert.sh', '-d', dir]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const pem = readFileSync(join(dir, 'server.pem'), 'utf8');
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n[\s\S]+-----END PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\n[\s\S]+-----END CERTIFICATE-----\n$/);
    expect(statSync(join(dir, 'server.pem')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8').split('\n')).toEqual(expect.arrayContaining(['*', '!.gitignore']));
    expect(result.stdout).toContain('Fingerprint=');
  });

  it('produces a certificate Node serves HTTPS with, trusted for 127.0.0.1 and localhost', async () => {
    expect((await run('bash', ['scripts/generate-cert.sh', '-d', dir, '--days', '2'])).code).toBe(0);
    const pem = readFileSync(join(dir, 'server.pem'), 'utf8');
    const server = createServer({ key: pem, cert: pem }, (_req, res) => res.end('{"status":"healthy"}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      expect(await httpsGet(port, pem)).toEqual({ status: 200, body: '{"status":"healthy"}' });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('refuses to overwrite an existing server.pem unless --force', async () => {
    writeFileSync(join(dir, 'server.pem'), 'keep me');
    const refused = await run('bash', ['scripts/generate-cert.sh', '-d', dir]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('already exists (use --force');
    expect(readFileSync(join(dir, 'server.pem'), 'utf8')).toBe('keep me');
    const forced = await run('bash', ['scripts/generate-cert.sh', '-d', dir, '--force', '-n', 'gateway.example.com']);
    expect(forced.code).toBe(0);
    expect(readFileSync(join(dir, 'server.pem'), 'utf8')).toContain('BEGIN CERTIFICATE');
    const subject = await run('openssl', ['x509', '-in', join(dir, 'server.pem'), '-noout', '-subject', '-ext', 'subjectAltName']);
    expect(subject.stdout).toContain('CN = gateway.example.com');
    expect(subject.stdout).toContain('DNS:gateway.example.com, DNS:localhost, IP Address:127.0.0.1');
  });

  it.each([
    [['--days', '0'], '--days must be a positive integer'],
    [['-n', 'bad name;rm'], '--name must be a hostname'],
    [['--bogus'], 'unknown argument: --bogus'],
  ])('rejects %j with exit 1', async (args, message) => {
    const result = await run('bash', ['scripts/generate-cert.sh', '-d', dir, ...args]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
  });
});
