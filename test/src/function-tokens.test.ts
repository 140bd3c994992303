/** Secure functions (issue 12, item 4): per-call `__token`s, on by default, checked on every SWAIG request. */
import { createHmac } from 'node:crypto';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { Agent, FunctionTokens } from '../../src/index.js';
import { expectValidSwml } from '../helpers/swml-schema.js';
import { AUTH, captureLogger, fixture, SWML_CALL_ID, swaigPath, TOKEN_SECRET } from './helpers/agent.js';

describe('FunctionTokens', () => {
  const tokens = new FunctionTokens(TOKEN_SECRET, 60);

  it('uses the Python SDK format: base64url("call.function.expiry.nonce.hmac-sha256-hex")', () => {
    const token = tokens.mint('call-1', 'book', 1_000_000);
    const [callId, fn, expiry, nonce, signature] = Buffer.from(token, 'base64url').toString('utf8').split('.');
    expect([callId, fn, expiry]).toEqual(['call-1', 'book', String(1000 + 60)]);
    expect(nonce).toMatch(/^[0-9a-f]{16}$/);
    expect(signature).toBe(createHmac('sha256', TOKEN_SECRET).update(`call-1:book:1060:${nonce}`).digest('hex'));
    // Python pads its base64 with '='; both spellings are accepted.
    const padded = Buffer.from(Buffer.from(token, 'base64url').toString('utf8')).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
    expect(tokens.check(padded, 'call-1', 'book', 1_000_000)).toBeUndefined();
  });

  it.each([
    ['good', () => tokens.mint('call-1', 'book'), 'call-1', 'book', undefined],
    ['missing', () => undefined, 'call-1', 'book', 'missing'],
    ['no call id in the request', () => tokens.mint('call-1', 'book'), undefined, 'book', 'no_call_id'],
    ['another call', () => tokens.mint('call-2', 'book'), 'call-1', 'book', 'wrong_call'],
    ['another function', () => tokens.mint('call-1', 'cancel'), 'call-1', 'book', 'wrong_function'],
    ['another secret', () => new FunctionTokens('some-other-secret-0000').mint('call-1', 'book'), 'call-1', 'book', 'bad_signature'],
    ['garbage', () => 'not-a-token', 'call-1', 'book', 'malformed'],
    ['a call id with dots', () => tokens.mint('a.b.c', 'book'), 'a.b.c', 'book', undefined],
  ])('%s', (_label, make, callId, fn, expected) => {
    expect(tokens.check(make(), callId, fn)).toBe(expected);
  });

  it('expires after its lifetime', () => {
    const token = tokens.mint('call-1', 'book', 0);
    expect(tokens.check(token, 'call-1', 'book', 59_000)).toBeUndefined();
    expect(tokens.check(token, 'call-1', 'book', 61_000)).toBe('expired');
  });

  it('refuses a token whose fields were edited (signature covers call, function and expiry)', () => {
    const plain = Buffer.from(tokens.mint('call-1', 'book'), 'base64url').toString('utf8').split('.');
    plain[2] = String(Number(plain[2]) + 3600);
    expect(tokens.check(Buffer.from(plain.join('.')).toString('base64url'), 'call-1', 'book')).toBe('bad_signature');
  });
});

function securedAgent() {
  const { logger, lines } = captureLogger();
  const ran: string[] = [];
  const agent = new Agent({ name: 'secure', basicAuth: AUTH, tokenSecret: TOKEN_SECRET, logger })
    .defineTool('transfer_funds', 'Move money', undefined, () => (ran.push('transfer_funds'), 'Moved.'))
    .defineTool('balance', 'Read balance', undefined, () => (ran.push('balance'), 'Balance is 5.'))
    .defineTool({ name: 'opening_hours', description: 'Hours', secure: false, handler: () => (ran.push('opening_hours'), '9 to 5') });
  return { agent, app: agent.app(), ran, lines };
}

const envelope = (fn: string, callId = SWML_CALL_ID) => ({ ...fixture<Record<string, unknown>>('swaig-call.json'), function: fn, call_id: callId });

