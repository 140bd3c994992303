import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadGatewayConfig, parseGatewayConfig } from '../../gateway/index.js';
import { parseRate } from '../../gateway/config/rate.js';
import { substituteEnv } from '../../gateway/config/substitute.js';
import { ROOT, tempDir } from './helpers.js';

const base = { server: { auth_token: 't' }, services: { todo: { command: ['node', 'dist/todo-server.js'] } } };

function configError(raw: unknown): ConfigError {
  try {
    parseGatewayConfig(raw, { env: {}, baseDir: '/base' });
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('config substitution', () => {
  it('replaces ${VAR|default} anywhere inside strings, deeply', () => {
    const out = substituteEnv(
      { a: 'http://${HOST|localhost}:${PORT|80}/x', b: ['${UNSET|fallback}', '${EMPTY|}', '${NODEFAULT}'], n: 3 },
      { HOST: 'example.org' },
    );
    expect(out).toEqual({ a: 'http://example.org:80/x', b: ['fallback', '', ''], n: 3 });
  });

  it('parses rate strings in several spellings', () => {
    expect(parseRate('10 per minute')).toEqual({ limit: 10, windowMs: 60_000, text: '10 per minute' });
    expect(parseRate('200/day')?.windowMs).toBe(86_400_000);
    expect(parseRate('5 per 30 seconds')).toMatchObject({ limit: 5, windowMs: 30_000 });
    expect(parseRate('50 per hours')?.windowMs).toBe(3_600_000);
    expect(parseRate('lots')).toBeUndefined();
    expect(parseRate('0 per minute')).toBeUndefined();
  });
});

describe('parseGatewayConfig', () => {
  it('coerces numbers and booleans given as strings and applies seed defaults', () => {
    const cfg = parseGatewayConfig(
      {
        ...base,
        server: { port: '${MCP_PORT|8080}', auth_token: 't' },
        session: { default_timeout: '${T|12}', max_sessions_per_service: '7' },
        services: { todo: { command: ['node', 'x.js'], enabled: '${ON|false}' } },
      },
      { env: { MCP_PORT: '9001' }, baseDir: '/base' },
    );
    expect(cfg.server.port).toBe(9001);
    expect(cfg.session).toMatchObject({ default_timeout: 12, max_sessions_per_service: 7, cleanup_interval: 60 });
    expect(cfg.services.todo?.enabled).toBe(false);
    expect(cfg.services.todo?.sandbox).toMatchObject({ enabled: true, resource_limits: true, restricted_env: true });
    expect(cfg.rate_limiting.call_limit).toEqual({ limit: 10, windowMs: 60_000, text: '10 per minute' });
    expect(cfg.rate_limiting.default_limits.map((r) => r.text)).toEqual(['200 per day', '50 per hour']);
    expect(cfg.logging.level).toBe('info');
  });

  it('resolves relative paths against the config folder; bare commands stay on PATH', () => {
    const cfg = parseGatewayConfig(
      {
        ...base,
        services: {
          a: { command: ['./bin/server.py', '--flag'], sandbox: { working_dir: 'work' } },
          b: { command: 'python3', args: ['srv.py'] },
        },
        session: { sandbox_dir: './sandbox' },
        logging: { file: 'logs/gw.log', level: 'DEBUG' },
      },
      { env: {}, baseDir: '/base' },
    );
    expect(cfg.services.a?.command).toEqual(['/base/bin/server.py', '--flag']);
    expect(cfg.services.a?.sandbox.working_dir).toBe('/base/work');
    expect(cfg.services.b?.command).toEqual(['python3', 'srv.py']);
    expect(cfg.services.b?.sandbox.working_dir).toBe('/base');
    expect(cfg.session.sandbox_dir).toBe('/base/sandbox');
    expect(cfg.logging).toEqual({ level: 'debug', file: '/base/logs/gw.log' });
  });

  it('accepts remote services with a url and headers', () => {
    const cfg = parseGatewayConfig(
      { ...base, services: { remote: { url: 'https://mcp.example.com/mcp', headers: { 'x-api-key': '${KEY|k}' } } } },
      { env: {} },
    );
    expect(cfg.services.remote).toMatchObject({ type: 'http', url: 'https://mcp.example.com/mcp', headers: { 'x-api-key': 'k' } });
  });

  it.each([
    [{ ...base, services: { todo: { description: 'no command' } } }, 'services.todo.command'],
    [{ ...base, services: { todo: { command: ['x'], url: 'http://h/mcp' } } }, 'services.todo.url'],
    [{ ...base, services: { r: { url: 'ftp://h/mcp' } } }, 'services.r.url'],
    [{ ...base, services: { 'bad name': { command: ['x'] } } }, 'services.bad name'],
    [{ ...base, server: { port: 'abc', auth_token: 't' } }, 'server.port'],
    [{ ...base, server: { port: 70000, auth_token: 't' } }, 'server.port'],
    [{ ...base, server: { auth_user: 'admin' } }, 'server.auth_password'],
    [{ ...base, server: {} }, 'server.auth_user'],
    [{ ...base, rate_limiting: { call_limit: 'many per minute' } }, 'rate_limiting.call_limit'],
    [{ ...base, rate_limiting: { default_limits: ['1 per day', 'often'] } }, 'rate_limiting.default_limits.1'],
    [{ ...base, session: { default_timeout: -1 } }, 'session.default_timeout'],
    [{ ...base, logging: { level: 'LOUD' } }, 'logging.level'],
  ])('names the bad field (%#)', (raw, field) => {
    const err = configError(raw);
    expect(err.field).toBe(field);
    expect(err.message.startsWith(`${field}: `)).toBe(true);
  });
});

describe('loadGatewayConfig', () => {
  it('reads .env next to the config file; the process env wins', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'conf'));
    writeFileSync(join(dir, 'conf/.env'), 'GW_PORT=7001\nGW_USER=fromdotenv\n');
    writeFileSync(join(dir, 'conf/gw.json'), JSON.stringify({ server: { port: '${GW_PORT|1}', auth_user: '${GW_USER|x}', auth_password: 'p' }, services: {} }));
    const cfg = loadGatewayConfig(join(dir, 'conf/gw.json'), { GW_USER: 'fromenv' });
    expect(cfg.server.port).toBe(7001);
    expect(cfg.server.auth_user).toBe('fromenv');
    expect(cfg.session.sandbox_dir).toBe(join(dir, 'conf/sandbox'));
  });

  it('reports unreadable and non-JSON files', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'bad.json'), '{ nope');
    expect(() => loadGatewayConfig(join(dir, 'bad.json'), {})).toThrow(/not valid JSON/);
    expect(() => loadGatewayConfig(join(dir, 'missing.json'), {})).toThrow(/cannot read config file/);
  });

  it('loads the repository config.json with the todo service enabled', () => {
    const cfg = loadGatewayConfig(join(ROOT, 'config.json'), {});
    expect(cfg.services.todo).toMatchObject({ type: 'stdio', command: ['node', '--snapshot-blob', 'dist/todo-server.blob'], enabled: true });
    expect(cfg.services.todo?.sandbox.working_dir).toBe(ROOT.replace(/\/$/, ''));
    expect(cfg.server).toMatchObject({ port: 8080, auth_user: 'admin', auth_password: 'changeme' });
  });
});
