import { describe, expect, it } from 'vitest';
import { assignFunctionNames, baseFunctionName, isValidFunctionName, toolInWords, type ToolRef } from '../../../skills/mcp_gateway/naming.js';

const names = (prefix: string, refs: ToolRef[], taken?: Set<string>) => {
  const map = assignFunctionNames(prefix, refs, taken);
  return refs.map((r) => map.get(r) as string);
};

describe('function names', () => {
  it('builds {prefix}{service}_{tool}', () => {
    expect(names('mcp_', [{ service: 'todo', tool: 'add_todo' }])).toEqual(['mcp_todo_add_todo']);
  });

  it('replaces characters SWAIG rejects and avoids a leading digit', () => {
    expect(baseFunctionName('mcp_', { service: 'my-svc', tool: 'files.read-all' })).toBe('mcp_my_svc_files_read_all');
    expect(baseFunctionName('', { service: '1svc', tool: 't' })).toBe('_1svc_t');
    expect(baseFunctionName('', { service: 'café', tool: 'ok' })).toBe('caf__ok');
  });

  it('keeps names at 64 characters with a hash of the original', () => {
    const long = { service: 'service', tool: 'x'.repeat(100) };
    const name = baseFunctionName('mcp_', long);
    expect(name).toHaveLength(64);
    expect(isValidFunctionName(name)).toBe(true);
    expect(name).toMatch(/^mcp_service_x+_[0-9a-f]{8}$/);
    const other = baseFunctionName('mcp_', { service: 'service', tool: `${'x'.repeat(99)}y` });
    expect(other).not.toBe(name);
  });

  it('resolves collisions deterministically, whatever the listing order', () => {
    const a = { service: 'everything', tool: 'get-sum' };
    const b = { service: 'everything', tool: 'get_sum' };
    const c = { service: 'everything', tool: 'get.sum' };
    const first = names('mcp_', [a, b, c]);
    const second = names('mcp_', [c, b, a]).reverse();
    expect(first).toEqual(second);
    expect(first[1]).toBe('mcp_everything_get_sum'); // the unchanged name keeps the plain form
    expect(new Set(first).size).toBe(3);
    for (const n of first) expect(isValidFunctionName(n)).toBe(true);
  });

  it('avoids names the agent already uses', () => {
    const [name] = names('mcp_', [{ service: 'todo', tool: 'add' }], new Set(['mcp_todo_add']));
    expect(name).toMatch(/^mcp_todo_add_[0-9a-f]{8}$/);
  });

  it('spells tools in words for spoken errors', () => {
    expect(toolInWords('add_todo')).toBe('add todo');
    expect(toolInWords('get-tiny-image')).toBe('get tiny image');
    expect(toolInWords('getTinyImage')).toBe('get tiny image');
  });
});
