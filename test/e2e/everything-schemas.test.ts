import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Agent, startEmbeddedGateway, type EmbeddedGateway } from '../../src/index.js';
import '../../skills/mcp_gateway/index.js';
import { EVERYTHING_RESOURCE_LINKS_COUNT, MEMORY_CREATE_ENTITIES_ENTITIES } from '../helpers/real-server-schemas.js';
import { expectValidFunctionParameters, expectValidSwml } from '../helpers/swml-schema.js';
import { AGENT_AUTH, EVERYTHING_SERVER, MEMORY_SERVER, postAgent, swaigBody, swmlFetchBody, webhookPaths, writeGatewayConfig } from './helpers.js';

interface ListedTool {
  name: string;
  inputSchema: { properties?: Record<string, unknown>; required?: string[] };
  annotations?: { destructiveHint?: boolean; readOnlyHint?: boolean };
}

/** Destructive tools gain a `confirmed` argument (the caller confirms aloud first); it is not in `required`. */
const confirmationOf = (tool: ListedTool): string[] =>
  tool.annotations?.destructiveHint === true && tool.annotations.readOnlyHint !== true ? ['confirmed'] : [];

describe('server-everything and server-memory tools arrive intact in the SWML', () => {
  // The memory server keeps its graph outside the session: a folder it may write (allowed_paths), as a user would set it up.
  const memoryDir = mkdtempSync(join(tmpdir(), 'mcp-memory-'));
  chmodSync(memoryDir, 0o777);
  const memoryFile = join(memoryDir, 'memory.jsonl');
  const configPath = writeGatewayConfig(
    {
      everything: { command: ['node', EVERYTHING_SERVER], description: 'MCP reference test server' },
      memory: {
        command: ['node', MEMORY_SERVER],
        description: 'Knowledge graph memory',
        env: { MEMORY_FILE_PATH: memoryFile },
        sandbox: { allowed_paths: [memoryDir] },
      },
    },
    'unused',
  );
  const agent = new Agent({ name: 'E2E Everything', host: '127.0.0.1', port: 0, basicAuth: AGENT_AUTH, logger: pino({ level: 'silent' }) });
  let agentUrl = '';
  let gateway: EmbeddedGateway;
  let functions: Array<{ function: string; description: string; parameters: any }> = [];
  let pathOf: (fn: string) => string = () => '/swaig';
  const listed: Record<string, ListedTool[]> = {};

  beforeAll(async () => {
    await agent.addSkill('mcp_gateway', { gateway_config: configPath });
    ({ url: agentUrl } = await agent.serve({ handleSignals: false }));
    gateway = await startEmbeddedGateway({ configPath });
    for (const service of ['everything', 'memory']) {
      const res = await fetch(`${gateway.url}/services/${service}/tools`, { headers: gateway.headers });
      listed[service] = ((await res.json()) as { tools: ListedTool[] }).tools;
    }
    const swml = await postAgent(agentUrl, '/', swmlFetchBody('everything-call-0001'));
    expect(swml.status).toBe(200);
    expectValidSwml(swml.json);
    functions = (swml.json.sections.main as Array<Record<string, any>>).find((v) => v.ai)?.ai.SWAIG.functions;
    pathOf = webhookPaths(swml.json);
  });
  afterAll(async () => {
    await postAgent(agentUrl, pathOf('hangup_hook'), swaigBody('hangup_hook', {}, 'everything-call-0001')).catch(() => undefined);
    await gateway?.close();
    await agent.close();
  });

  const fn = (name: string) => functions.find((f) => f.function === name);

  it('has one valid function per listed tool, with every property and the same required list', () => {
    for (const [service, tools] of Object.entries(listed)) {
      expect(tools.length).toBeGreaterThan(5);
      for (const tool of tools) {
        const name = `mcp_${service}_${tool.name.replace(/[^A-Za-z0-9_]/g, '_')}`;
        const found = fn(name);
        expect(found, name).toBeDefined();
        const extra = confirmationOf(tool);
        expect(Object.keys(found?.parameters.properties ?? {}).sort()).toEqual([...Object.keys(tool.inputSchema.properties ?? {}), ...extra].sort());
        expect(found?.parameters.required ?? []).toEqual(tool.inputSchema.required ?? []);
        expectValidFunctionParameters(found?.parameters, name);
      }
    }
    expect(fn('mcp_everything_simulate_research_query')).toBeUndefined(); // taskSupport: required
  });

  it('keeps nested arrays of objects, enums, defaults, formats and folded ranges', () => {
    expect(fn('mcp_memory_create_entities')?.parameters.properties.entities).toEqual(MEMORY_CREATE_ENTITIES_ENTITIES);
    expect(fn('mcp_memory_delete_relations')?.parameters.properties.relations.items.required).toEqual(['from', 'to', 'relationType']);
    expect(fn('mcp_memory_delete_entities')?.description).toContain('confirm with the caller');
    expect(fn('mcp_memory_delete_entities')?.parameters.required).toEqual(['entityNames']);
    expect(fn('mcp_memory_delete_entities')?.parameters.properties.confirmed).toMatchObject({ type: 'boolean' });
    expect(fn('mcp_everything_get_resource_links')?.parameters.properties.count).toEqual(EVERYTHING_RESOURCE_LINKS_COUNT);
    expect(fn('mcp_everything_gzip_file_as_resource')?.parameters.properties.data).toMatchObject({ type: 'string', format: 'uri' });
    expect(fn('mcp_everything_get_annotated_message')?.parameters.properties.messageType.enum).toEqual(['error', 'success', 'debug']);
  });

  it('passes nested arguments through to the server and back', async () => {
    const call = 'everything-call-0001';
    const entity = { name: 'Ada', entityType: 'person', observations: ['wrote the first program'] };
    const created = await postAgent(agentUrl, pathOf('mcp_memory_create_entities'), swaigBody('mcp_memory_create_entities', { entities: [entity] }, call));
    expect(created.status).toBe(200);
    const graph = await postAgent(agentUrl, pathOf('mcp_memory_open_nodes'), swaigBody('mcp_memory_open_nodes', { names: ['Ada'] }, call));
    expect(graph.json.response).toContain('wrote the first program');
    const sum = await postAgent(agentUrl, pathOf('mcp_everything_get_sum'), swaigBody('mcp_everything_get_sum', { a: 2, b: 3 }, call));
    expect(sum.json.response).toContain('5');
    // Arguments off the tool's schema are refused by the agent (ajv against the declared parameters), naming the field.
    const bad = await postAgent(agentUrl, pathOf('mcp_everything_get_sum'), swaigBody('mcp_everything_get_sum', { a: 'two', b: 3 }, call));
    expect(bad.json.response).toBe('The mcp_everything_get_sum function was not run: the argument a must be number. Call it again with a corrected.');
  });
});