describe('secure functions over HTTP', () => {
  it('the SWML of a call carries one token per secure function in its web_hook_url; insecure ones use SWAIG.defaults', async () => {
    const { app } = securedAgent();
    const res = await request(app).post('/').auth(AUTH.user, AUTH.password).send(fixture('swml-fetch.json'));
    const swaig = expectValidSwml(res.body).sections.main[1].ai.SWAIG;
    const byName = Object.fromEntries(swaig.functions.map((f: { function: string }) => [f.function, f]));
    const tokens = new FunctionTokens(TOKEN_SECRET);
    for (const fn of ['transfer_funds', 'balance']) {
      const url = new URL(byName[fn].web_hook_url);
      expect(url.pathname).toBe('/swaig');
      expect(tokens.check(url.searchParams.get('__token') ?? undefined, SWML_CALL_ID, fn)).toBeUndefined();
    }
    expect(byName.opening_hours.web_hook_url).toBeUndefined();
    expect(swaig.defaults.web_hook_url).toMatch(new RegExp(`/swaig\\?call_id=${SWML_CALL_ID}$`));
  });

  it('runs a secure function called with its token for the same call', async () => {
    const { agent, app, ran } = securedAgent();
    const res = await request(app)
      .post(swaigPath(agent, 'transfer_funds', SWML_CALL_ID))
      .auth(AUTH.user, AUTH.password)
      .send(envelope('transfer_funds'));
    expect(res.body).toEqual({ response: 'Moved.' });
    expect(ran).toEqual(['transfer_funds']);
  });

  it.each([
    ['without a token', () => '/swaig', 'missing'],
    ['with the token of another call', (a: Agent) => swaigPath(a, 'transfer_funds', 'someone-elses-call'), 'wrong_call'],
    ['with the token of another function', (a: Agent) => swaigPath(a, 'balance', SWML_CALL_ID), 'wrong_function'],
    ['with a forged token', () => `/swaig?__token=${new FunctionTokens('attacker-secret-000000').mint(SWML_CALL_ID, 'transfer_funds')}`, 'bad_signature'],
    ['with the fallback ?token= spelling but garbage', () => '/swaig?token=abc', 'malformed'],
  ])('refuses %s: 200 with a sayable response, handler not run, logged with the reason', async (_label, path, reason) => {
    const { agent, app, ran, lines } = securedAgent();
    const res = await request(app).post(path(agent)).auth(AUTH.user, AUTH.password).send(envelope('transfer_funds'));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      response: 'The transfer_funds function refused this request because its security check failed. Tell the caller the action could not be completed.',
    });
    expect(ran).toEqual([]);
    expect(lines.find((l) => l.function === 'transfer_funds' && l.level === 40)).toMatchObject({ reason, call_id: SWML_CALL_ID });
  });

  it('accepts the ?token= fallback spelling of a good token', async () => {
    const { agent, app, ran } = securedAgent();
    const path = swaigPath(agent, 'balance', SWML_CALL_ID).replace('__token=', 'token=');
    expect((await request(app).post(path).auth(AUTH.user, AUTH.password).send(envelope('balance'))).body).toEqual({ response: 'Balance is 5.' });
    expect(ran).toEqual(['balance']);
  });

  it('an insecure function (secure: false) runs without a token', async () => {
    const { app, ran } = securedAgent();
    const res = await request(app).post('/swaig').auth(AUTH.user, AUTH.password).send(envelope('opening_hours'));
    expect(res.body).toEqual({ response: '9 to 5' });
    expect(ran).toEqual(['opening_hours']);
  });

  it('tokens do not survive a different secret (another process without SWML_TOKEN_SECRET)', async () => {
    const { agent } = securedAgent();
    const other = new Agent({ name: 'secure', basicAuth: AUTH, logger: captureLogger().logger }).defineTool(
      'transfer_funds',
      'Move',
      undefined,
      () => 'Moved.',
    );
    const res = await request(other.app())
      .post(swaigPath(agent, 'transfer_funds', SWML_CALL_ID))
      .auth(AUTH.user, AUTH.password)
      .send(envelope('transfer_funds'));
    expect(res.body.response).toMatch(/refused/);
  });
});
