import { afterAll, beforeAll, describe, it } from 'vitest';
import { Agent, startEmbeddedGateway, type EmbeddedGateway } from '../../src/index.js';
import '../../skills/mcp_gateway/index.js';
import { AGENT_AUTH, todoService, writeGatewayConfig } from './helpers.js';
import { runTodoFlow } from './todo-flow.js';
import { pino } from 'pino';

describe('todo agent with the embedded gateway, over real HTTP', () => {
  const configPath = writeGatewayConfig({ todo: todoService }, 'unused-in-embedded-mode');
  const agent = new Agent({ name: 'E2E Embedded', host: '127.0.0.1', port: 0, basicAuth: AGENT_AUTH, logger: pino({ level: 'silent' }) });
  let agentUrl = '';
  let gateway: EmbeddedGateway;

  beforeAll(async () => {
    await agent.addSkill('mcp_gateway', { gateway_config: configPath, services: [{ name: 'todo', tools: '*' }] });
    ({ url: agentUrl } = await agent.serve({ handleSignals: false }));
    // Same config path → the same process-wide gateway the skill uses.
    gateway = await startEmbeddedGateway({ configPath });
  });
  afterAll(async () => {
    await gateway?.close();
    await agent.close();
  });

  it('keeps state per call, isolates calls and cleans up at hangup', async () => {
    await runTodoFlow({ agentUrl, gatewayUrl: gateway.url, gatewayHeaders: gateway.headers }, 'embedded');
  });
});
