/** Test helper: a pino logger whose JSON lines are kept in memory. */
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';

export function captureLogger(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}
