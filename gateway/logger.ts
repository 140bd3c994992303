/** pino logger from the `logging` config block: stdout, or a file (folders created as needed). */
import { pino, type Logger } from 'pino';
import type { GatewayConfig } from './config/schema.js';

/** Creates the gateway logger; `file` undefined logs JSON lines to stdout. */
export function createLogger(cfg: GatewayConfig['logging']): Logger {
  const destination = cfg.file === undefined ? pino.destination(1) : pino.destination({ dest: cfg.file, mkdir: true, sync: true });
  // Belt and braces: nothing should log credentials, but if a header or config object slips in, hide them.
  const redact = ['req.headers.authorization', 'headers.authorization', '*.auth_password', '*.auth_token', '*.password'];
  return pino({ name: 'mcp-gateway', level: cfg.level, redact }, destination);
}
