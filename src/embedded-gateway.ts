/**
 * The MCP gateway running inside the agent's own process, reached over loopback HTTP with the same API as the
 * standalone `mcp-gateway` (the mcp_gateway skill's default when no `gateway_url` is given).
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { createGateway, loadGatewayConfig, type GatewayConfig } from '../gateway/index.js';

/** The gateway's HTTP API as zod schemas, for clients of a gateway (the mcp_gateway skill). */
export { gatewayContract } from '../gateway/index.js';
import { createLogger } from './logger.js';

/** Options of {@link startEmbeddedGateway}. */
export interface EmbeddedGatewayOptions {
  /** Gateway config file (default `config.json`, relative to the current directory). Ignored when `config` is given. */
  configPath?: string;
  /** An already validated config (from `loadGatewayConfig` / `parseGatewayConfig`). */
  config?: GatewayConfig;
}

/** A handle on the embedded gateway. */
export interface EmbeddedGateway {
  /** Loopback base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Headers to send: `{ authorization: 'Bearer <random token>' }`. Keep out of logs and global_data. */
  headers: { authorization: string };
  /** Releases this handle; the gateway (and every MCP server it started) stops when the last handle closes. */
  close(): Promise<void>;
}

interface Shared {
  url: string;
  token: string;
  users: number;
  close(): Promise<void>;
}

const running = new Map<string | GatewayConfig, Promise<Shared>>();

async function start(config: GatewayConfig): Promise<Shared> {
  const token = randomBytes(32).toString('base64url');
  // Only the loopback listener and the per-process token are accepted: the config's users/passwords do not apply,
  // and TLS (certs/server.pem for the public listener) would only get in the way on loopback.
  const server = {
    ...config.server,
    host: '127.0.0.1',
    port: 0,
    auth_token: token,
    auth_user: undefined,
    auth_password: undefined,
    cert_file: undefined,
    key_file: undefined,
  };
  // Without a log file the gateway would log to stdout; inside an agent, logs belong on stderr with the agent's.
  const logger = config.logging.file === undefined ? createLogger('mcp-gateway', { level: config.logging.level }) : undefined;
  const gateway = await createGateway({ ...config, server }, logger ? { logger } : {});
  try {
    const { url } = await gateway.listen(0, '127.0.0.1');
    return { url, token, users: 0, close: () => gateway.close() };
  } catch (err) {
    await gateway.close();
    throw err;
  }
}

/**
 * Starts (or joins) the process-wide embedded gateway for a config: one per resolved config path (or per config
 * object). It listens on 127.0.0.1 on a free port and accepts only a random bearer token made at start.
 * Throws the gateway's ConfigError (naming the field) when the config is invalid.
 */
export async function startEmbeddedGateway(opts: EmbeddedGatewayOptions = {}): Promise<EmbeddedGateway> {
  const key = opts.config ?? resolve(opts.configPath ?? 'config.json');
  let pending: Promise<Shared> | undefined;
  let shared: Shared;
  do {
    pending = running.get(key);
    if (!pending) {
      pending = (async () => start(typeof key === 'string' ? loadGatewayConfig(key) : key))();
      running.set(key, pending);
      pending.catch(() => running.delete(key));
    }
    shared = await pending;
    // Its last user may have closed it while this call waited: then start (or join) a fresh one.
  } while (running.get(key) !== pending);
  shared.users += 1;
  let released = false;
  return {
    url: shared.url,
    headers: { authorization: `Bearer ${shared.token}` },
    close: async () => {
      if (released) return;
      released = true;
      shared.users -= 1;
      if (shared.users > 0 || running.get(key) !== pending) return;
      running.delete(key);
      await shared.close();
    },
  };
}
