import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger } from 'pino';

/**
 * Creates a named pino logger writing JSON lines to **stderr** (stdout stays clean for CLIs that print JSON).
 * Level: `opts.level`, else env `LOG_LEVEL`, else `info`.
 */
export function createLogger(name: string, opts: Pick<LoggerOptions, 'level'> = {}): Logger {
  const level = opts.level ?? process.env.LOG_LEVEL ?? 'info';
  return pino({ name, level }, pino.destination({ dest: 2, sync: true }));
}
