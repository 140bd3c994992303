import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Agent } from '../../src/index.js';
import { parseBasicAuth, safeEqual } from '../../src/auth/basic-auth.js';
import { resolveCredentials } from '../../src/auth/credentials.js';
import { AUTH, silentLogger } from './helpers/agent.js';

const saved = { user: process.env.SWML_BASIC_AUTH_USER, password: process.env.SWML_BASIC_AUTH_PASSWORD };
beforeEach(() => {
  delete process.env.SWML_BASIC_AUTH_USER;
  delete process.env.SWML_BASIC_AUTH_PASSWORD;
});
afterEach(() => {
  for (const [k, v] of [
    ['SWML_BASIC_AUTH_USER', saved.user],
    ['SWML_BASIC_AUTH_PASSWORD', saved.password],
  ] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

const app = () => new Agent({ name: 'auth-agent', basicAuth: AUTH, logger: silentLogger() }).app();

describe('basic auth', () => {
  it('accepts the right credentials', async () => {
    expect((await request(app()).get('/').auth(AUTH.user, AUTH.password)).status).toBe(200);
  });

  it.each([
    ['missing', undefined],
    ['wrong password', `Basic ${Buffer.from(`${AUTH.user}:nope`).toString('base64')}`],
    ['wrong user', `Basic ${Buffer.from(`someone:${AUTH.password}`).toString('base64')}`],
    ['not basic', 'Bearer abc'],
    ['no colon', `Basic ${Buffer.from('justuser').toString('base64')}`],
    ['garbage', 'Basic !!!'],
  ])('401 with WWW-Authenticate when %s', async (_label, header) => {
    const req = request(app()).post('/swaig').send({ function: 'x' });
    if (header) req.set('Authorization', header);
    const res = await req;
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Basic realm="auth-agent", charset="UTF-8"');
    expect(res.body).toEqual({ error: 'Unauthorized', code: 'unauthorized' });
  });

  it('protects every route except /health and /ready', async () => {
    const a = app();
    for (const [method, path] of [
      ['get', '/'],
      ['post', '/'],
      ['post', '/swaig'],
      ['post', '/post_prompt'],
      ['get', '/unknown'],
    ] as const) {
      expect((await request(a)[method](path)).status, `${method} ${path}`).toBe(401);
    }
    expect((await request(a).get('/health')).status).toBe(200);
    expect((await request(a).get('/ready')).status).toBe(200);
  });

  it('uses SWML_BASIC_AUTH_USER / _PASSWORD from the environment', async () => {
    process.env.SWML_BASIC_AUTH_USER = 'env_user';
    process.env.SWML_BASIC_AUTH_PASSWORD = 'env_pass';
    const agent = new Agent({ name: 'env-agent', logger: silentLogger() });
    expect(agent.credentials).toEqual({ user: 'env_user', password: 'env_pass', source: 'environment' });
    expect((await request(agent.app()).get('/').auth('env_user', 'env_pass')).status).toBe(200);
    expect((await request(agent.app()).get('/').auth('env_user', 'wrong')).status).toBe(401);
  });

  it('generates a strong random password for user "signalwire" when nothing is configured', () => {
    const a = resolveCredentials(undefined, {});
    const b = resolveCredentials(undefined, {});
    expect(a.user).toBe('signalwire');
    expect(a.source).toBe('generated');
    expect(a.password).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.password).not.toBe(b.password);
    expect(resolveCredentials(undefined, { SWML_BASIC_AUTH_USER: 'only_user' })).toMatchObject({ user: 'only_user', source: 'generated' });
  });
});

describe('auth helpers', () => {
  it('safeEqual compares exactly, whatever the lengths', () => {
    expect(safeEqual('secret', 'secret')).toBe(true);
    expect(safeEqual('secret', 'secreT')).toBe(false);
    expect(safeEqual('secret', 'secret-and-more')).toBe(false);
    expect(safeEqual('', '')).toBe(true);
  });

  it('parseBasicAuth keeps colons inside the password', () => {
    const header = `Basic ${Buffer.from('u:pa:ss').toString('base64')}`;
    expect(parseBasicAuth(header)).toEqual({ user: 'u', password: 'pa:ss' });
    expect(parseBasicAuth(undefined)).toBeUndefined();
  });
});
