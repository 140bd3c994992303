import { writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startEmbeddedGateway } from '../../src/index.js';
import { todoService, waitFor, writeGatewayConfig } from './helpers.js';

describe('startEmbeddedGateway', () => {
  it('serves on loopback with a per-process bearer token only, shared per config and closed by the last user', async () => {
    const configPath = writeGatewayConfig({ todo: todoService }, 'config-token-must-not-work');
    const first = await startEmbeddedGateway({ configPath });
    const second = await startEmbeddedGateway({ configPath: join(dirname(configPath), '.', 'config.json') });
    expect(new URL(first.url).hostname).toBe('127.0.0.1');
    expect(second.url).toBe(first.url);
    expect(first.headers.authorization).toMatch(/^Bearer [A-Za-z0-9_-]{40,}$/);

    expect((await fetch(`${first.url}/health`)).status).toBe(200);
    expect((await fetch(`${first.url}/services`)).status).toBe(401);
    expect((await fetch(`${first.url}/services`, { headers: { authorization: 'Bearer config-token-must-not-work' } })).status).toBe(401);
    const services = await fetch(`${first.url}/services`, { headers: first.headers });
    expect(await services.json()).toMatchObject({ todo: { description: 'Simple todo list for testing' } });

    await first.close();
    await first.close(); // a handle releases once
    expect((await fetch(`${second.url}/health`)).status).toBe(200);
    await second.close();
    await waitFor(
      async () =>
        fetch(`${first.url}/health`).then(
          () => false,
          () => true,
        ),
      'the gateway to stop listening',
    );

    const again = await startEmbeddedGateway({ configPath });
    expect(again.headers.authorization).not.toBe(first.headers.authorization);
    await again.close();
  });

  it('a handle taken while the last user closes is on a running gateway', async () => {
    const configPath = writeGatewayConfig({ todo: todoService }, 'x');
    const first = await startEmbeddedGateway({ configPath });
    // Joins the already started gateway while its only user releases it in the same tick.
    const joining = startEmbeddedGateway({ configPath });
    const closing = first.close();
    const second = await joining;
    await closing;
    expect((await fetch(`${second.url}/health`)).status).toBe(200);
    expect((await fetch(`${second.url}/services`, { headers: second.headers })).status).toBe(200);
    await second.close();
  });

  it('reports an invalid config with the field, and can be retried after fixing it', async () => {
    const configPath = writeGatewayConfig({ todo: todoService }, 'x');
    writeFileSync(configPath, JSON.stringify({ server: { auth_token: 'x' }, services: { 'bad name!': { command: ['node'] } } }));
    await expect(startEmbeddedGateway({ configPath })).rejects.toMatchObject({ field: expect.stringContaining('services') });
    writeFileSync(configPath, JSON.stringify({ server: { auth_token: 'x' }, services: {}, logging: { level: 'ERROR' } }));
    const gw = await startEmbeddedGateway({ configPath });
    await gw.close();
  });
});
