/**
 * Start-up of a stdio MCP server as the gateway sees it: spawn → initialize answered, and spawn → first
 * tools/call answered (initialize, initialized, tools/call sent back to back), raw JSON-RPC over the pipes.
 */
import { spawn } from 'node:child_process';

/** Times of one start, ms from spawn. */
export interface StartTimes {
  initialize: number;
  firstCall: number;
}

/** Starts `command args`, initializes it, makes one tools/call, and ends it. */
export function timeStart(command: string, args: string[], tool: { name: string; arguments: Record<string, unknown> }): Promise<StartTimes> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'ignore'] });
    let initialize = 0;
    let buffer = '';
    const send = (msg: unknown): void => void child.stdin.write(`${JSON.stringify(msg)}\n`);
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${args.join(' ')}: no answer within 30 s`));
    }, 30_000);
    child.on('error', reject);
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        const msg = JSON.parse(line) as { id?: number };
        if (msg.id === 1) {
          initialize = performance.now() - t0;
          send({ jsonrpc: '2.0', method: 'notifications/initialized' });
          send({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: tool });
        } else if (msg.id === 2) {
          const firstCall = performance.now() - t0;
          clearTimeout(timer);
          child.once('exit', () => resolve({ initialize, firstCall }));
          child.stdin.end();
          setTimeout(() => child.kill('SIGKILL'), 2000).unref();
        }
      }
    });
    send({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } },
    });
  });
}

/** `n` starts one after another. */
export async function timeStarts(
  n: number,
  command: string,
  args: string[],
  tool: { name: string; arguments: Record<string, unknown> },
): Promise<StartTimes[]> {
  const out: StartTimes[] = [];
  for (let i = 0; i < n; i++) out.push(await timeStart(command, args, tool));
  return out;
}
