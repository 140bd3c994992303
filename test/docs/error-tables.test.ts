import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GATEWAY_ERROR_CODES } from '../../gateway/index.js';
import { AGENT_ERROR_CODES } from '../../src/index.js';
import { ROOT } from '../helpers/paths.js';

/** `code → status` for every code a registry holds. */
const statuses = (registry: Record<string, { status: number }>): Map<string, number> =>
  new Map(Object.entries(registry).map(([code, info]) => [code, info.status]));
const AGENT = statuses(AGENT_ERROR_CODES);
const GATEWAY = statuses(GATEWAY_ERROR_CODES);
const BOTH = new Map([...AGENT, ...GATEWAY]);

/** `code → status` of one column of every `| NNN | ... |` row of a markdown file (codes in backticks). */
function tableColumn(file: string, column: number): Map<string, number> {
  const rows = readFileSync(join(ROOT, file), 'utf8')
    .split('\n')
    .filter((line) => /^\|\s*\d{3}\s*\|/.test(line));
  expect(rows.length, `${file} has an error table`).toBeGreaterThan(5);
  const out = new Map<string, number>();
  for (const row of rows) {
    const cells = row.split('|').map((c) => c.trim());
    const status = Number(cells[1]);
    for (const [, code] of (cells[column] ?? '').matchAll(/`([a-z_]+)`/g)) {
      expect(out.has(code!), `${file}: ${code} listed twice`).toBe(false);
      out.set(code!, status);
    }
  }
  return out;
}

/** The table and the registry hold the same codes with the same statuses. */
function expectSame(table: Map<string, number>, registry: Map<string, number>, where: string): void {
  const problems = [
    ...[...table.keys()].filter((code) => !registry.has(code)).map((code) => `unknown ${code}`),
    ...[...registry.keys()].filter((code) => !table.has(code)).map((code) => `missing ${code}`),
    ...[...table].filter(([code, status]) => registry.has(code) && registry.get(code) !== status).map(([code, status]) => `${code} (${status})`),
  ];
  expect(problems, where).toEqual([]);
}

describe('error tables match the code registries', () => {
  it('a code means one status on both sides', () => {
    for (const [code, status] of AGENT) if (GATEWAY.has(code)) expect(GATEWAY.get(code), code).toBe(status);
  });

  it('README.md lists every code of the agent and the gateway', () => {
    expectSame(tableColumn('README.md', 2), BOTH, 'README.md');
  });

  it('gateway/README.md lists the gateway codes', () => {
    expectSame(tableColumn('gateway/README.md', 2), GATEWAY, 'gateway/README.md');
  });

  it('docs/ARCHITECTURE.md lists each side in its own column', () => {
    expectSame(tableColumn('docs/ARCHITECTURE.md', 2), AGENT, 'docs/ARCHITECTURE.md agent column');
    expectSame(tableColumn('docs/ARCHITECTURE.md', 3), GATEWAY, 'docs/ARCHITECTURE.md gateway column');
  });

  it('the checker catches a missing, an unknown and a misfiled code', () => {
    const registry = new Map([
      ['a_code', 400],
      ['b_code', 404],
    ]);
    expect(() => expectSame(new Map([['a_code', 400]]), registry, 'x')).toThrow(/b_code/);
    expect(() =>
      expectSame(
        new Map([
          ['a_code', 400],
          ['b_code', 404],
          ['c_code', 500],
        ]),
        registry,
        'x',
      ),
    ).toThrow(/c_code/);
    expect(() =>
      expectSame(
        new Map([
          ['a_code', 400],
          ['b_code', 410],
        ]),
        registry,
        'x',
      ),
    ).toThrow(/b_code \(410\)/);
  });
});
