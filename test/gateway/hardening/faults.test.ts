/**
 * Fault handling with real child processes: a server killed mid-call, one that never answers, a hung call,
 * a server that exits at start, one that floods stderr, and start-failure backoff.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StartBackoff } from '../../../gateway/upstream/start-backoff.js';
import { expectGroupGone, startGateway, testConfig, waitFor, type TestGateway } from '../helpers.js';
import { callJson, faultService, isRunning, leaderPid, scratchDir } from './helpers.js';

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

describe('a server killed with SIGKILL mid-session', () => {
  it('fails the in-flight call with a clear 502, and the next call gets a fresh server with session_reset', async () => {
    const callLog = join(scratchDir(), 'calls.log');
    gw = await startGateway(testConfig({ fx: faultService({ tool_timeout: 60, env: { CALL_LOG: callLog } }) }));
    expect((await callJson(gw, 'fx', { tool: 'ping', session_id: 'k9' })).status).toBe(200);
    const pid = await leaderPid(gw, 'k9', 'fx');
    const inFlight = callJson(gw, 'fx', { tool: 'sleep', arguments: { ms: 55_000 }, session_id: 'k9' });
    // Kill only once the call is really running inside the server.
    await waitFor(() => existsSync(callLog) && readFileSync(callLog, 'utf8').includes(`sleep ${pid}`), 'the call to reach the server');
    process.kill(pid, 'SIGKILL');
    const failed = await inFlight;
    expect(failed.status).toBe(502);
    expect(failed.body).toMatchObject({ code: 'upstream_failed' });
    expect(failed.body.error).toMatch(/died \(signal SIGKILL\) during the call; the next call starts a fresh server/);
    await expectGroupGone(pid);

    const next = await callJson(gw, 'fx', { tool: 'ping', session_id: 'k9' });
    expect(next.status).toBe(200);
    expect(next.body).toMatchObject({ result: 'pong', session_reset: true });
    expect(await leaderPid(gw, 'k9', 'fx')).not.toBe(pid);
    const after = await callJson(gw, 'fx', { tool: 'ping', session_id: 'k9' });
    expect(after.body).not.toHaveProperty('session_reset');
  });

  it('a server that died between calls is replaced on the next call, which says session_reset', async () => {
    gw = await startGateway(testConfig({ fx: faultService() }));
    await callJson(gw, 'fx', { tool: 'ping', session_id: 'between' });
    const pid = await leaderPid(gw, 'between', 'fx');
    process.kill(pid, 'SIGKILL');
    await expectGroupGone(pid);
    const next = await callJson(gw, 'fx', { tool: 'ping', session_id: 'between' });
    expect(next.status).toBe(200);
    expect(next.body.session_reset).toBe(true);
  });
});

describe('a server that never answers', () => {
  it('initialize: 502 upstream_start_failed at startup_timeout, naming the timeout, with no process left', async () => {
    const startLog = join(scratchDir(), 'starts.log');
    gw = await startGateway(testConfig({ mute: faultService({ startup_timeout: 1, env: { FAULT_MODE: 'never-answer', START_LOG: startLog } }) }));
    const res = await callJson(gw, 'mute', { tool: 'ping', session_id: 'mute' });
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ code: 'upstream_start_failed' });
    expect(res.body.error).toMatch(/no answer to initialize within 1 s/);
    const pid = Number(readFileSync(startLog, 'utf8').trim());
    await waitFor(() => !isRunning(pid), 'the mute server to be gone');
    expect((await (await gw.get('/sessions')).json()) as unknown).toEqual({ sessions: [] });
  });

  it('a hung tool call is cancelled at tool_timeout (504) and the server is told (notifications/cancelled)', async () => {
    gw = await startGateway(testConfig({ fx: faultService({ tool_timeout: 1 }) }));
    const res = await callJson(gw, 'fx', { tool: 'sleep', arguments: { ms: 50_000 }, session_id: 'hung' });
    expect(res.status).toBe(504);
    expect(res.body).toMatchObject({ code: 'tool_timeout', error: 'Tool sleep did not answer within 1 s' });
    // The session survives a timeout; the server saw the cancellation.
    const count = await waitFor(async () => {
      const r = await callJson(gw!, 'fx', { tool: 'cancellations', session_id: 'hung' });
      return r.body.result === '1' ? r : undefined;
    }, 'the server to record the cancellation');
    expect(count.body).not.toHaveProperty('session_reset');
  });
});

describe('closing a session while a call runs (hangup mid-call)', () => {
  it('cancels the call on the server (notifications/cancelled) before closing it, and answers 409', async () => {
    const callLog = join(scratchDir(), 'calls.log');
    const cancelLog = join(scratchDir(), 'cancels.log');
    gw = await startGateway(testConfig({ fx: faultService({ tool_timeout: 60, env: { CALL_LOG: callLog, CANCEL_LOG: cancelLog } }) }));
    expect((await callJson(gw, 'fx', { tool: 'ping', session_id: 'hang-up' })).status).toBe(200);
    const pid = await leaderPid(gw, 'hang-up', 'fx');
    const inFlight = callJson(gw, 'fx', { tool: 'sleep', arguments: { ms: 55_000 }, session_id: 'hang-up' });
    await waitFor(() => existsSync(callLog) && readFileSync(callLog, 'utf8').includes(`sleep ${pid}`), 'the call to reach the server');
    expect((await gw.del('/sessions/hang-up')).status).toBe(200);
    const answer = await inFlight;
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ code: 'session_closed' });
    await expectGroupGone(pid);
    // The reason travels in the notification; a plain stdin close would not carry it.
    expect(readFileSync(cancelLog, 'utf8')).toBe(`cancelled ${pid}: session closed\n`);
  });
});

describe('a server that exits at start', () => {
  it('answers 502 at once with its stderr tail (startup_timeout is an hour: no waiting on it)', async () => {
    gw = await startGateway(testConfig({ bad: faultService({ startup_timeout: 3600, env: { FAULT_MODE: 'exit-at-start' } }) }));
    const res = await callJson(gw, 'bad', { tool: 'ping', session_id: 'bad' });
    expect(res.status).toBe(502);
    expect(res.body.code).toBe('upstream_start_failed');
    expect(res.body.error).toMatch(/server exited during start-up \(exit code 1\) \(stderr: fatal: missing API key FAULT_FIXTURE_KEY\)/);
  });
});

describe('a server that floods stderr', () => {
  it('starts and serves after writing 8 MB of stderr first; error tails stay short', async () => {
    const flood = { FAULT_MODE: 'flood-at-start', FLOOD_BYTES: String(8 * 1024 * 1024) };
    gw = await startGateway(testConfig({ loud: faultService({ env: flood }) }));
    const res = await callJson(gw, 'loud', { tool: 'ping', session_id: 'loud' });
    expect(res.status).toBe(200);
    expect(res.body.result).toBe('pong');
  });

  it('a server that floods 8 MB and exits gets a 502 whose stderr tail is capped', async () => {
    const flood = { FAULT_MODE: 'flood-at-start', FLOOD_BYTES: String(8 * 1024 * 1024), FLOOD_EXIT: '1' };
    gw = await startGateway(testConfig({ loud: faultService({ env: flood }) }));
    const res = await callJson(gw, 'loud', { tool: 'ping', session_id: 'loud' });
    expect(res.status).toBe(502);
    expect(res.body.error).toMatch(/exit code 1\) \(stderr: .*noisy start-up log line/s);
    expect((res.body.error as string).length).toBeLessThan(1000);
  });
});

describe('start-failure backoff', () => {
  it('after N failed starts answers 503 service_unavailable with Retry-After and spawns nothing', async () => {
    const startLog = join(scratchDir(), 'starts.log');
    writeFileSync(startLog, '');
    chmodSync(startLog, 0o666);
    const bad = faultService({ env: { FAULT_MODE: 'exit-at-start', START_LOG: startLog }, start_backoff: { after_failures: 2, initial_seconds: 30 } });
    gw = await startGateway(testConfig({ bad }));
    for (const id of ['a', 'b']) expect((await callJson(gw, 'bad', { tool: 'ping', session_id: id })).status).toBe(502);
    const blocked = await callJson(gw, 'bad', { tool: 'ping', session_id: 'c' });
    expect(blocked.status).toBe(503);
    expect(blocked.body.code).toBe('service_unavailable');
    expect(blocked.body.error).toMatch(/failed to start 2 times in a row; not retrying for 30 s \(last error: .*missing API key/);
    expect(blocked.headers.get('retry-after')).toBe('30');
    const tools = await gw.get('/services/bad/tools');
    expect(tools.status).toBe(503);
    expect(readFileSync(startLog, 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('the window doubles with each further failure, up to max_seconds, and a success clears it', () => {
    let now = 0;
    const backoff = new StartBackoff(() => now);
    const cfg = { after_failures: 2, initial_seconds: 5, max_seconds: 12 };
    const retryAfter = (): number | undefined => {
      try {
        backoff.check('s');
        return undefined;
      } catch (err) {
        return Number((err as { headers: Record<string, string> }).headers['Retry-After']);
      }
    };
    backoff.failed('s', cfg, 'boom');
    expect(retryAfter()).toBeUndefined();
    backoff.failed('s', cfg, 'boom');
    expect(retryAfter()).toBe(5);
    now += 5_000;
    expect(retryAfter()).toBeUndefined();
    backoff.failed('s', cfg, 'boom');
    expect(retryAfter()).toBe(10);
    now += 10_000;
    backoff.failed('s', cfg, 'boom');
    expect(retryAfter()).toBe(12);
    backoff.succeeded('s');
    expect(retryAfter()).toBeUndefined();
    expect(backoff.failures('s')).toBe(0);
  });
});
