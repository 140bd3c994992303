/** pino logger from the `logging` config block: stdout, or a file (folders created as needed). */
import { mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { pino, type Logger } from 'pino';
import type { GatewayConfig } from './config/schema.js';
import { redactSecrets } from './log-redact.js';

/**
 * Creates the gateway logger; `file` undefined logs JSON lines to stdout. Lines are written asynchronously
 * (pino/sonic-boom `sync: false`): a slow log reader never blocks a tool call, and lines logged while a
 * write is in flight go out together in the next one. pino flushes what is left synchronously when the
 * process exits. The file is opened here, synchronously, so a log file that cannot be written to stops
 * start-up with an error instead of failing later.
 */
export function createLogger(cfg: GatewayConfig['logging']): Logger {
  let dest = 1;
  if (cfg.file !== undefined) {
    mkdirSync(dirname(cfg.file), { recursive: true });
    dest = openSync(cfg.file, 'a');
  }
  const destination = pino.destination({ dest, sync: false });
  // Belt and braces: nothing should log credentials, but if a header or config object slips in, hide them.
  return pino({ name: 'mcp-gateway', level: cfg.level, formatters: { log: redactSecrets } }, destination);
}
