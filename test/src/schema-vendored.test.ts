/** The official SWML schema ships inside the package and is found relative to the module, not the cwd. */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSwmlSchemaValidator, swmlSchemaPath } from '../../src/index.js';
import { ROOT, tempDir } from '../helpers/paths.js';
import { runCommand } from '../helpers/processes.js';

const SCHEMA_SHA256 = 'a47318d5add4eb73aca8fb341edfbb54ceb1b66e2ededf2c90d48d03c2a58736';
const MINIMAL = { version: '1.0.0', sections: { main: [{ answer: {} }, { ai: { prompt: { text: 'hi' } } }] } };

describe('vendored SWML schema', () => {
  const dir = tempDir('swml-schema-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is the file schemas/README.md names (sha256) and the default of loadSwmlSchemaValidator', () => {
    expect(swmlSchemaPath).toBe(join(ROOT, 'schemas/swml-schema.json'));
    expect(createHash('sha256').update(readFileSync(swmlSchemaPath)).digest('hex')).toBe(SCHEMA_SHA256);
    expect(readFileSync(join(ROOT, 'schemas/README.md'), 'utf8')).toContain(SCHEMA_SHA256);
    const validate = loadSwmlSchemaValidator();
    expect(validate(MINIMAL)).toEqual({ valid: true, errors: [] });
    expect(validate({ sections: { main: [{ ai: {} }] } }).valid).toBe(false);
  });

  it('is in the packed package and validates from an unpacked copy run from another cwd', async () => {
    const pack = await runCommand('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir]);
    expect(pack.code, pack.stderr).toBe(0);
    const tarball = join(dir, pack.stdout.trim().split('\n').pop() ?? '');
    const untar = await runCommand('tar', ['-xzf', tarball, '-C', dir]);
    expect(untar.code, untar.stderr).toBe(0);
    const pkg = join(dir, 'package');
    symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'));
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(elsewhere);
    const script = [
      `const m = await import(${JSON.stringify(join(pkg, 'src/index.ts'))});`,
      `console.log(JSON.stringify({ path: m.swmlSchemaPath, result: m.loadSwmlSchemaValidator()(${JSON.stringify(MINIMAL)}) }));`,
    ].join('\n');
    const run = await runCommand(
      process.execPath,
      ['--import', pathToFileURL(join(ROOT, 'node_modules/tsx/dist/esm/index.mjs')).href, '--input-type=module', '-e', script],
      { cwd: elsewhere },
    );
    expect(run.code, run.stderr).toBe(0);
    const out = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as { path: string; result: unknown };
    expect(out.path).toBe(join(pkg, 'schemas/swml-schema.json'));
    expect(out.result).toEqual({ valid: true, errors: [] });
  });
});
