/**
 * Real MCP servers from npm, started the ways their READMEs say (npx, the package's own `#!/usr/bin/env node`
 * bin, an `env VAR=… node` wrapper, `sh -c`), each under the DEFAULT sandbox and limits: every one answers
 * tools/list and a tool call. The memory cap used to kill all but a literal `node` first word at start-up.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEMORY_SERVER } from '../../helpers/paths.js';
import { startGateway, tempDir, testConfig, type TestGateway } from '../helpers.js';
import { callJson } from './helpers.js';

const shared = tempDir('gw-fs-served-');
chmodSync(shared, 0o755);
writeFileSync(join(shared, 'hello.txt'), 'hello from the host');

const services: Record<string, { command: string[]; sandbox?: Record<string, unknown>; tool: string; args: Record<string, unknown>; expect: RegExp }> = {
  everything_npx: { command: ['npx', '--no-install', 'mcp-server-everything'], tool: 'echo', args: { message: 'hi' }, expect: /Echo: hi/ },
  memory_bin: { command: ['node_modules/.bin/mcp-server-memory'], tool: 'read_graph', args: {}, expect: /entities/ },
  memory_env: { command: ['env', 'LOG_LEVEL=debug', 'node', MEMORY_SERVER], tool: 'read_graph', args: {}, expect: /entities/ },
  filesystem_sh: {
    command: ['sh', '-c', 'exec npx --no-install mcp-server-filesystem "$0"', shared],
    sandbox: { readonly_paths: [shared] },
    tool: 'read_text_file',
    args: { path: join(shared, 'hello.txt') },
    expect: /hello from the host/,
  },
  filesystem_bin: {
    command: ['node_modules/.bin/mcp-server-filesystem', shared],
    sandbox: { readonly_paths: [shared] },
    tool: 'list_allowed_directories',
    args: {},
    expect: new RegExp(shared),
  },
};

describe('npm MCP servers by every launcher, default sandbox and limits', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    const config = Object.fromEntries(
      Object.entries(services).map(([name, s]) => [name, { command: s.command, ...(s.sandbox ? { sandbox: s.sandbox } : {}), startup_timeout: 60 }]),
    );
    gw = await startGateway(testConfig(config));
  });
  afterAll(() => gw?.close());

  for (const [name, svc] of Object.entries(services)) {
    it(`${name}: ${svc.command.slice(0, 2).join(' ')} … lists its tools and answers a call`, async () => {
      const listed = await gw.get(`/services/${name}/tools`);
      expect(listed.status).toBe(200);
      const { tools } = (await listed.json()) as { tools: Array<{ name: string }> };
      expect(tools.map((t) => t.name)).toContain(svc.tool);
      const res = await callJson(gw, name, { tool: svc.tool, arguments: svc.args, session_id: `npm-${name}` });
      expect(res.status).toBe(200);
      expect(res.body.is_error).toBe(false);
      expect(String(res.body.result)).toMatch(svc.expect);
    }, 90_000);
  }
});
