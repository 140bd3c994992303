import { existsSync, readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { expectGroupGone, startGateway, testConfig, TODO_SERVER, waitFor, type TestGateway } from './helpers.js';

const todo = { command: ['node', TODO_SERVER], description: 'Todo list' };

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

async function callOk(service: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await gw!.call(service, body);
  const json = (await res.json()) as Record<string, unknown>;
  expect(res.status, JSON.stringify(json)).toBe(200);
  return json;
}

describe('gateway with the todo server', () => {
  it('adds, lists, completes, reports tool errors and closes the session', async () => {
    gw = await startGateway(testConfig({ todo }));
    const added = await callOk('todo', { tool: 'add_todo', arguments: { text: 'Buy milk', priority: 'high' }, session_id: 'call-1' });
    expect(added).toEqual({ session_id: 'call-1', service: 'todo', tool: 'add_todo', result: 'Added todo #1: Buy milk (priority: high)', is_error: false });
    await callOk('todo', { tool: 'complete_todo', arguments: { id: 1 }, session_id: 'call-1' });
    const listed = await callOk('todo', { tool: 'list_todos', session_id: 'call-1' });
    expect(listed.result).toBe('Todo List (all):\n✓ #1 [high] Buy milk');

    // A JSON-RPC error answering tools/call is a tool-level failure: 200 with is_error.
    const failed = await callOk('todo', { tool: 'add_todo', arguments: {}, session_id: 'call-1' });
    expect(failed).toMatchObject({ is_error: true, result: 'Text is required' });
    const notFound = await callOk('todo', { tool: 'complete_todo', arguments: { id: 9 }, session_id: 'call-1' });
    expect(notFound).toMatchObject({ is_error: true, result: 'Todo #9 not found' });

    const sessions = (await (await gw.get('/sessions')).json()) as { sessions: Array<{ session_id: string; pid: number; expires_at: string }> };
    expect(sessions.sessions).toHaveLength(1);
    const pid = sessions.sessions[0]!.pid;
    expect(Date.parse(sessions.sessions[0]!.expires_at)).toBeGreaterThan(Date.now());

    const del = await gw.del('/sessions/call-1');
    expect(await del.json()).toEqual({ message: 'Session call-1 closed', session_id: 'call-1', closed: 1 });
    await expectGroupGone(pid);
    expect((await (await gw.get('/sessions')).json()) as unknown).toEqual({ sessions: [] });
  });

  it('keeps one state per (session_id, service): two services on one call, and separate calls', async () => {
    gw = await startGateway(testConfig({ todo, todo2: { ...todo, description: 'Second list' } }));
    await callOk('todo', { tool: 'add_todo', arguments: { text: 'from todo' }, session_id: 'call-A' });
    await callOk('todo2', { tool: 'add_todo', arguments: { text: 'from todo2' }, session_id: 'call-A' });
    await callOk('todo', { tool: 'add_todo', arguments: { text: 'second in todo' }, session_id: 'call-A' });
    await callOk('todo', { tool: 'add_todo', arguments: { text: 'other call' }, session_id: 'call-B' });

    expect((await callOk('todo', { tool: 'list_todos', session_id: 'call-A' })).result).toBe(
      'Todo List (all):\n○ #1 [medium] from todo\n○ #2 [medium] second in todo',
    );
    expect((await callOk('todo2', { tool: 'list_todos', session_id: 'call-A' })).result).toBe('Todo List (all):\n○ #1 [medium] from todo2');
    expect((await callOk('todo', { tool: 'list_todos', session_id: 'call-B' })).result).toBe('Todo List (all):\n○ #1 [medium] other call');

    const { sessions } = (await (await gw.get('/sessions')).json()) as { sessions: Array<{ session_id: string; service: string; pid: number }> };
    const callA = sessions.filter((s) => s.session_id === 'call-A');
    expect(callA.map((s) => s.service).sort()).toEqual(['todo', 'todo2']);
    expect(new Set(sessions.map((s) => s.pid)).size).toBe(3);

    // DELETE closes every service session of that call id, and only those.
    expect(await (await gw.del('/sessions/call-A')).json()).toEqual({ message: 'Session call-A closed', session_id: 'call-A', closed: 2 });
    for (const s of callA) await expectGroupGone(s.pid);
    expect((await callOk('todo', { tool: 'list_todos', session_id: 'call-B' })).result).toContain('other call');
  });

  it('removes the per-session private folder on close and ends every server on gateway close', async () => {
    const raw = testConfig({ todo });
    const sandboxDir = (raw.session as { sandbox_dir: string }).sandbox_dir;
    gw = await startGateway(raw);
    await callOk('todo', { tool: 'list_todos', session_id: 's1' });
    await callOk('todo', { tool: 'list_todos', session_id: 's2' });
    expect(readdirSync(sandboxDir)).toHaveLength(2);
    const { sessions } = (await (await gw.get('/sessions')).json()) as { sessions: Array<{ pid: number }> };
    await gw.del('/sessions/s1');
    // DELETE answers at once; the server exits and its folder goes in the background.
    await waitFor(() => readdirSync(sandboxDir).length === 1, 'the closed session folder to be removed');
    await gw.close();
    gw = undefined;
    for (const s of sessions) await expectGroupGone(s.pid);
    expect(existsSync(sandboxDir) ? readdirSync(sandboxDir) : []).toHaveLength(0);
  });
});
