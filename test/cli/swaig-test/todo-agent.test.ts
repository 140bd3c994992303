/**
 * swaig-test against the demo agent (agents/todo-agent.ts, tools from the todo MCP server through the mcp_gateway
 * skill): in-process with its embedded gateway, and with --url against a live agent whose skill uses a standalone
 * `mcp-gateway` child, so the test can ask that gateway which sessions are left.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { json, startGatewayChild, startLiveAgent, swaigTest, TODO_AGENT, TOKEN, waitFor, type LiveProcess, type StepJson } from './helpers.js';

interface ToolJson {
  name: string;
  kind: string;
  parameters: Array<{ name: string; type: string; required: boolean; enum?: unknown[]; default?: unknown }>;
}

/** The README's example scenario: add two todos, complete one, list them. */
const SCENARIO = 'test/fixtures/scenarios/todo-call.yaml';

describe('swaig-test agents/todo-agent.ts (in-process, embedded gateway)', () => {
  it('--list-tools shows the MCP tools with their parameter types and the hangup hook', async () => {
    const [human, raw] = await Promise.all([swaigTest([TODO_AGENT, '--list-tools']), swaigTest([TODO_AGENT, '--list-tools', '--raw'])]);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/mcp_todo_add_todo {2}\[todo\] Add a new todo item/);
    expect(human.stdout).toMatch(/hangup_hook \(hook\)/);
    const tools = json<{ tools: ToolJson[] }>(raw).tools;
    expect(tools.find((t) => t.name === 'mcp_todo_complete_todo')?.parameters).toContainEqual(
      expect.objectContaining({ name: 'id', type: 'integer', required: true }),
    );
    expect(tools.find((t) => t.name === 'mcp_todo_add_todo')?.parameters).toContainEqual(
      expect.objectContaining({ name: 'priority', type: 'string', required: false, enum: ['low', 'medium', 'high'], default: 'medium' }),
    );
  });

  it('--dump-swml validates with 0 schema errors', async () => {
    const run = await swaigTest([TODO_AGENT, '--dump-swml', '--raw']);
    expect(run.code, run.stderr).toBe(0);
    expect(json(run)).toMatchObject({ valid: true, errors: [] });
  });

  it('--exec with --param pairs or --args, in either option order', async () => {
    const runs = await Promise.all([
      swaigTest([TODO_AGENT, '--exec', 'mcp_todo_add_todo', '--text', 'water plants', '--priority', 'low', '--raw']),
      swaigTest(['--raw', '--priority', 'low', '--text', 'water plants', '--exec', 'mcp_todo_add_todo', TODO_AGENT]),
      swaigTest(['--args', '{"text":"water plants","priority":"low"}', '--raw', TODO_AGENT, '--exec', 'mcp_todo_add_todo']),
    ]);
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(0);
      expect(json<StepJson>(run)).toMatchObject({ ok: true, response: 'Added todo #1: water plants (priority: low)' });
    }
    const bad = await swaigTest([TODO_AGENT, '--exec', 'mcp_todo_complete_todo', '--id', 'first']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--id: expected an integer, got "first"');
  });

  it('--simulate-call adds and lists todos through the skill within one call, then hangs up', async () => {
    const run = await swaigTest([TODO_AGENT, '--simulate-call', SCENARIO]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toMatch(/\[4\] mcp_todo_list_todos \{"status":"all"\}\n {3}← Todo List/);
    expect(run.stdout).toMatch(/\[hangup\] hangup_hook \{\}\n {3}← /);
    expect(run.stdout).toContain('PASS: 4/4 step(s) ok (hangup_hook)');
  });
});

describe('swaig-test --url against the live demo agent using a standalone mcp-gateway', () => {
  let gateway: Awaited<ReturnType<typeof startGatewayChild>>;
  let live: LiveProcess;

  beforeAll(async () => {
    gateway = await startGatewayChild();
    live = await startLiveAgent(TODO_AGENT, { MCP_GATEWAY_URL: gateway.url, MCP_GATEWAY_AUTH_TOKEN: TOKEN });
  });
  afterAll(async () => {
    await live?.stop();
    await gateway?.stop();
  });

  it('--list-tools matches in-process', async () => {
    const [remote, local] = await Promise.all([swaigTest(['--url', live.url, '--list-tools', '--raw']), swaigTest([TODO_AGENT, '--list-tools', '--raw'])]);
    expect(remote.code, remote.stderr).toBe(0);
    expect(json<{ tools: ToolJson[] }>(remote).tools).toEqual(json<{ tools: ToolJson[] }>(local).tools);
  });

  it('--dump-swml has 0 schema errors', async () => {
    const dump = await swaigTest(['--url', live.url, '--dump-swml', '--raw']);
    expect(json(dump)).toMatchObject({ valid: true, errors: [] });
  });

  it('the same --call-id reaches the same gateway session across runs (option after or before --exec)', async () => {
    const add = await swaigTest(['--url', live.url, '--exec', 'mcp_todo_add_todo', '--text', 'feed cat', '--call-id', 'todo-live-1', '--raw']);
    expect(json<StepJson>(add)).toMatchObject({ call_id: 'todo-live-1', ok: true, response: 'Added todo #1: feed cat (priority: medium)' });
    const [same, other] = await Promise.all([
      swaigTest(['--call-id', 'todo-live-1', '--exec', 'mcp_todo_list_todos', '--url', live.url, '--raw']),
      swaigTest(['--exec', 'mcp_todo_list_todos', '--url', live.url, '--raw', '--call-id', 'todo-live-2']),
    ]);
    expect(json<StepJson>(same).response).toMatch(/#1 \[medium\] feed cat/);
    expect(json<StepJson>(other).response).not.toContain('feed cat');
    // No hangup was sent for these calls: their sessions are still open on the gateway.
    expect(await gateway.sessionsFor('todo-live-1')).toHaveLength(1);
  });

  it('--simulate-call uses the skill and ends with hangup_hook, after which the gateway has no session for the call', async () => {
    const run = await swaigTest(['--url', live.url, '--simulate-call', SCENARIO, '--raw', '--call-id', 'todo-live-sim']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const sim = json<{ ok: boolean; steps: StepJson[]; hangup_hook: StepJson }>(run);
    expect(sim.ok).toBe(true);
    expect(sim.steps.map((s) => s.ok)).toEqual([true, true, true, true]);
    expect(sim.hangup_hook.ok).toBe(true);
    await waitFor(async () => (await gateway.sessionsFor('todo-live-sim')).length === 0, 'the gateway session of todo-live-sim to close');
    expect(await gateway.sessionsFor('todo-live-1')).toHaveLength(1);
  });
});
