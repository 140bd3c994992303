/**
 * An agent whose MCP service is down when it starts still answers calls, and gains the service's tools when the
 * service comes up: the standalone mcp-gateway is started only after the agent is serving.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Agent } from '../../src/index.js';
import '../../skills/mcp_gateway/index.js';
import { freePort } from '../helpers/net.js';
import { spawnCollecting, type CollectingChild } from '../helpers/processes.js';
import { AGENT_AUTH, postAgent, ROOT, swaigBody, swmlFetchBody, todoService, waitFor, webhookPaths, writeGatewayConfig } from './helpers.js';

const TOKEN = 'degraded-start-token-0123456789';

const functionNames = (swml: any): string[] =>
  (swml.sections.main.find((verb: any) => verb.ai)?.ai.SWAIG?.functions ?? []).map((f: { function: string }) => f.function);

describe('an agent whose MCP gateway is down at start-up', () => {
  const agent = new Agent({ name: 'Degraded Start', host: '127.0.0.1', port: 0, basicAuth: AGENT_AUTH, logger: pino({ level: 'silent' }) });
  let gateway: CollectingChild | undefined;
  afterAll(async () => {
    await agent.close();
    await gateway?.stop();
  });

  it('serves SWML and SWAIG meanwhile, and gains the tools when the gateway comes up', async () => {
    const port = await freePort();
    const gatewayUrl = `http://127.0.0.1:${port}`;
    agent.defineTool('ping', 'Answer pong', { type: 'object', properties: {} }, () => 'pong');
    // Resolves although nothing listens at gatewayUrl yet.
    await agent.addSkill('mcp_gateway', {
      gateway_url: gatewayUrl,
      auth_token: TOKEN,
      services: [{ name: 'todo' }],
      retry_attempts: 0,
      rediscover_max_interval: 0.5,
    });
    const { url: agentUrl } = await agent.serve({ handleSignals: false });

    const before = await postAgent(agentUrl, '/', swmlFetchBody('degraded-call-1'));
    expect(before.status).toBe(200);
    expect(functionNames(before.json)).toContain('ping');
    expect(functionNames(before.json).filter((n) => n.startsWith('mcp_'))).toEqual([]);
    // Webhook paths from the SWML: they carry the call's function tokens, as the platform uses them.
    const call1 = webhookPaths(before.json);
    const ping = await postAgent(agentUrl, call1('ping'), swaigBody('ping', {}, 'degraded-call-1'));
    expect(ping).toMatchObject({ status: 200, json: { response: 'pong' } });
    const hangup = await postAgent(agentUrl, call1('hangup_hook'), swaigBody('hangup_hook', {}, 'degraded-call-1'));
    expect(hangup.status).toBe(200);

    const configPath = writeGatewayConfig({ todo: todoService }, TOKEN);
    gateway = spawnCollecting(process.execPath, [join(ROOT, 'bin/mcp-gateway.js'), '-c', configPath, '--port', String(port), '--host', '127.0.0.1'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
      detached: true,
    });
    await gateway.waitForOutput(/listening on/, 30_000);

    const swml2 = await waitFor(
      async () => {
        const swml = (await postAgent(agentUrl, '/', swmlFetchBody('degraded-call-2'))).json;
        return functionNames(swml).includes('mcp_todo_add_todo') ? swml : undefined;
      },
      'the todo tools to appear in the SWML',
      30_000,
    );
    const added = await postAgent(
      agentUrl,
      webhookPaths(swml2)('mcp_todo_add_todo'),
      swaigBody('mcp_todo_add_todo', { text: 'after the outage' }, 'degraded-call-2'),
    );
    expect(added.status).toBe(200);
    expect(added.json.response).toContain('Added todo #1: after the outage');
  });
});
