import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { hasCommand, ROOT, run } from './helpers.js';

const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const SCRIPTS = ['scripts/mcp-docker.sh', 'scripts/generate-cert.sh', 'scripts/cluster.sh'];

describe('shell scripts', () => {
  it.each(SCRIPTS)('%s passes bash -n', async (script) => {
    const result = await run('bash', ['-n', script]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });

  it.skipIf(!hasCommand('shellcheck'))('pass shellcheck (Debian package shellcheck)', async () => {
    const result = await run('shellcheck', ['--severity=style', ...SCRIPTS]);
    expect(result.stdout).toBe('');
    expect(result.code).toBe(0);
  });
});

interface ComposeService {
  build: { context: string; args: Record<string, string> };
  ports: string[];
  env_file: Array<{ path: string; required: boolean }>;
  environment: Record<string, string | number>;
  volumes: string[];
}

describe('docker-compose.yml', () => {
  const compose = parse(read('docker-compose.yml')) as { services: Record<string, ComposeService>; volumes: Record<string, unknown> };
  const service = compose.services['mcp-gateway'];

  it('defines the mcp-gateway service publishing MCP_PORT on the same port inside', () => {
    expect(Object.keys(compose.services)).toEqual(['mcp-gateway']);
    expect(service?.ports).toEqual(['${MCP_PORT:-8080}:${MCP_PORT:-8080}']);
    expect(service?.environment.MCP_PORT).toBe('${MCP_PORT:-8080}');
    expect(service?.build).toEqual({ context: '.', args: { MCP_PORT: '${MCP_PORT:-8080}' } });
  });

  it('mounts config.json and certs/ read-only and reads .env only when present', () => {
    expect(service?.volumes).toContain('${MCP_CONFIG_FILE:-./config.json}:/app/config.json:ro');
    expect(service?.volumes).toContain('./certs:/app/certs:ro');
    expect(service?.env_file).toEqual([{ path: '.env', required: false }]);
    const named = service?.volumes.map((v) => v.split(':')[0]).filter((source) => !/^[.$/]/.test(source ?? '')) ?? [];
    for (const volume of named) expect(compose.volumes).toHaveProperty(volume!);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');
  const instructions = dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const ignored = read('.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

  it('builds on node:20-slim, runs the gateway as a non-root user with a /health check', () => {
    expect(instructions[0]).toBe('FROM node:20-slim');
    const users = instructions.filter((line) => line.startsWith('USER '));
    expect(users.at(-1)).toBe('USER node');
    expect(instructions).toContain('ARG MCP_PORT=8080');
    expect(instructions).toContain('EXPOSE ${MCP_PORT}');
    expect(instructions.find((line) => line.startsWith('HEALTHCHECK'))).toContain('scripts/healthcheck.mjs');
    expect(instructions.at(-1)).toBe('CMD ["node", "bin/mcp-gateway.js", "-c", "config.json"]');
    expect(instructions.some((line) => line.startsWith('RUN npm ci'))).toBe(true);
  });

  it('copies only files that exist and that .dockerignore lets into the context', () => {
    const sources = instructions.filter((line) => line.startsWith('COPY ')).flatMap((line) => line.slice(5).split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(3);
    const top = new Set(readdirSync(ROOT));
    for (const source of sources) {
      const first = source.replace(/\/$/, '').split('/')[0]!;
      expect(top.has(first), `${source} exists`).toBe(true);
      expect(ignored.includes(first) || ignored.includes(`${first}/`), `${source} not in .dockerignore`).toBe(false);
    }
    // Secrets stay out of the image.
    for (const secret of ['.env', 'certs', 'node_modules']) expect(ignored).toContain(secret);
  });
});

describe('.env.example', () => {
  const documented = new Set([...read('.env.example').matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]));

  it('documents every ${VAR} of config.json', () => {
    const used = [...read('config.json').matchAll(/\$\{([A-Z0-9_]+)/g)].map((m) => m[1]);
    expect(used.length).toBeGreaterThan(5);
    for (const name of used) expect(documented.has(name), name).toBe(true);
  });

  it('documents every SIGNALWIRE_* and SWML_* variable the code reads', async () => {
    const result = await run('grep', ['-rhoE', '\\b(SIGNALWIRE|SWML)_[A-Z0-9_]+\\b', '--include=*.ts', 'src', 'gateway', 'skills']);
    const used = new Set(result.stdout.split('\n').filter(Boolean));
    expect(used.has('SIGNALWIRE_PROJECT_ID')).toBe(true);
    for (const name of used) expect(documented.has(name), name).toBe(true);
  });
});
