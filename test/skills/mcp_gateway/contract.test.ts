/**
 * The skill↔gateway contract (gateway/contract.ts) against a real gateway running the todo server: every
 * endpoint the skill uses answers in the shape the schemas describe, and the skill's client and its SWAIG
 * functions work end to end. A gateway change that breaks the contract fails here, not at run time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, gatewayContract as contract } from '../../../src/index.js';
import '../../../skills/mcp_gateway/index.js';
import { authHeaders, GatewayClient, GatewayRequestError } from '../../../skills/mcp_gateway/gateway-client.js';
import { failureText } from '../../../skills/mcp_gateway/result-text.js';
import { rejectionOf } from '../../helpers/rejection.js';
import { startGateway, testConfig, TODO_SERVER, TOKEN, type TestGateway } from '../../gateway/helpers.js';
import { captureLogger } from './helpers/capture-logger.js';
import { json, startFakeGateway } from './helpers/fake-gateway.js';

let gw: TestGateway;
let client: GatewayClient;

beforeAll(async () => {
  gw = await startGateway(testConfig({ todo: { command: ['node', TODO_SERVER], description: 'Todo list' } }));
  client = new GatewayClient({
    url: gw.url,
    headers: authHeaders({ token: TOKEN }),
    timeoutMs: 15_000,
    retries: 0,
    verifyTls: true,
    logger: captureLogger().logger,
  });
});
afterAll(async () => {
  await client.close();
  await gw.close();
});

describe('the gateway answers as gateway/contract.ts says', () => {
  it('lists services and tools in the contract shape', async () => {
    const services = await client.listServices();
    expect(services.todo).toMatchObject({ description: 'Todo list', enabled: true });
    const tools = await client.listTools('todo');
    expect(tools.map((t) => t.name)).toContain('add_todo');
    // The raw answers parse too (not only through the client).
    expect(contract.toolsResponseSchema.safeParse(await (await gw.get('/services/todo/tools')).json()).success).toBe(true);
  });

  it('calls a tool, warms and closes a session, all through the skill client', async () => {
    expect(await client.warmSession('contract-1', ['todo'], 60)).toBe(true);
    const added = await client.callTool('todo', { tool: 'add_todo', arguments: { text: 'Buy milk' }, session_id: 'contract-1' }, false);
    expect(added).toMatchObject({ session_id: 'contract-1', service: 'todo', tool: 'add_todo', is_error: false });
    expect(added.result).toContain('Buy milk');
    const failed = await client.callTool('todo', { tool: 'add_todo', arguments: {}, session_id: 'contract-1' }, false);
    expect(failed).toMatchObject({ is_error: true, result: 'Text is required' });
    expect(await client.deleteSession('contract-1')).toBe(1);
    expect(await client.deleteSession('contract-1')).toBe(0);
  });

  it('answers errors as {error, code, field?} with the registry status', async () => {
    const unknownTool = await rejectionOf(client.callTool('todo', { tool: 'no_such_tool', session_id: 'contract-2' }, false), GatewayRequestError);
    expect(unknownTool.failure).toMatchObject({ kind: 'http', status: 404, code: 'unknown_tool' });
    const badId = await rejectionOf(client.callTool('todo', { tool: 'add_todo', session_id: 'bad id!' }, false), GatewayRequestError);
    expect(badId.failure).toMatchObject({ kind: 'http', status: 400, code: 'invalid_request' });
    const raw = await gw.call('todo', { tool: 'add_todo', session_id: 'bad id!' });
    expect(contract.errorBodySchema.parse(await raw.json())).toMatchObject({ field: 'session_id' });
  });

  it('runs the mcp_gateway skill end to end against it', async () => {
    const agent = new Agent({ name: 'Contract', basicAuth: { user: 'a', password: 'b' }, logger: captureLogger().logger });
    try {
      await agent.addSkill('mcp_gateway', { gateway_url: gw.url, auth_token: TOKEN, services: [{ name: 'todo', tools: ['add_todo'] }] });
      const args = { text: 'Call mum' };
      const answer = await agent.dispatchSwaig({
        function: 'mcp_todo_add_todo',
        call_id: 'contract-3',
        argument: { parsed: [args], raw: JSON.stringify(args), substituted: '' },
      });
      expect(answer.response).toContain('Call mum');
    } finally {
      await agent.close();
      await client.deleteSession('contract-3');
    }
  });
});

describe('an answer off the contract', () => {
  it('is refused by the client, never retried, and worded so the AI can say it', async () => {
    const fake = await startFakeGateway();
    const { logger, lines } = captureLogger();
    const offContract = new GatewayClient({ url: fake.url, headers: {}, timeoutMs: 5000, retries: 2, verifyTls: true, logger });
    try {
      fake.on('POST /services/todo/call', (_r, res) => json(res, 200, { result: 42 }));
      const err = await rejectionOf(offContract.callTool('todo', { tool: 'add_todo', session_id: 'x' }, true), GatewayRequestError);
      expect(err.failure).toMatchObject({ kind: 'invalid_answer' });
      expect(fake.requests).toHaveLength(1);
      expect(lines.join('\n')).toContain('does not match the contract');
      expect(failureText('todo', 'add_todo', err.failure)).toBe(
        'The todo service gave an answer that could not be read; it may or may not have completed add todo.',
      );
    } finally {
      await offContract.close();
      await fake.close();
    }
  });
});
