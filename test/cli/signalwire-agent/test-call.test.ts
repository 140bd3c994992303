import { afterEach, describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/shared/cli-io.js';
import { runSignalwireAgent } from '../../../src/cli/signalwire-agent/program.js';
import { startFakeRelay, type FakeRelay, type FakeRelayOptions } from './fake-relay.js';
import { runCli } from './run-cli.js';

const PROJECT = 'proj-relay';
const TOKEN = 'PTrelay-token';
const TO = '+15551230000';
const FROM = '+15559870000';

let relay: FakeRelay | undefined;
afterEach(async () => {
  await relay?.close();
  relay = undefined;
});

async function start(opts: Partial<FakeRelayOptions> = {}): Promise<FakeRelay> {
  relay = await startFakeRelay({ project: PROJECT, token: TOKEN, ...opts });
  return relay;
}

async function run(args: string[], env: Record<string, string> = {}) {
  const io = memoryIo({ SIGNALWIRE_PROJECT_ID: PROJECT, SIGNALWIRE_API_TOKEN: TOKEN, SIGNALWIRE_RELAY_HOST: relay?.host ?? '', ...env });
  const code = await runSignalwireAgent(['test-call', ...args], io);
  return { code, stdout: io.out.join(''), stderr: io.err.join('') };
}

function dialParams(fake: FakeRelay): Record<string, unknown> | undefined {
  const devices = fake.sent('calling.dial')[0]?.params.devices as Array<Array<{ type: string; params: Record<string, unknown> }>> | undefined;
  expect(devices?.[0]?.[0]?.type).toBe('phone');
  return devices?.[0]?.[0]?.params;
}

describe('test-call (in-process, fake RELAY)', () => {
  it('authenticates, dials to/from, speaks, hangs up and reports the call', async () => {
    const fake = await start();
    const result = await run(['--to', TO, '--from', FROM, '--say', 'Hello agent', '--ring-timeout', '20', '--json']);
    expect(result.code).toBe(0);
    expect(fake.sent('signalwire.connect')[0]?.params.authentication).toEqual({ project: PROJECT, token: TOKEN });
    expect(dialParams(fake)).toEqual({ to_number: TO, from_number: FROM, timeout: 20 });
    expect(fake.sent('calling.play')[0]?.params.play).toEqual([{ type: 'tts', params: { text: 'Hello agent' } }]);
    expect(fake.sent('calling.end')[0]?.params).toMatchObject({ call_id: 'call-1', node_id: 'node-1', reason: 'hangup' });
    const methods = fake.frames.map((f) => f.method);
    expect(methods.indexOf('calling.play')).toBeLessThan(methods.indexOf('calling.end'));
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(report).toMatchObject({ callId: 'call-1', nodeId: 'node-1', to: TO, from: FROM, state: 'ended', said: 'Hello agent', endedBy: 'us' });
    expect(report.durationMs).toEqual(expect.any(Number));
    expect(result.stderr).toContain(`dialing ${TO} from ${FROM}`);
  });

  it('prints a readable report without --json', async () => {
    await start();
    const result = await run(['--to', TO, '--from', FROM]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('answered: call id call-1');
    expect(result.stdout).toMatch(/call call-1: \+15559870000 → \+15551230000, state ended, duration \d+\.\d s, ended by us/);
  });

  it('fails with "RELAY authentication failed" on bad credentials and never dials', async () => {
    const fake = await start();
    const result = await run(['--to', TO, '--from', FROM], { SIGNALWIRE_API_TOKEN: 'wrong-token' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('RELAY authentication failed');
    expect(fake.sent('signalwire.connect')).toHaveLength(1);
    expect(fake.sent('calling.dial')).toHaveLength(0);
  });

  it('reports a failed dial with exit 1 and code dial_failed', async () => {
    const fake = await start({ dial: 'failed' });
    const result = await run(['--to', TO, '--from', FROM, '--json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ code: 'dial_failed' });
    expect(fake.sent('calling.end')).toHaveLength(0);
  });

  it('stops holding when the far end hangs up, without sending calling.end', async () => {
    const fake = await start({ remoteHangup: true });
    const result = await run(['--to', TO, '--from', FROM, '--hold-ms', '30000', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ endedBy: 'remote', state: 'ended' });
    expect(fake.sent('calling.end')).toHaveLength(0);
  });

  it('rejects bad input with exit 2 before connecting', async () => {
    const fake = await start();
    const badTo = await run(['--to', '5551230000', '--from', FROM]);
    expect(badTo.code).toBe(2);
    expect(badTo.stderr).toContain('invalid --to "5551230000"');
    const missing = await run(['--to', TO]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--from <e164>'");
    const noToken = await run(['--to', TO, '--from', FROM], { SIGNALWIRE_API_TOKEN: '' });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('SIGNALWIRE_API_TOKEN');
    expect(fake.frames).toHaveLength(0);
  });
});

describe('test-call as a child process', () => {
  it('places the call against the fake RELAY given by SIGNALWIRE_RELAY_HOST', async () => {
    const fake = await start();
    const result = await runCli(['test-call', '--to', TO, '--from', FROM, '--say', 'hi'], {
      SIGNALWIRE_PROJECT_ID: PROJECT,
      SIGNALWIRE_API_TOKEN: TOKEN,
      SIGNALWIRE_RELAY_HOST: fake.host,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('call call-1:');
    expect(dialParams(fake)?.to_number).toBe(TO);
    expect(fake.sent('calling.end')).toHaveLength(1);
  });

  it('gives up on a RELAY server that never answers connect, and the process exits', async () => {
    const fake = await start({ silentConnect: true });
    const result = await runCli([
      'test-call',
      '--to',
      TO,
      '--from',
      FROM,
      '--timeout-ms',
      '300',
      '--relay-host',
      fake.host,
      '--project',
      PROJECT,
      '--token',
      TOKEN,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`could not connect to RELAY at ${fake.host} within 300 ms`);
    expect(fake.sent('signalwire.connect').length).toBeGreaterThanOrEqual(1);
    expect(fake.sent('calling.dial')).toHaveLength(0);
  });

  it('exits 1 with a clear message on bad RELAY credentials', async () => {
    const fake = await start();
    const result = await runCli(['test-call', '--to', TO, '--from', FROM, '--relay-host', fake.host, '--project', PROJECT, '--token', 'bad']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: RELAY authentication failed');
  });
});
