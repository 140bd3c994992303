import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ProcessGroupStdioTransport } from '../../../gateway/upstream/stdio-transport.js';
import { tempDir } from '../../helpers/paths.js';

describe('ProcessGroupStdioTransport.send', () => {
  it('settles a write that waits for a full pipe when the server goes away', async () => {
    // A server that never reads stdin: a large message fills the pipe, so the write waits for 'drain'.
    const transport = new ProcessGroupStdioTransport({
      launch: { command: process.execPath, args: ['-e', 'setInterval(() => {}, 1000)'], env: { PATH: process.env.PATH ?? '' }, cwd: tempDir() },
      logger: pino({ level: 'silent' }),
      graceMs: 200,
    });
    await transport.start();
    const big = { jsonrpc: '2.0' as const, method: 'notifications/message', params: { data: 'x'.repeat(4 * 1024 * 1024) } };
    const sending = transport.send(big);
    const outcome = sending.then(
      () => 'resolved',
      () => 'rejected',
    );
    process.kill(transport.pid as number, 'SIGKILL');
    // Without the fix the promise never settles and the test runs into vitest's timeout.
    expect(await outcome).toBe('rejected');
    await transport.close();
  }, 15_000);
});
