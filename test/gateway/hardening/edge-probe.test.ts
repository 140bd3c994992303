/**
 * What a hostile or careless client or server can do at the gateway's edge: absurdly deep arguments, huge
 * call metadata, tool names MCP allows but a stricter pattern refused, an answer over the per-message cap.
 * Each gets a clear answer and costs the session nothing it did not ask for.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_ARGUMENT_DEPTH } from '../../../gateway/contract.js';
import { AUTH, fixtureService, startGateway, testConfig, type TestGateway } from '../helpers.js';
import { dynamicService, toolsFile } from '../speed/helpers.js';
import { callJson } from './helpers.js';

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

function nested(depth: number): Record<string, unknown> {
  let value: Record<string, unknown> = {};
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

describe('the gateway edge', () => {
  it('answers 50,000-deep arguments with 400 naming the field; the session and its server carry on', async () => {
    gw = await startGateway(testConfig({ fx: fixtureService() }));
    const before = await callJson(gw, 'fx', { tool: 'pid', session_id: 'deep' });
    expect(before.status).toBe(200);
    // Written by hand: JSON.stringify itself overflows the stack at this depth.
    const body = `{"tool":"echo","session_id":"deep","arguments":${'{"a":'.repeat(50_000)}{}${'}'.repeat(50_000)}}`;
    const res = await fetch(`${gw.url}/services/fx/call`, { method: 'POST', headers: { ...AUTH, 'content-type': 'application/json' }, body });
    expect(res.status).toBe(400);
    const answer = (await res.json()) as Record<string, unknown>;
    expect(answer).toMatchObject({ code: 'invalid_request', field: 'arguments' });
    expect(String(answer.error)).toContain(`deeper than ${MAX_ARGUMENT_DEPTH} levels`);
    const after = await callJson(gw, 'fx', { tool: 'pid', session_id: 'deep' });
    expect(after.body.result).toBe(before.body.result);
    expect(after.body.session_reset).toBeUndefined();
    // The limit is not in the way of real nesting.
    expect((await callJson(gw, 'fx', { tool: 'echo', session_id: 'deep', arguments: { text: 'ok', extra: nested(MAX_ARGUMENT_DEPTH - 2) } })).status).toBe(200);
  });

  it('logs call metadata cut to 1 KiB (9 MB of metadata does not become 9 MB of log)', async () => {
    let logged = '';
    const sink = new Writable({ write: (chunk: Buffer, _enc, done) => ((logged += chunk.toString()), done()) });
    gw = await startGateway(testConfig({ fx: fixtureService() }), { logger: pino({ level: 'info' }, sink) });
    const res = await callJson(gw, 'fx', { tool: 'pid', session_id: 'meta', metadata: { blob: 'x'.repeat(9 * 1024 * 1024) } });
    expect(res.status).toBe(200);
    const line = logged.split('\n').find((l) => l.includes('"tool call"')) ?? '';
    expect(line).toMatch(/characters\)/);
    expect(line.length).toBeLessThan(2048);
    expect(logged.length).toBeLessThan(64 * 1024);
  });

  it('calls tools whose MCP names have dots or run past 64 characters', async () => {
    const long = `tool_${'x'.repeat(100)}`;
    const file = toolsFile(['files.read', 'ns/op', long]);
    gw = await startGateway(testConfig({ dyn: dynamicService(file.path) }));
    for (const tool of ['files.read', 'ns/op', long]) {
      const res = await callJson(gw, 'dyn', { tool, session_id: 'names' });
      expect(res.status).toBe(200);
      expect(res.body.result).toBe(`${tool} ok`);
    }
    expect((await callJson(gw, 'dyn', { tool: 'bad name!', session_id: 'names' })).body).toMatchObject({ code: 'invalid_request', field: 'tool' });
  });

  it('a tools/list_changed storm from one server costs one re-listing, and the gateway keeps answering', async () => {
    const file = toolsFile(['echo']);
    gw = await startGateway(testConfig({ dyn: dynamicService(file.path) }));
    expect((await callJson(gw, 'dyn', { tool: 'echo', session_id: 'storm' })).status).toBe(200);
    const storm = callJson(gw, 'dyn', { tool: 'notify', session_id: 'storm', arguments: { n: 5000 } });
    expect((await gw.get('/health')).status).toBe(200);
    expect((await storm).body.result).toBe('sent 5000');
    await new Promise((r) => setTimeout(r, 600));
    // One listing when the session started, one after the storm (coalesced per service).
    expect(Number((await callJson(gw, 'dyn', { tool: 'list_count', session_id: 'storm' })).body.result)).toBeLessThanOrEqual(2);
  });

  it('says the answer was over the cap instead of "server died (exit code 0)"', async () => {
    gw = await startGateway(testConfig({ fx: fixtureService() }));
    const res = await callJson(gw, 'fx', { tool: 'big', session_id: 'huge', arguments: { bytes: 11 * 1024 * 1024 } });
    expect(res.status).toBe(502);
    expect(String(res.body.error)).toMatch(/larger than the 10 MiB it reads from a server/);
    expect(String(res.body.error)).not.toMatch(/exit code 0/);
    const next = await callJson(gw, 'fx', { tool: 'pid', session_id: 'huge' });
    expect(next.status).toBe(200);
    expect(next.body.session_reset).toBe(true);
  });
});
