/**
 * The gateway's answers are a superset of the reference gateway's (signalwire-agents mcp_gateway/gateway_service.py
 * and session_manager.py): every field the reference documents is there with the same meaning, and its config
 * options are honoured or reported.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../../gateway/index.js';
import { fixtureService, ROOT, startGateway, testConfig, type TestGateway } from './helpers.js';

const PACKAGE_VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

describe('answers: the reference fields are all there', () => {
  it('/health: status, timestamp and version', async () => {
    gw = await startGateway(testConfig({ fx: fixtureService() }));
    const health = (await (await fetch(`${gw.url}/health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ status: 'healthy', version: PACKAGE_VERSION });
    expect(Number.isNaN(Date.parse(String(health.timestamp)))).toBe(false);
  });

  it('/sessions: service_name, created_at, last_accessed, timeout, metadata and time_remaining per session', async () => {
    gw = await startGateway(testConfig({ fx: fixtureService() }));
    const metadata = { agent_id: 'agent_123', timestamp: '2024-01-20T10:30:00Z' };
    const call = await gw.call('fx', { tool: 'echo', arguments: { text: 'hi' }, session_id: 'call_xyz123', timeout: 120, metadata });
    expect(call.status).toBe(200);
    // A later call's metadata does not replace the opening call's (the reference keeps it from session creation).
    await gw.call('fx', { tool: 'echo', arguments: { text: 'again' }, session_id: 'call_xyz123', metadata: { other: true } });
    const { sessions } = (await (await gw.get('/sessions')).json()) as { sessions: Array<Record<string, unknown>> };
    expect(sessions).toHaveLength(1);
    const row = sessions[0] as Record<string, unknown>;
    expect(row).toMatchObject({ session_id: 'call_xyz123', service: 'fx', service_name: 'fx', timeout: 120, metadata });
    for (const key of ['created_at', 'last_accessed']) expect(Number.isNaN(Date.parse(String(row[key])))).toBe(false);
    expect(row.last_accessed).toBe(row.last_used_at);
    expect(row.time_remaining).toBeGreaterThan(100);
    expect(row.time_remaining).toBeLessThanOrEqual(120);
  });

  it('DELETE /sessions/:id: message "Session X closed"; 404 "Session X not found"', async () => {
    gw = await startGateway(testConfig({ fx: fixtureService() }));
    await gw.call('fx', { tool: 'echo', arguments: { text: 'hi' }, session_id: 'test-123' });
    expect(await (await gw.del('/sessions/test-123')).json()).toEqual({ message: 'Session test-123 closed', session_id: 'test-123', closed: 1 });
    const missing = await gw.del('/sessions/test-123');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'Session test-123 not found', code: 'unknown_session', field: 'session_id' });
  });
});

describe("config: the reference's options are honoured, unknown keys are named", () => {
  const parse = (raw: Record<string, unknown>) => {
    const warnings: string[] = [];
    const config = parseGatewayConfig(raw, { baseDir: ROOT, env: {}, onWarning: (w) => warnings.push(w) });
    return { config, warnings };
  };

  it("drop_privileges: true keeps the default (a uid per session, stronger than a shared nobody), false the gateway's uid; an explicit user wins", () => {
    const { config, warnings } = parse(
      testConfig({
        a: fixtureService({ sandbox: { drop_privileges: true, note: 'as in the sample config' } }),
        b: fixtureService({ sandbox: { drop_privileges: true, user: '1000:1000' } }),
        c: fixtureService({ sandbox: { drop_privileges: false } }),
      }),
    );
    expect(config.services.a?.sandbox.user).toBeUndefined();
    expect(config.services.b?.sandbox.user).toBe('1000:1000');
    expect(config.services.c?.sandbox.user).toBe(String(process.getuid?.()));
    expect(warnings).toEqual([]);
  });

  it('warns about each unknown key by its path, with a guess for typos, and still loads', () => {
    const raw = testConfig(
      { fx: fixtureService({ sandox: { enabled: false }, sandbox: { resource_limit: true, limits: { cpu: 1 } } }) },
      { extra_section: {} },
    );
    (raw.server as Record<string, unknown>).auth_passwrd = 'x';
    const { config, warnings } = parse(raw);
    expect(config.services.fx?.sandbox.enabled).toBe(true);
    expect(warnings).toEqual([
      'unknown config key "server.auth_passwrd" is ignored (did you mean "auth_password"?)',
      'unknown config key "services.fx.sandox" is ignored (did you mean "sandbox"?)',
      'unknown config key "services.fx.sandbox.resource_limit" is ignored (did you mean "resource_limits"?)',
      'unknown config key "services.fx.sandbox.limits.cpu" is ignored',
      'unknown config key "extra_section" is ignored',
    ]);
  });
});
