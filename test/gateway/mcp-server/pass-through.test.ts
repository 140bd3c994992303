/** /mcp passes MCP through: schemas, annotations, every content type, progress, cancellation, list changes, prompts, resources. */
import { join } from 'node:path';
import { ToolListChangedNotificationSchema, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { describe, expect, it } from 'vitest';
import { fixtureService, ROOT, testConfig, waitFor, type TestGateway } from '../helpers.js';
import { firstText, mcpServers, mcpTestBed, type McpTestClient } from './helpers.js';

const FEATURES_SERVER = join(ROOT, 'test/fixtures/servers/features-server.mjs');
// The fixture names itself by its pid, which the test compares with the host pid: no pid namespace (as fixtureService).
const features = { command: ['node', FEATURES_SERVER], description: 'MCP features', sandbox: { isolation: 'none' } };

let gw: TestGateway | undefined;
const bed = mcpTestBed();

const open = (): Promise<McpTestClient> => bed.open(gw!);

describe('/mcp pass-through', () => {
  it('passes tool schemas, annotations and results (image, resource link, structuredContent, isError) through', async () => {
    gw = await bed.start(testConfig({ features }));
    const { client } = await open();
    const { tools } = await client.listTools();
    const mixed = tools.find((t) => t.name === 'features_mixed');
    expect(mixed?.annotations).toEqual({ title: 'Mixed content', idempotentHint: true });
    expect(mixed?.outputSchema).toMatchObject({ type: 'object', properties: { count: { type: 'number' } }, required: ['count'] });
    expect(tools.find((t) => t.name === 'features_steps')?.annotations).toEqual({ readOnlyHint: true });

    // The SDK client validates structuredContent against the passed-on outputSchema.
    const result = await client.callTool({ name: 'features_mixed', arguments: {} });
    expect(result.structuredContent).toEqual({ count: 3 });
    expect(result.content).toEqual([
      { type: 'text', text: '{"count":3}' },
      { type: 'image', data: expect.stringMatching(/^iVBOR/), mimeType: 'image/png' },
      { type: 'resource_link', uri: 'features://notes/linked', name: 'linked note', mimeType: 'text/plain' },
    ]);
    // The linked resource is read from the server that linked it.
    const linked = await client.readResource({ uri: 'features://notes/linked' });
    expect(linked.contents).toEqual([{ uri: 'features://notes/linked', mimeType: 'text/plain', text: 'note linked' }]);

    const failed = await client.callTool({ name: 'features_fail', arguments: {} });
    expect(failed).toMatchObject({ isError: true, content: [{ type: 'text', text: 'it broke' }] });
    await expect(client.callTool({ name: 'features_nope', arguments: {} })).rejects.toThrow(/Unknown tool: features_nope/);
  });

  it('forwards progress to the client and its cancellation to the server, which keeps running', async () => {
    gw = await bed.start(testConfig({ features }));
    const { client } = await open();
    const progress: Progress[] = [];
    const done = await client.callTool({ name: 'features_steps', arguments: { n: 3 } }, undefined, { onprogress: (p) => progress.push(p) });
    expect(firstText(done)).toBe('did 3 steps');
    expect(progress).toEqual([1, 2, 3].map((i) => ({ progress: i, total: 3, message: `step ${i}` })));

    const [server] = await mcpServers(gw);
    const abort = new AbortController();
    let started = false;
    const waiting = client.callTool({ name: 'features_wait', arguments: {} }, undefined, { signal: abort.signal, onprogress: () => (started = true) });
    await waitFor(() => started, 'the server to report it is waiting');
    abort.abort('user gave up');
    await expect(waiting).rejects.toThrow(/user gave up/);
    // The server saw notifications/cancelled; the session (and its server) carried on.
    await waitFor(async () => firstText(await client.callTool({ name: 'features_cancelled', arguments: {} })) === '1', 'the server to count the cancel');
    expect((await mcpServers(gw)).map((s) => s.pid)).toEqual([server!.pid]);
  });

  it('forwards tools/list_changed: a tool the server adds shows up in the next listing', async () => {
    gw = await bed.start(testConfig({ features }));
    const { client } = await open();
    let changed = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      changed += 1;
    });
    expect((await client.listTools()).tools.map((t) => t.name)).not.toContain('features_extra_1');
    expect(firstText(await client.callTool({ name: 'features_add_tool', arguments: {} }))).toBe('added extra_1');
    await waitFor(() => changed > 0, 'notifications/tools/list_changed');
    expect((await client.listTools()).tools.map((t) => t.name)).toContain('features_extra_1');
    expect(firstText(await client.callTool({ name: 'features_extra_1', arguments: {} }))).toBe('extra 1');
  });

  it("passes prompts and resources through from the session's own server", async () => {
    gw = await bed.start(testConfig({ features }));
    const { client } = await open();
    const { prompts } = await client.listPrompts();
    expect(prompts).toEqual([{ name: 'features_greet', description: 'Greet someone', arguments: [{ name: 'who', required: true }] }]);
    const prompt = await client.getPrompt({ name: 'features_greet', arguments: { who: 'Ada' } });
    expect(prompt.messages).toEqual([{ role: 'user', content: { type: 'text', text: 'Say hello to Ada' } }]);

    const { resources } = await client.listResources();
    expect(resources).toEqual([{ uri: 'features://readme', name: 'readme', mimeType: 'text/plain', description: 'The readme' }]);
    const { resourceTemplates } = await client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(['features://notes/{name}']);
    const [server] = await mcpServers(gw);
    expect((await client.readResource({ uri: 'features://readme' })).contents[0]).toMatchObject({ text: `readme of pid ${server!.pid}` });
    expect((await client.readResource({ uri: 'features://notes/x' })).contents[0]).toMatchObject({ text: 'note x' });
    await expect(client.readResource({ uri: 'other://thing' })).rejects.toThrow();
    await expect(client.getPrompt({ name: 'features_nope' })).rejects.toThrow(/Unknown prompt/);
  });

  it('answers a timeout and a crashed server as isError results with the gateway code, then says the session was reset', async () => {
    gw = await bed.start(testConfig({ features: { ...features, tool_timeout: 0.5 }, fixture: fixtureService() }));
    const { client } = await open();
    const timedOut = await client.callTool({ name: 'features_wait', arguments: {} });
    expect(timedOut).toMatchObject({ isError: true, _meta: { 'mcp-gateway/error': { code: 'tool_timeout', status: 504 } } });
    expect(firstText(timedOut)).toMatch(/did not answer within 0.5 s/);
    // The gateway gave up and cancelled the call on the server.
    await waitFor(async () => firstText(await client.callTool({ name: 'features_cancelled', arguments: {} })) === '1', 'the server to count the cancel');

    expect(firstText(await client.callTool({ name: 'fixture_counter', arguments: {} }))).toBe('1');
    const crashed = await client.callTool({ name: 'fixture_crash', arguments: {} });
    expect(crashed).toMatchObject({ isError: true, _meta: { 'mcp-gateway/error': { code: 'upstream_failed', status: 502 } } });
    const fresh = await client.callTool({ name: 'fixture_counter', arguments: {} });
    expect(firstText(fresh)).toBe('1');
    expect(fresh._meta).toEqual({ 'mcp-gateway/session_reset': true });
  });
});
