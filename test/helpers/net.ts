/** Waiting without blind sleeps: poll a condition, find a free loopback port, wait for a health URL. */
import { createServer } from 'node:net';

/** How often `waitFor` re-checks, milliseconds. */
const POLL_MS = 25;

/**
 * Polls `check` every 25 ms until it returns a truthy value and resolves with it. Rejects with
 * "timed out waiting for <what>" after `timeoutMs` (default 15 s); an error thrown by `check` rejects at once.
 */
export async function waitFor<T>(check: () => T | Promise<T>, what: string, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** A free loopback port (for servers that cannot report the port they bound). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Options of `waitForHttpOk`. */
export interface WaitForHttpOkOptions {
  /** Named in the timeout error (default: the URL). */
  what?: string;
  /** Milliseconds (default 15 s, as `waitFor`). */
  timeoutMs?: number;
  /** Checked before every attempt; throw from it to give up at once (e.g. the server process has exited). */
  alive?: () => void;
}

/** Polls `url` with GET until it answers 2xx (a refused connection counts as "not yet"). */
export async function waitForHttpOk(url: string, opts: WaitForHttpOkOptions = {}): Promise<void> {
  await waitFor(
    async () => {
      opts.alive?.();
      return fetch(url).then(
        (r) => r.ok,
        () => false,
      );
    },
    opts.what ?? url,
    opts.timeoutMs,
  );
}
