import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * Import direction (docs/ARCHITECTURE.md): agents/ → skills/ → src/index.ts → (src/embedded-gateway.ts) → gateway/index.ts.
 * bench/ measures from outside: src only through src/index.ts, gateway internals allowed (it times them), and no
 * product layer imports bench/ or test/.
 * Reads every import/export-from/dynamic-import string literal and fails on a wrong-way import.
 */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const LAYERS = ['src', 'skills', 'gateway', 'agents', 'bench'] as const;
/** Folders only tools outside the product (tests, benchmarks) may import. */
const OUTSIDE = new Set(['bench', 'test']);
type Layer = (typeof LAYERS)[number];

const IMPORT_RE = /(?:^|[^\w$.])(?:import|export)\s*(?:[^'"`;]*?\sfrom\s*)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** Every module specifier written in `source` (comments are stripped first). */
function importSpecifiers(source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"])\/\/.*$/gm, '$1');
  return [...code.matchAll(IMPORT_RE)].map((m) => m[1] ?? m[2] ?? '').filter(Boolean);
}

/** Repo-relative path (posix) a relative specifier points at, or undefined for packages / node: builtins. */
function target(fromRel: string, spec: string): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  return relative(ROOT, resolve(ROOT, dirname(fromRel), spec))
    .split(sep)
    .join('/');
}

function layerOf(rel: string): Layer | undefined {
  const top = rel.split('/')[0];
  return (LAYERS as readonly string[]).includes(top ?? '') ? (top as Layer) : undefined;
}

const stripExt = (p: string) => p.replace(/\.(?:[cm]?[jt]s)$/, '');

/** Why `fromRel` may not import `spec`, or undefined if allowed. */
function violation(fromRel: string, spec: string): string | undefined {
  const from = layerOf(fromRel);
  const to = target(fromRel, spec);
  if (!from || to === undefined) return undefined;
  const top = to.split('/')[0] ?? '';
  if (from !== 'bench' && OUTSIDE.has(top)) return `${from}/ must not import ${top}/`;
  const toLayer = layerOf(to);
  if (!toLayer || toLayer === from) {
    if (from === 'skills' && toLayer === 'skills' && fromRel.split('/')[1] !== to.split('/')[1]) return 'skills must not import each other';
    return undefined;
  }
  switch (from) {
    case 'gateway':
      return 'gateway/ must import nothing from src/, skills/ or agents/';
    case 'src':
      if (toLayer === 'gateway') {
        return stripExt(fromRel) === 'src/embedded-gateway' && stripExt(to) === 'gateway/index'
          ? undefined
          : 'only src/embedded-gateway.ts may import gateway/, and only gateway/index.js';
      }
      return 'src/ must not import skills/ or agents/';
    case 'skills':
      if (toLayer === 'src') return stripExt(to) === 'src/index' ? undefined : 'skills/ may import only src/index.js from src/';
      return `skills/ must not import ${toLayer}/`;
    case 'agents':
      if (toLayer === 'src') return stripExt(to) === 'src/index' ? undefined : 'agents/ may import only src/index.js from src/';
      if (toLayer === 'gateway') return 'agents/ must not import gateway/ (use the mcp_gateway skill or src/index.js)';
      return undefined;
    case 'bench':
      if (toLayer === 'src') return stripExt(to) === 'src/index' ? undefined : 'bench/ may import only src/index.js from src/';
      return undefined;
  }
}

function sourceFiles(dirRel: string): string[] {
  const abs = join(ROOT, dirRel);
  let entries: string[];
  try {
    entries = readdirSync(abs);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    if (name === 'node_modules' || name.startsWith('.')) return [];
    const rel = `${dirRel}/${name}`;
    if (statSync(join(ROOT, rel)).isDirectory()) return sourceFiles(rel);
    return /\.(?:[cm]?[jt]s)$/.test(name) && !name.endsWith('.d.ts') ? [rel] : [];
  });
}

describe('architecture: import direction', () => {
  it('the checker catches each kind of wrong-way import', () => {
    expect(violation('gateway/http/app.ts', '../../src/index.js')).toMatch(/gateway/);
    expect(violation('src/agent/agent.ts', '../../skills/mcp_gateway/index.js')).toMatch(/src\//);
    expect(violation('src/agent/agent.ts', '../../gateway/index.js')).toMatch(/embedded-gateway/);
    expect(violation('src/embedded-gateway.ts', '../gateway/http/app.js')).toMatch(/embedded-gateway/);
    expect(violation('src/embedded-gateway.ts', '../gateway/index.js')).toBeUndefined();
    expect(violation('skills/mcp_gateway/skill.ts', '../../src/agent/agent.js')).toMatch(/only src\/index/);
    expect(violation('skills/mcp_gateway/skill.ts', '../../src/index.js')).toBeUndefined();
    expect(violation('skills/mcp_gateway/skill.ts', '../../gateway/index.js')).toMatch(/skills/);
    expect(violation('skills/mcp_gateway/skill.ts', '../other_skill/index.js')).toMatch(/each other/);
    expect(violation('agents/todo-agent.ts', '../src/swml/render.js')).toMatch(/agents/);
    expect(violation('agents/todo-agent.ts', '../skills/mcp_gateway/index.js')).toBeUndefined();
    expect(violation('bench/lib/agent-e2e.ts', '../../src/agent/agent.js')).toMatch(/bench\/ may import only src\/index/);
    expect(violation('bench/lib/agent-e2e.ts', '../../src/index.js')).toBeUndefined();
    expect(violation('bench/run.ts', '../gateway/sessions/warm-up.js')).toBeUndefined();
    expect(violation('src/agent/agent.ts', '../../bench/lib/stats.js')).toMatch(/must not import bench/);
    expect(violation('gateway/http/app.ts', '../../test/helpers/net.js')).toMatch(/must not import test/);
    expect(
      importSpecifiers(
        "import a from './a.js';\nexport { b } from \"../b.js\";\nconst c = await import('./c.js');\n// import x from '../nope.js'\nimport './side.js';",
      ),
    ).toEqual(['./a.js', '../b.js', './c.js', './side.js']);
    expect(importSpecifiers("import type {\n  A,\n  B,\n} from '../types.js';")).toEqual(['../types.js']);
  });

  it('no file in src/, skills/, gateway/, agents/ or bench/ imports the wrong way', () => {
    const files = LAYERS.flatMap((layer) => sourceFiles(layer));
    expect(files.length).toBeGreaterThan(10);
    expect(files.filter((f) => f.startsWith('bench/')).length).toBeGreaterThan(3);
    const problems = files.flatMap((file) =>
      importSpecifiers(readFileSync(join(ROOT, file), 'utf8')).flatMap((spec) => {
        const why = violation(file, spec);
        return why ? [`${file} imports '${spec}': ${why}`] : [];
      }),
    );
    expect(problems).toEqual([]);
  });
});
