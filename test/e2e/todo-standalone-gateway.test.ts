import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Agent } from '../../src/index.js';
import '../../skills/mcp_gateway/index.js';
import { spawnCollecting } from '../helpers/processes.js';
import {
  AGENT_AUTH,
  listSessions,
  postAgent,
  processExists,
  ROOT,
  swaigBody,
  swmlFetchBody,
  todoService,
  waitFor,
  webhookPaths,
  writeGatewayConfig,
} from './helpers.js';
import { runTodoFlow } from './todo-flow.js';

const TOKEN = 'standalone-e2e-token-0123456789';

describe('todo agent with the gateway as a separate mcp-gateway process', () => {
  const configPath = writeGatewayConfig({ todo: todoService }, TOKEN);
  const gateway = spawnCollecting(process.execPath, [join(ROOT, 'bin/mcp-gateway.js'), '-c', configPath, '--port', '0', '--host', '127.0.0.1'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
    detached: true,
  });
  const agent = new Agent({ name: 'E2E Standalone', host: '127.0.0.1', port: 0, basicAuth: AGENT_AUTH, logger: pino({ level: 'silent' }) });
  let gatewayUrl = '';
  let agentUrl = '';

  beforeAll(async () => {
    const match = await gateway.waitForOutput(/listening on (http:\/\/\S+)/, 30_000);
    gatewayUrl = match[1] as string;
    await agent.addSkill('mcp_gateway', { gateway_url: gatewayUrl, auth_token: TOKEN, services: [{ name: 'todo' }] });
    ({ url: agentUrl } = await agent.serve({ handleSignals: false }));
  });
  afterAll(async () => {
    await agent.close();
    await gateway.stop();
  });

  it('keeps state per call, isolates calls and cleans up at hangup', async () => {
    await runTodoFlow({ agentUrl, gatewayUrl, gatewayHeaders: { authorization: `Bearer ${TOKEN}` } }, 'standalone');
  });

  it("an 8 MB call_log hangup (a long call) is accepted and closes the call's gateway session", async () => {
    const headers = { authorization: `Bearer ${TOKEN}` };
    const callId = 'standalone-long-call';
    // The webhook paths carry the call's function tokens (secure functions), as the platform uses them.
    const path = webhookPaths((await postAgent(agentUrl, '/', swmlFetchBody(callId))).json);
    const added = await postAgent(agentUrl, path('mcp_todo_add_todo'), swaigBody('mcp_todo_add_todo', { text: 'long call' }, callId));
    expect(added.status).toBe(200);
    expect((await listSessions(gatewayUrl, headers)).filter((s) => s.session_id === callId)).toHaveLength(1);
    // About 8 MB of conversation, as a long call's hangup carries it.
    const turn = { role: 'user', content: 'x'.repeat(1000) };
    const callLog = Array.from({ length: 8 * 1024 }, () => turn);
    const body = swaigBody('hangup_hook', {}, callId, { call_log: callLog, raw_call_log: [] });
    expect(JSON.stringify(body).length).toBeGreaterThan(8 * 1000 * 1000);
    const hangup = await postAgent(agentUrl, path('hangup_hook'), body);
    expect(hangup.status).toBe(200);
    await waitFor(async () => (await listSessions(gatewayUrl, headers)).every((s) => s.session_id !== callId), "the long call's session to close");
  });

  it('leaves no MCP server behind when the gateway process stops', async () => {
    const headers = { authorization: `Bearer ${TOKEN}` };
    const swml = await postAgent(agentUrl, '/', swmlFetchBody('standalone-last-call'));
    const res = await fetch(new URL(webhookPaths(swml.json)('mcp_todo_add_todo'), agentUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${AGENT_AUTH.user}:${AGENT_AUTH.password}`).toString('base64')}` },
      body: JSON.stringify({
        function: 'mcp_todo_add_todo',
        call_id: 'standalone-last-call',
        argument: { parsed: [{ text: 'x' }], raw: '{"text":"x"}', substituted: '' },
      }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { response: string }).response).toBe('Added todo #1: x (priority: medium)');
    const pids = (await listSessions(gatewayUrl, headers)).map((s) => s.pid).filter((p): p is number => typeof p === 'number');
    expect(pids.length).toBeGreaterThan(0);
    expect(await gateway.stop()).toBe(0);
    await waitFor(() => pids.every((pid) => !processExists(pid)), 'MCP servers to exit with the gateway');
  });
});
