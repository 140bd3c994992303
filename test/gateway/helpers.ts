/**
 * Shared helpers for the gateway tests: test configs and real gateways on loopback. The generic ones (polling,
 * ports, child processes, /proc) live in test/helpers/ and are re-exported here for the gateway tests.
 */
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { createGateway, parseGatewayConfig, type Gateway, type GatewayOptions } from '../../gateway/index.js';
import { ROOT, tempDir } from '../helpers/paths.js';

export { freePort, waitFor } from '../helpers/net.js';
export { ROOT, TODO_SERVER, EVERYTHING_SERVER, tempDir } from '../helpers/paths.js';
export { expectGroupGone, groupMembers, processExists, spawnCollecting } from '../helpers/processes.js';

export const FIXTURE_SERVER = join(ROOT, 'test/fixtures/servers/fixture-server.mjs');
export const TOKEN = 'test-token-0123456789';

/** Raw config for tests: loopback, bearer + basic auth, generous limits, a private sandbox dir. */
export function testConfig(services: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  // Crossable (not listable) by the per-session uids servers run as when the tests run as root.
  const dir = tempDir();
  chmodSync(dir, 0o711);
  return {
    server: { host: '127.0.0.1', port: 0, auth_user: 'admin', auth_password: 'secret', auth_token: TOKEN },
    services,
    session: { sandbox_dir: join(dir, 'sandbox'), cleanup_interval: 60 },
    rate_limiting: {
      default_limits: ['100000 per hour'],
      tools_limit: '10000 per minute',
      call_limit: '10000 per minute',
      session_delete_limit: '10000 per minute',
    },
    logging: { level: 'ERROR' },
    ...extra,
  };
}

/**
 * A service entry running the fixture server. Lifecycle tests kill and inspect the pids the fixture reports
 * itself, which only mean something outside a pid namespace, so it runs without one (`isolation: "none"`);
 * the namespace layers have their own tests (hardening/hostile.test.ts) on the default config.
 */
export const fixtureService = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  command: ['node', FIXTURE_SERVER],
  description: 'fixture',
  ...extra,
  sandbox: { isolation: 'none', ...(extra.sandbox as Record<string, unknown> | undefined) },
});

/** A small HTTP client bound to a running gateway. */
export interface TestGateway {
  url: string;
  gateway: Gateway;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  call(service: string, body: unknown): Promise<Response>;
  del(path: string): Promise<Response>;
  close(): Promise<void>;
}

export const AUTH = { authorization: `Bearer ${TOKEN}` };

/** Starts an in-process gateway on 127.0.0.1:0 from a raw config. */
export async function startGateway(raw: Record<string, unknown>, opts: GatewayOptions = {}): Promise<TestGateway> {
  const config = parseGatewayConfig(raw, { baseDir: ROOT, env: {} });
  const gateway = await createGateway(config, { logger: pino({ level: 'silent' }), ...opts });
  const { url } = await gateway.listen(0, '127.0.0.1');
  return {
    url,
    gateway,
    get: (path, headers = AUTH) => fetch(url + path, { headers }),
    call: (service, body) =>
      fetch(`${url}/services/${service}/call`, {
        method: 'POST',
        headers: { ...AUTH, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    del: (path) => fetch(url + path, { method: 'DELETE', headers: AUTH }),
    close: () => gateway.close(),
  };
}
