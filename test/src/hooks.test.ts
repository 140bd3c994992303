import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { Agent, SwaigResult, type SwaigRequest } from '../../src/index.js';
import { AUTH, captureLogger, fixture, silentLogger, TOKEN_SECRET, withToken } from './helpers/agent.js';
import { expectValidSwml } from '../helpers/swml-schema.js';

const post = (agent: Agent, body: unknown) => {
  const signed = withToken('/swaig', body);
  return request(agent.app())
    .post(signed.path)
    .auth(AUTH.user, AUTH.password)
    .send(signed.body as object);
};

describe('reserved hooks', () => {
  it('renders hangup_hook and startup_hook as functions with exactly those names', () => {
    const agent = new Agent({ name: 'hooks', basicAuth: AUTH, tokenSecret: TOKEN_SECRET, logger: silentLogger() });
    agent
      .onStartup(() => undefined)
      .onHangup(() => undefined)
      .onHangup(() => undefined);
    const fns = expectValidSwml(agent.renderSwml({ callId: 'c1' })).sections.main[1]!.ai as { SWAIG: { functions: Array<Record<string, unknown>> } };
    expect(fns.SWAIG.functions.map((f) => f.function)).toEqual(['startup_hook', 'hangup_hook']);
    for (const f of fns.SWAIG.functions) {
      expect(Object.keys(f).sort()).toEqual(['description', 'function', 'parameters', 'web_hook_url']);
      expect(f.web_hook_url).toMatch(/\/swaig\?__token=/); // hooks are secure like every function
    }
  });

  it('runs every onHangup handler for the platform hangup envelope, even when one throws', async () => {
    const { logger, lines } = captureLogger();
    const agent = new Agent({ name: 'hooks', basicAuth: AUTH, tokenSecret: TOKEN_SECRET, logger });
    const seen: string[] = [];
    agent.onHangup((_args, req: SwaigRequest) => {
      seen.push(`first:${String(req.global_data?.mcp_call_id)}`);
      return 'Session cleanup complete';
    });
    agent.onHangup(async () => {
      seen.push('second');
      throw new Error('gateway unreachable');
    });
    agent.onHangup((_args, req) => {
      seen.push(`third:${req.call_log?.length}`);
      return new SwaigResult('Logged').setGlobalData({ ended: true });
    });
    const res = await post(agent, fixture('hangup-hook.json'));
    expect(res.status).toBe(200);
    expect(seen).toEqual(['first:8b1a0c2e-3333-4f4f-a000-swaigcall0001', 'second', 'third:3']);
    expect(res.body).toEqual({
      response: 'Session cleanup complete Logged 1 of 3 hangup_hook handler(s) failed.',
      action: [{ set_global_data: { ended: true } }],
    });
    expect(lines.find((l) => l.function === 'hangup_hook')).toMatchObject({ call_id: '8b1a0c2e-3333-4f4f-a000-swaigcall0001', level: 50 });
  });

  it('answers startup_hook', async () => {
    const agent = new Agent({ name: 'hooks', basicAuth: AUTH, tokenSecret: TOKEN_SECRET, logger: silentLogger() });
    agent.onStartup(() => 'ready to talk');
    const res = await post(agent, { ...fixture<Record<string, unknown>>('hangup-hook.json'), function: 'startup_hook' });
    expect(res.body).toEqual({ response: 'ready to talk' });
  });

  it('hangup_hook is unknown until a handler is registered, and cannot be removed', async () => {
    const agent = new Agent({ name: 'hooks', basicAuth: AUTH, tokenSecret: TOKEN_SECRET, logger: silentLogger() });
    expect((await post(agent, fixture('hangup-hook.json'))).body.response).toMatch(/hangup_hook is not available/);
    agent.onHangup(() => 'ok');
    expect(agent.removeTool('hangup_hook')).toBe(false);
    expect((await post(agent, fixture('hangup-hook.json'))).body).toEqual({ response: 'ok' });
  });
});
