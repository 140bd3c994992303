import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Agent } from '../../src/index.js';
import '../../skills/mcp_gateway/index.js';
import { spawnCollecting } from '../helpers/processes.js';
import { AGENT_AUTH, listSessions, postAgent, processExists, ROOT, swmlFetchBody, todoService, waitFor, webhookPaths, writeGatewayConfig } from './helpers.js';
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

  it('leaves no MCP server behind when the gateway process stops', async () => {
    const headers = { authorization: `Bearer ${TOKEN}` };
    const swml = await postAgent(agentUrl, '/', swmlFetchBody('standalone-last-call'));
    const res = await fetch(new URL(webhookPaths(swml.json)('mcp_todo_add_todo'), agentUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${AGENT_AUTH.user}:${AGENT_AUTH.password}`).toString('base64')}` },
      body: JSON.stringify({ function: 'mcp_todo_add_todo', call_id: 'standalone-last-call', argument: { parsed: [{ text: 'x' }], raw: '{"text":"x"}', substituted: '' } }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { response: string }).response).toBe('Added todo #1: x (priority: medium)');
    const pids = (await listSessions(gatewayUrl, headers)).map((s) => s.pid).filter((p): p is number => typeof p === 'number');
    expect(pids.length).toBeGreaterThan(0);
    expect(await gateway.stop()).toBe(0);
    await waitFor(() => pids.every((pid) => !processExists(pid)), 'MCP servers to exit with the gateway');
  });
});
