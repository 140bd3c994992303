/** The call flow both todo e2e tests run: SWML → SWAIG add/list on one call → isolation → hangup cleanup. */
import { expect } from 'vitest';
import { expectValidSwml } from '../helpers/swml-schema.js';
import { listSessions, postAgent, processExists, swaigBody, swmlFetchBody, waitFor, webhookPaths } from './helpers.js';

export interface FlowTarget {
  agentUrl: string;
  gatewayUrl: string;
  gatewayHeaders: Record<string, string>;
}

const TODO_ADD_PARAMETERS = {
  type: 'object',
  properties: {
    text: { type: 'string', description: 'The todo item text' },
    priority: { type: 'string', description: 'Priority level (low, medium, high)', enum: ['low', 'medium', 'high'], default: 'medium' },
  },
  required: ['text'],
};

/** Runs the whole flow against a live agent + gateway; `tag` keeps call ids unique per test. */
export async function runTodoFlow(target: FlowTarget, tag: string): Promise<void> {
  const callA = `${tag}-call-a-0001`;
  const callB = `${tag}-call-b-0002`;

  const swml = await postAgent(target.agentUrl, '/', swmlFetchBody(callA));
  expect(swml.status).toBe(200);
  expectValidSwml(swml.json);
  const ai = (swml.json.sections.main as Array<Record<string, any>>).find((verb) => verb.ai)?.ai;
  const functions = ai.SWAIG.functions as Array<{ function: string; parameters?: unknown; description: string }>;
  const names = functions.map((f) => f.function);
  expect(names).toEqual(
    expect.arrayContaining([
      'mcp_todo_add_todo',
      'mcp_todo_list_todos',
      'mcp_todo_complete_todo',
      'mcp_todo_delete_todo',
      'mcp_todo_clear_todos',
      'hangup_hook',
    ]),
  );
  expect(functions.find((f) => f.function === 'mcp_todo_add_todo')?.parameters).toEqual(TODO_ADD_PARAMETERS);
  expect(functions.find((f) => f.function === 'mcp_todo_complete_todo')?.parameters).toEqual({
    type: 'object',
    properties: { id: { type: 'integer', description: 'The todo item ID' } },
    required: ['id'],
  });
  expect(ai.global_data).toEqual({ mcp_gateway: { services: ['todo'] } });
  expect(JSON.stringify(swml.json)).not.toContain(target.gatewayUrl);
  // The SWML fetch warms the call's session (POST /sessions/:id/warm) before any tool call.
  await waitFor(async () => (await listSessions(target.gatewayUrl, target.gatewayHeaders)).some((s) => s.session_id === callA), 'call A session to be warmed');

  // Each call posts to the web_hook_url its own SWML gave (secure functions: the call's __token).
  const pathA = webhookPaths(swml.json);
  const pathB = webhookPaths((await postAgent(target.agentUrl, '/', swmlFetchBody(callB))).json);
  const added = await postAgent(target.agentUrl, pathA('mcp_todo_add_todo'), swaigBody('mcp_todo_add_todo', { text: 'buy milk', priority: 'high' }, callA));
  expect(added).toEqual({ status: 200, json: { response: 'Added todo #1: buy milk (priority: high)' } });
  await postAgent(target.agentUrl, pathA('mcp_todo_add_todo'), swaigBody('mcp_todo_add_todo', { text: 'call mom' }, callA));
  const listed = await postAgent(target.agentUrl, pathA('mcp_todo_list_todos'), swaigBody('mcp_todo_list_todos', {}, callA));
  expect(listed.json.response).toContain('#1 [high] buy milk');
  expect(listed.json.response).toContain('#2 [medium] call mom');

  const failed = await postAgent(target.agentUrl, pathA('mcp_todo_complete_todo'), swaigBody('mcp_todo_complete_todo', { id: 99 }, callA));
  expect(failed).toEqual({ status: 200, json: { response: expect.stringMatching(/^The todo service could not complete todo: .*99/) } });

  const other = await postAgent(target.agentUrl, pathB('mcp_todo_list_todos'), swaigBody('mcp_todo_list_todos', {}, callB));
  // Call A's token does not open call B's functions.
  const crossed = await postAgent(target.agentUrl, pathA('mcp_todo_list_todos'), swaigBody('mcp_todo_list_todos', {}, callB));
  expect(crossed.json.response).toMatch(/security check failed/);
  expect(other.json.response).toBe('No all todos found');

  const before = await listSessions(target.gatewayUrl, target.gatewayHeaders);
  const mine = before.filter((s) => s.session_id === callA);
  expect(mine.map((s) => s.service)).toEqual(['todo']);
  const pids = mine.map((s) => s.pid).filter((p): p is number => typeof p === 'number');
  expect(pids).toHaveLength(1);
  expect(processExists(pids[0] as number)).toBe(true);

  const hangup = await postAgent(target.agentUrl, pathA('hangup_hook'), swaigBody('hangup_hook', {}, callA));
  expect(hangup.status).toBe(200);
  await waitFor(async () => !(await listSessions(target.gatewayUrl, target.gatewayHeaders)).some((s) => s.session_id === callA), 'call A session to close');
  await waitFor(() => pids.every((pid) => !processExists(pid)), 'call A server process to exit');
  const after = await listSessions(target.gatewayUrl, target.gatewayHeaders);
  expect(after.some((s) => s.session_id === callB)).toBe(true);

  await postAgent(target.agentUrl, pathB('hangup_hook'), swaigBody('hangup_hook', {}, callB));
  await waitFor(async () => (await listSessions(target.gatewayUrl, target.gatewayHeaders)).every((s) => s.session_id !== callB), 'call B session to close');
}
