import { afterAll, describe, expect, it, vi } from 'vitest';

describe('agents/todo-agent.ts loaded in-process (as swaig-test does)', () => {
  let close: (() => Promise<void>) | undefined;
  // Quiet test output: the agent's and its embedded gateway's info logs would go to stdout.
  vi.stubEnv('LOG_LEVEL', 'silent');
  vi.stubEnv('MCP_LOG_LEVEL', 'ERROR');
  afterAll(async () => {
    await close?.();
    vi.unstubAllEnvs();
  });

  it('exports the agent with its MCP tools, without serving', async () => {
    const mod = await import('../../agents/todo-agent.js');
    close = () => mod.agent.close();
    expect(mod.default).toBe(mod.agent);
    const names = mod.agent.listTools().map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['mcp_todo_add_todo', 'mcp_todo_list_todos', 'mcp_todo_clear_todos', 'hangup_hook']));
    const reply = await mod.agent.dispatchSwaig({
      function: 'mcp_todo_add_todo',
      call_id: 'import-call-0001',
      argument: { parsed: [{ text: 'in-process' }], raw: '', substituted: '' },
    });
    expect(reply.response).toBe('Added todo #1: in-process (priority: medium)');
    await mod.agent.dispatchSwaig({ function: 'hangup_hook', call_id: 'import-call-0001', argument: { parsed: [{}] } });
  });
});
