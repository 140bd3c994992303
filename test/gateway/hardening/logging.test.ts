/**
 * Structured logs: JSON lines in `logging.file`, session_id + service on every line about a session, and
 * security events without secrets or control characters (and none for a capability the service does not offer).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGateway, parseGatewayConfig } from '../../../gateway/index.js';
import { cleanForLog } from '../../../gateway/http/security-log.js';
import { AUTH, ROOT, tempDir, testConfig, waitFor } from '../helpers.js';
import { faultService } from './helpers.js';

type Line = Record<string, unknown> & { msg: string };

describe('log-safe values', () => {
  it('strips control characters and caps the length', () => {
    expect(cleanForLog('a\u0000b\nc\r\u001bd\u007f')).toBe('abcd');
    expect(cleanForLog('x'.repeat(500))).toBe(`${'x'.repeat(200)}…`);
  });
});

describe('gateway log file', () => {
  it('has session_id and service on session lines, and security events without secrets or control characters', async () => {
    const file = join(tempDir('gw-log-'), 'logs/gateway.log');
    const raw = testConfig({ fx: faultService() }, { logging: { level: 'DEBUG', file } });
    raw.rate_limiting = { ...(raw.rate_limiting as object), call_limit: '2 per minute' };
    const gateway = await createGateway(parseGatewayConfig(raw, { baseDir: ROOT, env: {} }));
    const { url } = await gateway.listen(0, '127.0.0.1');
    const post = (body: unknown, headers: Record<string, string> = AUTH) =>
      fetch(`${url}/services/fx/call`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    try {
      expect((await post({ tool: 'ping', session_id: 'call-log-1' })).status).toBe(200);
      // Failed auth with a secret-looking token and Basic password.
      expect((await post({ tool: 'ping', session_id: 'x' }, { authorization: 'Bearer wrong-token-SECRET123' })).status).toBe(401);
      const basic = `Basic ${Buffer.from('admin:hunter2-SECRET456').toString('base64')}`;
      expect((await post({ tool: 'ping', session_id: 'x' }, { authorization: basic })).status).toBe(401);
      // Rejected input carrying control characters and a forged log line.
      const evil = 'evil\n{"level":60,"msg":"forged"}\u0000\u001b[31m';
      expect((await post({ tool: 'ping', session_id: 'call-log-1', service: evil })).status).toBe(400);
      // Rate-limit hit (2 per minute per session: one call above, one 400 above, this is the third).
      expect((await post({ tool: 'ping', session_id: 'call-log-1' })).status).toBe(429);
      expect((await fetch(`${url}/sessions/call-log-1`, { method: 'DELETE', headers: AUTH })).status).toBe(200);
      // The skill asks every service for its prompts: "not offered" is an answer, not a security event.
      const prompts = await fetch(`${url}/services/fx/prompts`, { headers: AUTH });
      expect(prompts.status).toBe(404);
      expect(((await prompts.json()) as { code: string }).code).toBe('prompts_not_exposed');
    } finally {
      await gateway.close();
    }
    await waitFor(() => readFileSync(file, 'utf8').includes('mcp-gateway closed'), 'the log to be flushed');
    const text = readFileSync(file, 'utf8');
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Line);
    expect(lines.every((l) => l.name === 'mcp-gateway' && typeof l.level === 'number' && typeof l.time === 'number')).toBe(true);
    expect(lines.some((l) => l.msg === 'forged')).toBe(false);

    const sessionLines = lines.filter((l) => ['session started', 'session closed', 'tool call', 'mcp server stderr', 'mcp server exited'].includes(l.msg));
    expect(new Set(sessionLines.map((l) => l.msg))).toEqual(
      new Set(['session started', 'session closed', 'tool call', 'mcp server stderr', 'mcp server exited']),
    );
    for (const l of sessionLines) expect(l).toMatchObject({ session_id: 'call-log-1', service: 'fx' });

    expect(lines.find((l) => l.msg === 'capability not offered')).toMatchObject({ level: 20, code: 'prompts_not_exposed', service: 'fx' });
    const security = lines.filter((l) => l.security_event !== undefined);
    expect(security.map((l) => l.security_event)).toEqual(['auth_failed', 'auth_failed', 'rejected_input', 'rate_limited']);
    expect(security[0]).toMatchObject({ scheme: 'bearer', method: 'POST', path: '/services/fx/call', ip: '127.0.0.1' });
    expect(security[2]).toMatchObject({ status: 400, code: 'invalid_request', field: 'service', session_id: 'call-log-1', service: 'fx' });
    expect(security[3]).toMatchObject({ limiter: 'call', session_id: 'call-log-1', limit: '2 per minute' });
    expect(security[3]?.principal).toBe('bearer');
    expect(security[1]).toMatchObject({ scheme: 'basic' });
    for (const l of security) {
      for (const value of Object.values(l)) if (typeof value === 'string') expect(value).not.toMatch(/[\x00-\x1f\x7f]/);
    }
    for (const secret of ['SECRET123', 'SECRET456', 'hunter2', Buffer.from('admin:hunter2-SECRET456').toString('base64'), 'test-token-0123456789']) {
      expect(text).not.toContain(secret);
    }
  });
});
