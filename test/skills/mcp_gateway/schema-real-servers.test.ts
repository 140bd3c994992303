import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { convertInputSchema } from '../../../skills/mcp_gateway/schema/index.js';
import { EVERYTHING_SERVER, MEMORY_SERVER } from '../../helpers/paths.js';
import { EVERYTHING_RESOURCE_LINKS_COUNT, MEMORY_CREATE_ENTITIES_ENTITIES } from '../../helpers/real-server-schemas.js';
import { expectValidFunctionParameters } from '../../helpers/swml-schema.js';

interface ListedTool {
  name: string;
  inputSchema: unknown;
}

/** Spawns a real MCP server over stdio and returns its tool list. */
async function listTools(server: string, env: Record<string, string>): Promise<ListedTool[]> {
  const client = new Client({ name: 'schema-test', version: '1.0.0' });
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [server],
    env: { PATH: process.env.PATH ?? '', ...env },
    stderr: 'ignore',
  });
  await client.connect(transport);
  try {
    return (await client.listTools()).tools;
  } finally {
    await client.close();
  }
}

describe('schemas of real MCP servers convert to valid SWAIG parameters', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-schema-'));
  let everything: ListedTool[] = [];
  let memory: ListedTool[] = [];

  beforeAll(async () => {
    [everything, memory] = await Promise.all([listTools(EVERYTHING_SERVER, {}), listTools(MEMORY_SERVER, { MEMORY_FILE_PATH: join(dir, 'memory.jsonl') })]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('every tool of server-everything and server-memory validates', () => {
    expect(everything.length).toBeGreaterThan(5);
    expect(memory.length).toBeGreaterThan(5);
    for (const tool of [...everything, ...memory]) {
      const { parameters } = convertInputSchema(tool.inputSchema);
      expectValidFunctionParameters(parameters, tool.name);
    }
  });

  it('keeps memory nested arrays of objects with their required lists', () => {
    const tool = memory.find((t) => t.name === 'create_entities');
    const { parameters } = convertInputSchema(tool?.inputSchema);
    expect(parameters.required).toEqual(['entities']);
    expect(parameters.properties.entities).toEqual(MEMORY_CREATE_ENTITIES_ENTITIES);
  });

  it('keeps everything defaults, formats and folds its ranges', () => {
    const links = convertInputSchema(everything.find((t) => t.name === 'get-resource-links')?.inputSchema).parameters;
    expect(links.properties.count).toEqual(EVERYTHING_RESOURCE_LINKS_COUNT);
    const gzip = convertInputSchema(everything.find((t) => t.name === 'gzip-file-as-resource')?.inputSchema).parameters;
    expect(gzip.properties.data).toMatchObject({ type: 'string', format: 'uri' });
    const sum = convertInputSchema(everything.find((t) => t.name === 'get-sum')?.inputSchema).parameters;
    expect(sum.required).toEqual(['a', 'b']);
  });
});
