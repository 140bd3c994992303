import type { SWClient, Voice } from '@signalwire/realtime-api';
import { CliError } from '../shared/cli-error.js';
import { withTimeout } from '../shared/with-timeout.js';
import { resolveRelayTarget, type CredentialOptions } from './credentials.js';
import { requireE164 } from './phone-number-id.js';
import { connectRelay, describe, disconnectRelay } from './relay-session.js';

/** Options of `test-call` (flags of the command). */
export interface TestCallOptions extends CredentialOptions {
  to: string;
  from: string;
  /** Limit for connecting, and slack added to each later wait, in milliseconds (default 15000). */
  timeoutMs: number;
  /** How long the platform lets the number ring, in seconds (default 30). */
  ringTimeout: number;
  /** Text spoken into the call with TTS after it is answered. */
  say?: string;
  /** Stay on the answered call this long (ms) unless the far end hangs up first (default 0). */
  holdMs: number;
  relayHost?: string;
  /** Turns the SDK's own debug logging on. */
  verbose?: boolean;
}

/** What happened on the call. Durations in milliseconds. */
export interface TestCallResult {
  callId: string;
  nodeId: string | null;
  from: string;
  to: string;
  /** Call state after the hang-up (normally `ended`). */
  state: string;
  /** From answer to the end of the hang-up. */
  durationMs: number;
  said: string | null;
  endedBy: 'us' | 'remote';
}

type Call = Voice.Call;

/** Milliseconds allowed per character of TTS on top of `timeoutMs` (speech runs at ~15 characters per second). */
const TTS_MS_PER_CHAR = 100;

async function dial(client: SWClient, opts: TestCallOptions, to: string, from: string): Promise<Call> {
  const limitMs = opts.ringTimeout * 1000 + opts.timeoutMs;
  try {
    return await withTimeout(
      client.voice.dialPhone({ to, from, timeout: opts.ringTimeout }),
      limitMs,
      () => new CliError(`no answer from ${to} within ${limitMs} ms`, 'dial_timeout'),
    );
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`call to ${to} failed: ${describe(error)}`, 'dial_failed', 1, { cause: error });
  }
}

/** Waits up to `holdMs` for the far end to hang up; tells who ended the wait. */
async function hold(call: Call, holdMs: number): Promise<'us' | 'remote'> {
  // waitFor() only sees future state events, so a call that already ended would hold for the full time.
  if (call.state === 'ended' || call.state === 'ending') return 'remote';
  if (holdMs <= 0) return 'us';
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<'us'>((resolve) => {
    timer = setTimeout(() => resolve('us'), holdMs);
  });
  try {
    return await Promise.race([call.waitFor('ended').then(() => 'remote' as const), elapsed]);
  } finally {
    clearTimeout(timer);
  }
}

async function speak(call: Call, text: string, timeoutMs: number): Promise<void> {
  const limitMs = timeoutMs + text.length * TTS_MS_PER_CHAR;
  try {
    await withTimeout(call.playTTS({ text }), limitMs, () => new CliError(`TTS did not finish within ${limitMs} ms`, 'play_timeout'));
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`TTS playback failed: ${describe(error)}`, 'play_failed', 1, { cause: error });
  }
}

async function hangUp(call: Call, timeoutMs: number): Promise<void> {
  if (call.state === 'ended' || call.state === 'ending') return;
  await withTimeout(call.hangup(), timeoutMs, () => new CliError(`hang-up not confirmed within ${timeoutMs} ms`, 'hangup_timeout'));
}

/**
 * Places an outbound call over RELAY: connect (bounded, auth checked), dial `to` from `from`, wait for the answer,
 * optionally speak `say`, optionally hold, hang up, disconnect. `progress` receives one line per step.
 * @throws CliError for bad input (exit 2), connect/auth/dial/playback failures (exit 1)
 */
export async function placeTestCall(opts: TestCallOptions, env: NodeJS.ProcessEnv, progress: (line: string) => void): Promise<TestCallResult> {
  const to = requireE164(opts.to, '--to');
  const from = requireE164(opts.from, '--from');
  const target = resolveRelayTarget(opts, env);
  progress(`connecting to RELAY at ${target.host ?? 'relay.signalwire.com'} as project ${target.project}`);
  const client = await connectRelay(target, { timeoutMs: opts.timeoutMs, logLevel: opts.verbose ? 'debug' : 'silent' });
  try {
    progress(`dialing ${to} from ${from} (rings up to ${opts.ringTimeout} s)`);
    const call = await dial(client, opts, to, from);
    const answeredAt = Date.now();
    progress(`answered: call id ${call.id}`);
    let failure: unknown;
    let endedBy: 'us' | 'remote' = 'us';
    try {
      if (opts.say) {
        await speak(call, opts.say, opts.timeoutMs);
        progress(`said: ${JSON.stringify(opts.say)}`);
      }
      endedBy = await hold(call, opts.holdMs);
    } catch (error) {
      failure = error;
    }
    await hangUp(call, opts.timeoutMs);
    if (failure) throw failure;
    progress(endedBy === 'remote' ? 'the far end hung up' : 'hung up');
    return {
      callId: call.id ?? 'unknown',
      nodeId: call.nodeId ?? null,
      from,
      to,
      state: call.state ?? 'unknown',
      durationMs: Date.now() - answeredAt,
      said: opts.say ?? null,
      endedBy,
    };
  } finally {
    await disconnectRelay(client);
  }
}

/** Human-readable summary line(s) for a finished test call. */
export function formatTestCall(result: TestCallResult): string {
  const seconds = (result.durationMs / 1000).toFixed(1);
  return `call ${result.callId}: ${result.from} → ${result.to}, state ${result.state}, duration ${seconds} s, ended by ${result.endedBy}\n`;
}
