/** Keep-alive tuning of the gateway's HTTP listeners. */
import type { Server } from 'node:http';

/**
 * How long an idle keep-alive connection stays open, ms. Node's default (5 s) is close to undici's
 * default client idle time (4 s), so agents would often race a closing socket or re-connect between
 * SWAIG calls; 65 s outlasts any client pool's idle time (undici honours the `Keep-Alive: timeout=65`
 * hint minus its 2 s threshold, up to its own max). Load balancers should idle out sooner than this.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** Applies the keep-alive settings to a listener (HTTP or HTTPS). */
export function tuneKeepAlive(server: Server): void {
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
}
