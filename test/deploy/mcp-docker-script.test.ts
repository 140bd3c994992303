import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from './helpers.js';

// A stand-in `docker` that records its arguments and the MCP_* variables it was given: no engine runs here.
const FAKE_DOCKER = `#!/usr/bin/env bash
echo "$* | MCP_PORT=\${MCP_PORT:-} MCP_CONFIG_FILE=\${MCP_CONFIG_FILE:-}" >> "$FAKE_DOCKER_LOG"
`;

let dir: string;
let log: string;
let fakePath: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mcp-docker-'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'docker'), FAKE_DOCKER);
  chmodSync(join(bin, 'docker'), 0o755);
  log = join(dir, 'docker.log');
  writeFileSync(log, '');
  fakePath = `${bin}:${process.env.PATH ?? ''}`;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function script(args: string[], env: Record<string, string> = {}) {
  const base: NodeJS.ProcessEnv = { ...process.env, PATH: fakePath, FAKE_DOCKER_LOG: log };
  delete base.MCP_PORT;
  delete base.MCP_CONFIG_FILE;
  return run('bash', ['scripts/mcp-docker.sh', ...args], { ...base, ...env });
}

/** The recorded docker calls other than the `compose version` probe. */
function calls(): string[] {
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter((line) => line && !line.startsWith('compose version'));
}

describe('scripts/mcp-docker.sh', () => {
  it.each([
    [['build'], 'compose build --build-arg MCP_PORT=8080'],
    [['start'], 'compose up --build'],
    [['start', '-d'], 'compose up -d --build'],
    [['stop'], 'compose down'],
    [['restart'], 'compose restart mcp-gateway'],
    [['logs'], 'compose logs mcp-gateway'],
    [['logs', '-f'], 'compose logs -f mcp-gateway'],
    [['shell'], 'compose exec mcp-gateway /bin/bash'],
    [['clean'], 'compose down --volumes --rmi local --remove-orphans'],
  ])('%j runs docker %s with the port from config.json', async (args, expected) => {
    const result = await script(args);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(calls()).toEqual([`${expected} | MCP_PORT=8080 MCP_CONFIG_FILE=./config.json`]);
  });

  it('reads a literal port, or the ${VAR|default} default, from the chosen config file', async () => {
    const literal = join(dir, 'literal.json');
    writeFileSync(literal, JSON.stringify({ server: { port: 8100 } }));
    expect((await script(['build'], { MCP_CONFIG_FILE: literal })).code).toBe(0);
    const templated = join(dir, 'templated.json');
    writeFileSync(templated, JSON.stringify({ server: { port: '${GATEWAY_TEST_PORT|9123}' } }));
    expect((await script(['start', '-d'], { MCP_CONFIG_FILE: templated })).code).toBe(0);
    expect((await script(['build'], { MCP_CONFIG_FILE: templated, GATEWAY_TEST_PORT: '9200' })).code).toBe(0);
    expect(calls()).toEqual([
      `compose build --build-arg MCP_PORT=8100 | MCP_PORT=8100 MCP_CONFIG_FILE=${literal}`,
      `compose up -d --build | MCP_PORT=9123 MCP_CONFIG_FILE=${templated}`,
      `compose build --build-arg MCP_PORT=9200 | MCP_PORT=9200 MCP_CONFIG_FILE=${templated}`,
    ]);
  });

  it('lets MCP_PORT override the config, and help shows where the port came from', async () => {
    const help = await script(['help'], { MCP_PORT: '9300' });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Port: 9300 (from MCP_PORT)');
    for (const command of ['build', 'start [-d]', 'stop', 'restart', 'logs [-f]', 'status', 'shell', 'clean']) {
      expect(help.stdout).toContain(`  ${command}`);
    }
    expect(calls()).toEqual([]);
  });

  it('rejects an unknown command with exit 2 and a config without a valid port with exit 1', async () => {
    const unknown = await script(['deploy']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command: deploy');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ server: { port: 'eighty' } }));
    const badPort = await script(['build'], { MCP_CONFIG_FILE: bad });
    expect(badPort.code).toBe(1);
    expect(badPort.stderr).toContain('is not a port: eighty');
    const missing = await script(['build'], { MCP_CONFIG_FILE: join(dir, 'absent.json') });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('config file not found');
    expect(calls()).toEqual([]);
  });

  it('says so when docker is not installed', async () => {
    const nodeOnly = join(dir, 'node-only');
    mkdirSync(nodeOnly);
    symlinkSync(process.execPath, join(nodeOnly, 'node'));
    const env = { ...process.env, PATH: `${nodeOnly}:/bin`, FAKE_DOCKER_LOG: log };
    const probe = await run('bash', ['-c', 'command -v docker || true'], env);
    if (probe.stdout.trim()) return; // this machine has docker in /bin: nothing to test
    const result = await run('/bin/bash', ['scripts/mcp-docker.sh', 'start'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('docker is not installed');
  });

  describe('status', () => {
    let server: Server;
    let healthStatus = 200;
    beforeEach(async () => {
      server = createServer((req, res) => {
        res.statusCode = req.url === '/health' ? healthStatus : 404;
        res.end('{}');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('lists the container and probes /health on the published port', async () => {
      const port = String((server.address() as AddressInfo).port);
      healthStatus = 200;
      const healthy = await script(['status'], { MCP_PORT: port });
      expect(healthy.code).toBe(0);
      expect(healthy.stdout).toContain(`health: ok (port ${port})`);
      expect(calls()[0]).toMatch(/^compose ps \|/);
      healthStatus = 503;
      const sick = await script(['status'], { MCP_PORT: port });
      expect(sick.code).toBe(1);
      expect(sick.stdout).toContain(`health: not answering on port ${port}`);
    });
  });
});
