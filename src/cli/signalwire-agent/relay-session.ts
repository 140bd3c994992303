import { SignalWire, type SWClient } from '@signalwire/realtime-api';
import { CliError } from '../shared/cli-error.js';
import { withTimeout } from '../shared/with-timeout.js';
import type { RelayTarget } from './credentials.js';

/** Options for `connectRelay`. */
export interface ConnectRelayOptions {
  /** Give up connecting after this many milliseconds (default 15000). */
  timeoutMs?: number;
  /** The SDK's own console logging (default 'silent'). */
  logLevel?: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent';
}

/** How long `disconnectRelay` waits for the SDK to confirm the socket closed, in milliseconds. */
const DISCONNECT_WAIT_MS = 5_000;

/**
 * Connects a RELAY client and checks that it is authorized.
 * The SDK never settles on an unreachable host (it reconnects forever) and resolves even when the credentials
 * are refused, so both are turned into errors here.
 * @throws CliError `relay_connect_timeout` or `relay_auth_failed`
 */
export async function connectRelay(target: RelayTarget, options: ConnectRelayOptions = {}): Promise<SWClient> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const where = target.host ?? 'relay.signalwire.com';
  const pending = SignalWire({
    project: target.project,
    token: target.token,
    ...(target.host ? { host: target.host } : {}),
    logLevel: options.logLevel ?? 'silent',
  });
  let client: SWClient;
  try {
    client = await withTimeout(
      pending,
      timeoutMs,
      () => new CliError(`could not connect to RELAY at ${where} within ${timeoutMs} ms`, 'relay_connect_timeout'),
    );
  } catch (error) {
    // The SDK gives no handle to cancel a pending connect: close the client if it ever arrives. The CLI's main
    // exits the process right after, which also ends the SDK's reconnect loop.
    pending.then(
      (late) => disconnectRelay(late),
      () => undefined,
    );
    if (error instanceof CliError) throw error;
    throw new CliError(`could not connect to RELAY at ${where}: ${describe(error)}`, 'relay_connect_failed', 1, { cause: error });
  }
  if (client.authStatus !== 'authorized') {
    await disconnectRelay(client);
    throw new CliError(`RELAY authentication failed at ${where} (status ${client.authStatus}): bad project id or API token`, 'relay_auth_failed');
  }
  return client;
}

/** Disconnects and waits (bounded) for the socket to close; never throws. */
export async function disconnectRelay(client: SWClient): Promise<void> {
  await withTimeout(client.disconnect(), DISCONNECT_WAIT_MS, () => new Error('disconnect timed out')).catch(() => undefined);
}

/** A readable message from whatever the SDK rejected with (Error, `{message}`, or a camelCased event payload). */
export function describe(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  if (reason && typeof reason === 'object') {
    const record = reason as Record<string, unknown>;
    if (typeof record.message === 'string') return record.code ? `${record.message} (code ${String(record.code)})` : record.message;
    return JSON.stringify(reason);
  }
  return String(reason);
}
