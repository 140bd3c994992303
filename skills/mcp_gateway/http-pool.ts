/** One keep-alive undici Pool per gateway origin (and TLS mode), shared by every client in the process. */
import { Pool } from 'undici';

interface Entry {
  pool: Pool;
  users: number;
}

const pools = new Map<string, Entry>();

/**
 * Idle time before a keep-alive socket is dropped, ms, for servers that send no `Keep-Alive: timeout` hint
 * (below Node's 5 s server default, to avoid reuse races). Our gateway sends a 65 s hint, which undici
 * follows up to `keepAliveMaxTimeout`.
 */
const KEEP_ALIVE_MS = 4000;

/** Takes a reference to the shared pool for `origin`; give it back with {@link releasePool}. */
export function acquirePool(origin: string, verifyTls: boolean): { pool: Pool; key: string } {
  const key = `${origin}|${verifyTls ? 'verify' : 'insecure'}`;
  let entry = pools.get(key);
  if (!entry) {
    entry = {
      pool: new Pool(origin, {
        keepAliveTimeout: KEEP_ALIVE_MS,
        keepAliveMaxTimeout: 60_000,
        ...(verifyTls ? {} : { connect: { rejectUnauthorized: false } }),
      }),
      users: 0,
    };
    pools.set(key, entry);
  }
  entry.users += 1;
  return { pool: entry.pool, key };
}

/** Drops a reference; the pool closes (after in-flight requests) when nobody uses it. */
export async function releasePool(key: string): Promise<void> {
  const entry = pools.get(key);
  if (!entry) return;
  entry.users -= 1;
  if (entry.users > 0) return;
  pools.delete(key);
  await entry.pool.close().catch(() => entry.pool.destroy());
}
