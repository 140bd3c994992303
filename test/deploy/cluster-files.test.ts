/** Deployment files for several instances (deploy/): linted and checked without a container engine. */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { tempDir } from '../helpers/paths.js';
import { hasCommand, ROOT, run } from './helpers.js';

const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const NGINX = hasCommand('nginx') ? 'nginx' : '/usr/sbin/nginx';

/** `nginx -t` on a site file, its container host names pointed at loopback, inside a minimal unprivileged main config. */
async function nginxTest(site: string): Promise<{ code: number | null; stderr: string }> {
  const dir = tempDir('nginx-t-');
  mkdirSync(join(dir, 'logs'));
  const body = read(site)
    .replace(/server (agent|mcp-gateway):/g, 'server 127.0.0.1:')
    .replace(/listen (\d+);/g, 'listen 127.0.0.1:$1;');
  const conf = `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\nhttp {\n  client_body_temp_path ${dir}/body;\n  proxy_temp_path ${dir}/proxy;\n${body}\n}\n`;
  writeFileSync(join(dir, 'nginx.conf'), conf);
  const result = await run(NGINX, ['-t', '-q', '-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')]);
  return { code: result.code, stderr: result.stderr };
}

describe('deploy/nginx', () => {
  it('pins a call by the call_id of its webhook URLs and a gateway session by X-MCP-Session-Id', () => {
    expect(read('deploy/nginx/agents.conf')).toMatch(/^\s*hash \$arg_call_id consistent;/m);
    expect(read('deploy/nginx/gateways.conf')).toMatch(/^\s*hash \$http_x_mcp_session_id consistent;/m);
    for (const file of ['deploy/nginx/agents.conf', 'deploy/nginx/gateways.conf']) {
      const text = read(file);
      // A draining instance's 503 is retried elsewhere; a timeout never is (a tool call could run twice).
      expect(text).toMatch(/proxy_next_upstream error http_503 non_idempotent;/);
      expect(text).toMatch(/max_fails=0/);
    }
  });

  it.skipIf(!existsSync(NGINX) && !hasCommand('nginx')).each(['deploy/nginx/agents.conf', 'deploy/nginx/gateways.conf'])('%s passes nginx -t', async (file) => {
    const result = await nginxTest(file);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});

interface ComposeService {
  build?: { context: string; dockerfile?: string };
  environment?: Record<string, string | number>;
  volumes?: string[];
  profiles?: string[];
  stop_grace_period?: string;
}

describe('deploy/docker-compose.cluster.yml', () => {
  const compose = parse(read('deploy/docker-compose.cluster.yml')) as { services: Record<string, ComposeService> };
  const { services } = compose;

  it('has nginx + agents + Redis, and gateways with their own nginx under the "gateways" profile', () => {
    expect(Object.keys(services).sort()).toEqual(['agent', 'gateway-lb', 'mcp-gateway', 'nginx', 'redis']);
    expect(services['mcp-gateway']?.profiles).toEqual(['gateways']);
    expect(services['gateway-lb']?.profiles).toEqual(['gateways']);
    expect(services.agent?.build).toEqual({ context: '..', dockerfile: 'deploy/agent.Dockerfile' });
  });

  it('shares credentials, token secret and Redis across agents, and stops them no sooner than their drain', () => {
    const env = services.agent?.environment ?? {};
    for (const name of ['SWML_BASIC_AUTH_USER', 'SWML_BASIC_AUTH_PASSWORD', 'SWML_TOKEN_SECRET'])
      expect(String(env[name])).toMatch(new RegExp(`^\\$\\{${name}:\\?`));
    expect(env.MCP_CLUSTER_REDIS).toBe('redis://redis:6379');
    expect(env.MCP_RATE_LIMIT_STORAGE).toBe('redis://redis:6379');
    expect(services['mcp-gateway']?.environment?.MCP_CLUSTER_REDIS).toBe('redis://redis:6379');
    for (const name of ['agent', 'mcp-gateway']) expect(parseInt(services[name]?.stop_grace_period ?? '0', 10)).toBeGreaterThan(300);
  });

  it('mounts files that exist', () => {
    const mounts = Object.values(services)
      .flatMap((s) => s.volumes ?? [])
      .map((v) => v.split(':')[0]!);
    expect(mounts.length).toBeGreaterThan(2);
    for (const source of mounts) expect(existsSync(join(ROOT, 'deploy', source)), source).toBe(true);
  });
});

describe('deploy/agent.Dockerfile', () => {
  const instructions = read('deploy/agent.Dockerfile')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const ignored = read('deploy/agent.Dockerfile.dockerignore')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));

  it('runs the todo agent as a non-root user behind tini with a /ready health check', () => {
    expect(instructions[0]).toBe('FROM node:20-slim');
    expect(instructions.filter((l) => l.startsWith('USER ')).at(-1)).toBe('USER node');
    expect(instructions.find((l) => l.startsWith('HEALTHCHECK'))).toContain('/ready');
    expect(instructions.at(-1)).toBe('CMD ["node", "--import", "tsx", "agents/todo-agent.ts"]');
  });

  it('copies only files that exist and that its .dockerignore lets in, and keeps secrets out', () => {
    const sources = instructions.filter((l) => l.startsWith('COPY ')).flatMap((l) => l.slice(5).split(/\s+/).slice(0, -1));
    for (const source of sources) {
      const first = source.replace(/\/$/, '').split('/')[0]!;
      expect(existsSync(join(ROOT, first)), source).toBe(true);
      expect(ignored.includes(first), `${source} not ignored`).toBe(false);
    }
    for (const secret of ['.env', 'certs', 'node_modules']) expect(ignored).toContain(secret);
  });
});
