import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../gateway/main.js';
import { expectGroupGone, ROOT, spawnCollecting, tempDir, TODO_SERVER, waitFor } from './helpers.js';

/** `GET /services` entry of the repository's todo service, freshly started. */
const TODO_ENTRY = {
  description: 'Simple todo list for testing',
  enabled: true,
  type: 'stdio',
  sessions: { call: 0, mcp: 0 },
  sandbox: { layers: expect.stringMatching(/^namespaces: (bwrap|unshare|none), filesystem: /), missing: expect.any(Array) },
};

const BIN = join(ROOT, 'bin/mcp-gateway.js');
let running: ReturnType<typeof spawnCollecting> | undefined;

afterEach(async () => {
  await running?.stop('SIGKILL');
  running = undefined;
});

describe('mcp-gateway -c config.json (CLI child process)', () => {
  it("runs the seed's curl walk-through and closes every server on SIGTERM", async () => {
    const password = randomBytes(8).toString('hex');
    running = spawnCollecting(process.execPath, [BIN, '-c', 'config.json'], {
      env: { ...process.env, MCP_HOST: '127.0.0.1', MCP_PORT: '0', MCP_AUTH_PASSWORD: password, MCP_LOG_LEVEL: 'WARNING' },
    });
    const url = (await running.waitForOutput(/listening on (http:\/\/\S+)/))[1]!;
    const auth = { authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}` };
    const get = async (path: string) => (await fetch(url + path, { headers: auth })).json();
    const call = async (tool: string, args: Record<string, unknown>, extra: Record<string, unknown> = {}) => {
      const res = await fetch(`${url}/services/todo/call`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ tool, arguments: args, session_id: 'test-123', ...extra }),
      });
      expect(res.status).toBe(200);
      return (await res.json()) as { result: string; is_error: boolean };
    };

    // curl http://localhost:8080/health
    expect(await (await fetch(`${url}/health`)).json()).toMatchObject({ status: 'healthy' });
    // curl -u admin:changeme http://localhost:8080/services
    expect(await get('/services')).toEqual({
      todo: TODO_ENTRY,
    });
    // curl -u admin:changeme http://localhost:8080/services/todo/tools
    const tools = (await get('/services/todo/tools')) as { service: string; tools: Array<{ name: string }> };
    expect(tools.service).toBe('todo');
    expect(tools.tools.map((t) => t.name)).toEqual(['add_todo', 'list_todos', 'complete_todo', 'delete_todo', 'clear_todos']);
    // curl -u admin:changeme -X POST .../services/todo/call -d '{"tool":"add_todo",...,"timeout":300}'
    expect(await call('add_todo', { text: 'Test item' }, { timeout: 300, service: 'todo', metadata: { agent_id: 'agent_123' } })).toEqual({
      session_id: 'test-123',
      service: 'todo',
      tool: 'add_todo',
      result: 'Added todo #1: Test item (priority: medium)',
      is_error: false,
    });
    expect((await call('list_todos', {})).result).toBe('Todo List (all):\n○ #1 [medium] Test item');
    // curl -u admin:changeme http://localhost:8080/sessions
    const { sessions } = (await get('/sessions')) as { sessions: Array<{ session_id: string; service: string; pid: number }> };
    expect(sessions).toEqual([expect.objectContaining({ session_id: 'test-123', service: 'todo', pid: expect.any(Number) })]);
    expect((await call('complete_todo', { id: 1 })).result).toBe('Completed todo #1: Test item');
    expect((await call('list_todos', { status: 'completed' })).result).toBe('Todo List (completed):\n✓ #1 [medium] Test item');
    // curl -u admin:changeme -X DELETE http://localhost:8080/sessions/test-123
    const del = await fetch(`${url}/sessions/test-123`, { method: 'DELETE', headers: auth });
    expect(await del.json()).toEqual({ message: 'Session test-123 closed', session_id: 'test-123', closed: 1 });
    await expectGroupGone(sessions[0]!.pid);

    // A live session at shutdown is closed by the SIGTERM handler.
    await call('add_todo', { text: 'left open' });
    const live = ((await get('/sessions')) as { sessions: Array<{ pid: number }> }).sessions[0]!.pid;
    running.child.kill('SIGTERM');
    expect(await running.exited).toBe(0);
    await expectGroupGone(live);
  });

  it('refuses a bad config with exit code 2 and a message naming the field', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ server: { auth_token: 't' }, services: { todo: { description: 'x' } } }));
    running = spawnCollecting(process.execPath, [BIN, '-c', join(dir, 'bad.json')]);
    expect(await running.exited).toBe(2);
    expect(running.output().stderr).toMatch(/invalid config: services\.todo\.command: /);
  });

  describe('a missing config file is created, as the reference does, without weak secrets', () => {
    const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
    const basic = (password: string) => ({ authorization: `Basic ${Buffer.from(`admin:${password}`).toString('base64')}` });

    it('copies sample_config.json, replacing its "changeme" default with a random password, and names unknown keys', async () => {
      const dir = tempDir();
      const sample = {
        server: {
          host: '${MCP_HOST|0.0.0.0}',
          port: '${MCP_PORT|8100}',
          auth_user: '${MCP_AUTH_USER|admin}',
          auth_password: '${MCP_AUTH_PASSWORD|changeme}',
          auth_token: '${MCP_AUTH_TOKEN|}',
          debug_mode: true,
        },
        services: { todo: { command: ['node', TODO_SERVER], description: 'Simple todo list for testing', sandbox: { enabled: true, note: 'kept' } } },
        logging: { level: 'ERROR' },
      };
      writeFileSync(join(dir, 'sample_config.json'), JSON.stringify(sample));
      running = spawnCollecting(process.execPath, [BIN, '-c', 'config.json', '--port', '0', '--host', '127.0.0.1'], { cwd: dir, env });
      const url = (await running.waitForOutput(/listening on (http:\/\/\S+)/))[1]!;
      const stderr = running.output().stderr;
      expect(stderr).toContain(`created it from ${join(dir, 'sample_config.json')}`);
      expect(stderr).toMatch(/server\.auth_password had a weak default; the file now holds a random one/);
      expect(stderr).toContain('unknown config key "server.debug_mode" is ignored');
      expect(stderr).not.toContain('sandbox.note');
      const file = join(dir, 'config.json');
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const created = JSON.parse(readFileSync(file, 'utf8')) as typeof sample;
      expect(JSON.stringify(created)).not.toContain('changeme');
      expect(created.server.auth_token).toBe('${MCP_AUTH_TOKEN|}');
      const password = /^\$\{MCP_AUTH_PASSWORD\|(.{16,})\}$/.exec(created.server.auth_password)?.[1];
      expect(password).toBeDefined();
      expect((await fetch(`${url}/services`, { headers: basic('changeme') })).status).toBe(401);
      expect(await (await fetch(`${url}/services`, { headers: basic(password!) })).json()).toEqual({
        todo: TODO_ENTRY,
      });
    });

    it('without a sample writes a minimal default with a random password (the reference writes admin/changeme)', async () => {
      const dir = tempDir();
      running = spawnCollecting(process.execPath, [BIN, '-c', join(dir, 'gw.json'), '--port', '0', '--host', '127.0.0.1'], { cwd: dir, env });
      const url = (await running.waitForOutput(/listening on (http:\/\/\S+)/))[1]!;
      expect(running.output().stderr).toContain('created it from a minimal default (no sample_config.json found)');
      const created = JSON.parse(readFileSync(join(dir, 'gw.json'), 'utf8')) as { server: { auth_user: string; auth_password: string } };
      expect(created.server.auth_user).toBe('admin');
      expect(created.server.auth_password).not.toBe('changeme');
      expect(created.server.auth_password.length).toBeGreaterThanOrEqual(16);
      expect(await (await fetch(`${url}/services`, { headers: basic(created.server.auth_password) })).json()).toEqual({});
      expect(existsSync(join(dir, 'config.json'))).toBe(false);
    });
  });
});

describe('run() in-process (no child, never exits)', () => {
  function io(stop: Promise<string> = new Promise(() => undefined)) {
    const out = { stdout: '', stderr: '' };
    return { out, io: { stdout: (t: string) => void (out.stdout += t), stderr: (t: string) => void (out.stderr += t), waitForStop: () => stop } };
  }

  it('answers --help with 0 and a usage mistake with 2, printing through io', async () => {
    const help = io();
    expect(await run(['--help'], help.io)).toBe(0);
    expect(help.out.stdout).toContain('--config <path>');
    const bad = io();
    expect(await run(['--port', '70000'], bad.io)).toBe(2);
    expect(bad.out.stderr).toMatch(/--port.*must be 0-65535/);
    const unknown = io();
    expect(await run(['--nope'], unknown.io)).toBe(2);
    expect(unknown.out.stderr).toMatch(/unknown option '--nope'/);
  });

  it('returns 2 for a bad config, naming the field', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ server: { auth_token: 't' }, services: { todo: { description: 'x' } } }));
    const bad = io();
    expect(await run(['-c', join(dir, 'bad.json')], bad.io)).toBe(2);
    expect(bad.out.stderr).toMatch(/invalid config: services\.todo\.command: /);
  });

  it('serves until waitForStop resolves, then closes and returns 0', async () => {
    const dir = tempDir();
    const config = {
      server: { host: '127.0.0.1', port: 0, auth_token: 'in-process-token-123' },
      services: { todo: { command: ['node', TODO_SERVER] } },
      logging: { level: 'ERROR' },
    };
    writeFileSync(join(dir, 'gw.json'), JSON.stringify(config));
    let stop!: (reason: string) => void;
    const running = io(new Promise((resolve) => (stop = resolve)));
    const status = run(['-c', join(dir, 'gw.json')], running.io);
    await waitFor(() => /listening on (http:\/\/\S+)/.exec(running.out.stderr), 'the gateway to listen');
    const url = /listening on (http:\/\/\S+)/.exec(running.out.stderr)![1]!;
    expect((await fetch(`${url}/health`)).status).toBe(200);
    stop('test over');
    expect(await status).toBe(0);
    expect(running.out.stderr).toContain('mcp-gateway: test over, closing sessions');
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });
});
