/** The official MCP Inspector, in its CLI mode, against the gateway's /mcp (a separate real client process). */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../helpers/processes.js';
import { ROOT, startGateway, tempDir, testConfig, TODO_SERVER, TOKEN, waitFor, type TestGateway } from '../helpers.js';

const INSPECTOR = join(ROOT, 'node_modules/@modelcontextprotocol/inspector/clients/launcher/build/index.js');

let gw: TestGateway | undefined;
afterEach(async () => {
  await gw?.close();
  gw = undefined;
});

/** Runs `mcp-inspector --cli <gateway>/mcp --transport http ...args` with the test token; parses its JSON output. */
async function inspector(args: string[]): Promise<Record<string, unknown>> {
  const home = tempDir('inspector-home-');
  const run = await runCommand(
    process.execPath,
    [INSPECTOR, '--cli', `${gw!.url}/mcp`, '--transport', 'http', '--header', `Authorization: Bearer ${TOKEN}`, ...args],
    // Its catalog and token storage go to a throw-away HOME.
    { env: { ...process.env, HOME: home, MCP_CATALOG_PATH: join(home, 'mcp.json') } },
  );
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

describe('MCP Inspector CLI through /mcp', () => {
  it('lists the gateway tools and calls one', async () => {
    gw = await startGateway(testConfig({ todo: { command: ['node', TODO_SERVER], description: 'Todo list' } }));
    const listed = (await inspector(['--method', 'tools/list'])) as { tools: Array<{ name: string; inputSchema: { required?: string[] } }> };
    expect(listed.tools.map((t) => t.name)).toContain('todo_add_todo');
    expect(listed.tools.find((t) => t.name === 'todo_add_todo')?.inputSchema.required).toEqual(['text']);

    const called = await inspector(['--method', 'tools/call', '--tool-name', 'todo_add_todo', '--tool-arg', 'text=Call the plumber', 'priority=high']);
    expect(called).toEqual({ content: [{ type: 'text', text: 'Added todo #1: Call the plumber (priority: high)' }] });

    // The call ran on a server of the Inspector's own MCP session; /metrics counted both sessions.
    const metrics = await (await gw.get('/metrics')).text();
    expect(metrics).toMatch(/^mcp_gateway_mcp_sessions_opened_total 2$/m);
    await waitFor(
      async () => /^mcp_gateway_call_duration_seconds_count\{service="todo",tool="add_todo",outcome="ok"\} 1$/m.test(await (await gw!.get('/metrics')).text()),
      'the call to be counted',
    );
  });
});
