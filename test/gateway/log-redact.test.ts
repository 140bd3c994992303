/** Credentials never reach the gateway's log file, whatever object carries them; other lines are untouched. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseGatewayConfig } from '../../gateway/index.js';
import { createLogger } from '../../gateway/logger.js';
import { redactSecrets } from '../../gateway/log-redact.js';
import { ROOT, tempDir, waitFor } from './helpers.js';

describe('log redaction', () => {
  it('hides auth_password, auth_token, password one level down and authorization headers, in the written file', async () => {
    const file = join(tempDir(), 'gw.log');
    const config = parseGatewayConfig({ server: { auth_token: 't' }, services: {}, logging: { level: 'INFO', file } }, { baseDir: ROOT, env: {} });
    const logger = createLogger(config.logging);
    logger.info({ metadata: { auth_password: 'pw-1', note: 'kept' }, cfg: { auth_token: 'tok-2', password: 'pw-3' } }, 'config-like');
    logger.info({ headers: { authorization: 'Bearer tok-4', accept: 'x' }, req: { headers: { authorization: 'Basic tok-5' } } }, 'headers');
    logger.info({ session_id: 's1', ms: 2 }, 'plain');
    logger.flush();
    await waitFor(() => readFileSync(file, 'utf8').includes('"plain"'), 'the lines on disk');
    const text = readFileSync(file, 'utf8');
    for (const secret of ['pw-1', 'tok-2', 'pw-3', 'tok-4', 'tok-5']) expect(text).not.toContain(secret);
    const [a, b, c] = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, Record<string, unknown>>);
    expect(a?.metadata).toEqual({ auth_password: '[Redacted]', note: 'kept' });
    expect(a?.cfg).toEqual({ auth_token: '[Redacted]', password: '[Redacted]' });
    expect(b?.headers).toEqual({ authorization: '[Redacted]', accept: 'x' });
    expect(b?.req).toEqual({ headers: { authorization: '[Redacted]' } });
    expect(c?.session_id).toBe('s1');
  });

  it("returns a line without secrets as it is, and never changes the caller's objects", () => {
    const plain = { session_id: 's', service: 'todo', ms: 1, metadata: { a: 1 } };
    expect(redactSecrets(plain)).toBe(plain);
    const meta = { password: 'x' };
    const line = { metadata: meta };
    expect(redactSecrets(line)).toEqual({ metadata: { password: '[Redacted]' } });
    expect(meta.password).toBe('x');
  });
});
