/**
 * Voice-aware MCP, end to end: a real agent on loopback with the mcp_gateway skill, the real embedded gateway and
 * the voice fixture server as a real child process. Slow functions get fillers once the gateway has measured
 * them, fast ones skip_fillers; a destructive tool must be confirmed; prompts become sections; resources are
 * readable through a function; every SWML document validates against the vendored schema.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Agent, startEmbeddedGateway, type EmbeddedGateway } from '../../src/index.js';
import '../../skills/mcp_gateway/index.js';
import { DEFAULT_FILLERS } from '../../skills/mcp_gateway/voice/fillers.js';
import { expectValidSwml } from '../helpers/swml-schema.js';
import { AGENT_AUTH, postAgent, ROOT, swaigBody, swmlFetchBody, webhookPaths, writeGatewayConfig } from './helpers.js';

type Fn = { function: string; description: string; parameters: any; fillers?: Record<string, string[]>; skip_fillers?: boolean; wait_file?: string };

const VOICE_SERVER = join(ROOT, 'test/fixtures/servers/voice-server.mjs');
const WAIT_FILE = 'https://cdn.example.com/hold-music.mp3';

async function render(agentUrl: string, callId: string): Promise<{ doc: any; ai: any; fn: (name: string) => Fn }> {
  const res = await postAgent(agentUrl, '/', swmlFetchBody(callId));
  expect(res.status).toBe(200);
  const doc = expectValidSwml(res.json);
  const ai = (doc.sections.main as Array<Record<string, any>>).find((v) => v.ai)?.ai;
  const fn = (name: string): Fn => {
    const found = (ai.SWAIG.functions as Fn[]).find((f) => f.function === name);
    if (!found) throw new Error(`no function ${name}`);
    return found;
  };
  return { doc, ai, fn };
}

describe('a voice-aware agent over real HTTP, gateway and MCP server', () => {
  const configPath = writeGatewayConfig(
    { voice: { command: ['node', VOICE_SERVER], description: 'Voice Corp back office', expose_prompts: true, expose_resources: true } },
    'unused',
  );
  const agent = new Agent({ name: 'E2E Voice', host: '127.0.0.1', port: 0, basicAuth: AGENT_AUTH, logger: pino({ level: 'silent' }) });
  let agentUrl = '';
  let gateway: EmbeddedGateway;

  beforeAll(async () => {
    agent.addLanguage({ name: 'English', code: 'en-US', voice: 'rime.spore' });
    await agent.addSkill('mcp_gateway', {
      gateway_config: configPath,
      filler_threshold_ms: 1000,
      latency_max_age: 0,
      // Generous for a loaded test machine: a render here must see what the gateway measured just before.
      render_wait_ms: 15_000,
      filler_wait_file: WAIT_FILE,
      services: [{ name: 'voice', global_data_resources: ['voice://faq'] }],
      tool_overrides: { 'voice.accounts': { slow: true, fillers: ['Counting the accounts'] } },
    });
    ({ url: agentUrl } = await agent.serve({ handleSignals: false }));
    gateway = await startEmbeddedGateway({ configPath });
  });
  afterAll(async () => {
    await gateway?.close();
    await agent.close();
  });

  it('gives fillers from measured latency, confirms destructive calls, and brings prompts and resources', async () => {
    const first = await render(agentUrl, 'voice-call-0001');
    // Before any measurement: the hints decide.
    expect(first.fn('mcp_voice_lookup_order')).toMatchObject({ skip_fillers: true });
    expect(first.fn('mcp_voice_lookup_order').fillers).toBeUndefined();
    expect(first.fn('mcp_voice_web_search')).toMatchObject({ fillers: { 'en-US': [...(DEFAULT_FILLERS.en ?? [])] }, wait_file: WAIT_FILE });
    expect(first.fn('mcp_voice_web_search').skip_fillers).toBeUndefined();
    expect(first.fn('mcp_voice_accounts')).toMatchObject({ fillers: { 'en-US': ['Counting the accounts'] } });
    expect(first.fn('mcp_voice_store_hours')).toMatchObject({ skip_fillers: true });

    // The destructive tool: a readable title, a request to confirm, and a confirmation argument.
    const destroy = first.fn('mcp_voice_delete_account');
    expect(destroy.description).toMatch(/^\[voice\] Delete account: Delete a customer account/);
    expect(destroy.description).toContain('confirm with the caller first');
    expect(destroy.parameters).toEqual({
      type: 'object',
      properties: { name: { type: 'string' }, confirmed: { type: 'boolean', description: expect.any(String) } },
      required: ['name'],
    });

    // The argument-free prompt is a section; the one with a required argument is not.
    const pom = JSON.stringify(first.ai.prompt.pom);
    expect(pom).toContain('voice: House rules');
    expect(pom).toContain('Always greet the caller by saying Welcome to Voice Corp.');
    expect(pom).not.toContain('Say hello to');
    expect(first.ai.global_data.mcp_gateway.resources).toEqual({ voice: { 'voice://faq': 'Q: Do you ship abroad? A: Yes, to 40 countries.' } });

    // A few slow calls through the agent, then a fresh render: the gateway's p95 now gives that function fillers.
    const call = 'voice-call-0001';
    const path = webhookPaths(first.doc);
    for (let i = 0; i < 3; i++) {
      const looked = await postAgent(agentUrl, path('mcp_voice_lookup_order'), swaigBody('mcp_voice_lookup_order', { order: `A${i}` }, call));
      expect(looked.json.response).toBe(`Order A${i} shipped on Monday`);
    }
    const second = await render(agentUrl, 'voice-call-0002');
    expect(second.fn('mcp_voice_lookup_order')).toMatchObject({ fillers: { 'en-US': [...(DEFAULT_FILLERS.en ?? [])] }, wait_file: WAIT_FILE });
    expect(second.fn('mcp_voice_lookup_order').skip_fillers).toBeUndefined();
    expect(second.fn('mcp_voice_store_hours')).toMatchObject({ skip_fillers: true });
    // The agent's base config is untouched by per-render decisions.
    expect(agent.getTool('mcp_voice_lookup_order')?.fields).toEqual({ skip_fillers: true });

    // An unconfirmed destructive call is refused aloud and never reaches the server.
    const refused = await postAgent(agentUrl, path('mcp_voice_delete_account'), swaigBody('mcp_voice_delete_account', { name: 'alice' }, call));
    expect(refused.json.response).toMatch(/^I have not done that yet: .*confirmation.*confirmed set to true/);
    const falsy = await postAgent(agentUrl, path('mcp_voice_delete_account'), swaigBody('mcp_voice_delete_account', { name: 'alice', confirmed: false }, call));
    expect(falsy.json.response).toMatch(/^I have not done that yet/);
    const before = await postAgent(agentUrl, path('mcp_voice_accounts'), swaigBody('mcp_voice_accounts', {}, call));
    expect(before.json.response).toBe('alice, bob');
    const done = await postAgent(agentUrl, path('mcp_voice_delete_account'), swaigBody('mcp_voice_delete_account', { name: 'alice', confirmed: true }, call));
    expect(done.json.response).toBe('deleted alice; left: bob');

    // Resources through their function, on the call's session.
    const read = await postAgent(agentUrl, path('mcp_voice_read_resource'), swaigBody('mcp_voice_read_resource', { uri: 'voice://faq' }, call));
    expect(read.json.response).toBe('Q: Do you ship abroad? A: Yes, to 40 countries.');
    const logo = await postAgent(agentUrl, path('mcp_voice_read_resource'), swaigBody('mcp_voice_read_resource', { uri: 'voice://logo' }, call));
    expect(logo.json.response).toContain('binary image/png, 16 bytes');
    const missing = await postAgent(agentUrl, path('mcp_voice_read_resource'), swaigBody('mcp_voice_read_resource', { uri: 'voice://nope' }, call));
    expect(missing.json.response).toBe('The voice service has no resource voice://nope.');
    expect(first.fn('mcp_voice_read_resource').description).toContain('voice://faq (Frequently asked questions)');
    expect(first.fn('mcp_voice_read_resource')).toMatchObject({ skip_fillers: true, parameters: { required: ['uri'] } });

    await postAgent(agentUrl, path('hangup_hook'), swaigBody('hangup_hook', {}, call));
  });
});
