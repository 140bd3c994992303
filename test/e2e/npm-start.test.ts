import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { descendants, spawnCollecting } from '../helpers/processes.js';
import { expectValidSwml } from '../helpers/swml-schema.js';
import { processExists, ROOT, swaigBody, swmlFetchBody, waitFor, webhookPaths } from './helpers.js';

const TSX_CLI = join(ROOT, 'node_modules/tsx/dist/cli.mjs');

describe("npm start's entry: tsx agents/todo-agent.ts", () => {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: '0', LOG_LEVEL: 'warn' };
  delete env.SWAIG_CLI_MODE;
  delete env.MCP_GATEWAY_URL;
  delete env.SWML_BASIC_AUTH_USER;
  delete env.SWML_BASIC_AUTH_PASSWORD;
  const started = spawnCollecting(process.execPath, [TSX_CLI, 'agents/todo-agent.ts'], { env, detached: true });
  afterAll(async () => {
    await started.stop();
  });

  it('prints the SWML URL with credentials and next steps, answers SWML and runs tools, and exits cleanly', async () => {
    const match = await started.waitForOutput(/SWML URL: (http:\/\/\S+)/, 30_000);
    const printed = new URL(match[1] as string);
    const { stdout } = started.output();
    expect(stdout).toContain('signalwire-agent number bind');
    expect(stdout).toContain('swaig-test agents/todo-agent.ts --list-tools');
    expect(printed.username).not.toBe('');
    expect(printed.password).not.toBe('');

    const auth = `Basic ${Buffer.from(`${decodeURIComponent(printed.username)}:${decodeURIComponent(printed.password)}`).toString('base64')}`;
    const base = `${printed.protocol}//${printed.host}`;
    const post = async (path: string, body: unknown) => {
      const res = await fetch(base + path, {
        method: 'POST',
        headers: { authorization: auth, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, json: (await res.json()) as any };
    };
    expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(401);
    const swml = await post('/', swmlFetchBody('npm-start-call-0001'));
    expect(swml.status).toBe(200);
    const names = (swml.json.sections.main as Array<Record<string, any>>).find((v) => v.ai)?.ai.SWAIG.functions.map((f: { function: string }) => f.function);
    expect(names).toEqual(expect.arrayContaining(['mcp_todo_add_todo', 'mcp_todo_list_todos', 'hangup_hook']));

    const added = await post(webhookPaths(swml.json)('mcp_todo_add_todo'), swaigBody('mcp_todo_add_todo', { text: 'water plants' }, 'npm-start-call-0001'));
    expect(added.json.response).toBe('Added todo #1: water plants (priority: medium)');
    // Validated after the requests: compiling the schema can block this process past the agent's 5 s
    // keep-alive, and undici would then reuse a socket the agent has just closed.
    expectValidSwml(swml.json);
    const serverPids = descendants(started.child.pid as number);
    expect(serverPids.length).toBeGreaterThan(1); // the agent's node process and the todo server

    expect(await started.stop()).not.toBeNull();
    await waitFor(() => serverPids.every((pid) => !processExists(pid)), 'agent and MCP server processes to exit');
  });
});
