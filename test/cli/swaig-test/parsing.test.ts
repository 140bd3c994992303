import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/cli/shared/cli-error.js';
import { coerceArgs } from '../../../src/cli/swaig-test/coerce-args.js';
import { buildSwaigEnvelope, buildSwmlFetchBody, newCallIdentity } from '../../../src/cli/swaig-test/payloads.js';
import { buildProgram } from '../../../src/cli/swaig-test/program.js';
import { overrideValue, parseOverride, PLATFORM_SHAPE, withCustomData, withOverrides } from '../../../src/cli/swaig-test/request-shape.js';
import { compileExpect, loadScenario } from '../../../src/cli/swaig-test/scenario.js';
import { summarizeSchemaErrors } from '../../../src/cli/swaig-test/schema-errors.js';
import { splitArgv } from '../../../src/cli/swaig-test/split-argv.js';
import { readSwml } from '../../../src/cli/swaig-test/swml-view.js';
import { memoryIo } from '../../../src/cli/shared/cli-io.js';
import { extractArgs, extractSwmlCallId, parseSwaigRequest } from '../../../src/index.js';
import { tempDir } from '../../helpers/paths.js';

const program = (): Command => buildProgram(memoryIo(), async () => undefined);
const split = (argv: string[]) => splitArgv(argv, program());

function usage(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (err) {
    if (err instanceof UsageError) return err;
    throw err;
  }
  throw new Error('expected a UsageError');
}

describe('splitArgv: option order never matters', () => {
  it('keeps our options wherever they are and gives unknown pairs to the --exec', () => {
    const a = split(['agent.ts', '--exec', 'add', '--title', 'milk', '--call-id', 'c1', '--raw']);
    const b = split(['--call-id', 'c1', '--raw', '--title', 'milk', 'agent.ts', '--exec', 'add']);
    for (const r of [a, b]) {
      expect(r.execs).toEqual([{ name: 'add', args: {}, params: [['title', 'milk']] }]);
      expect(r.argv).toEqual(expect.arrayContaining(['agent.ts', '--call-id', 'c1', '--raw']));
      expect(r.argv).not.toContain('--title');
    }
  });

  it('attaches --args and params to the nearest --exec before them, or the first one', () => {
    const r = split(['--args', '{"a":1}', '--x', '1', '--exec', 'f', '--exec', 'g', '--args={"b":2}', '--y=2', '--flag']);
    expect(r.execs).toEqual([
      { name: 'f', args: { a: 1 }, params: [['x', '1']] },
      {
        name: 'g',
        args: { b: 2 },
        params: [
          ['y', '2'],
          ['flag', true],
        ],
      },
    ]);
  });

  it('after a lone --, option-like names are function parameters', () => {
    const r = split(['a.ts', '--exec', 'f', '--', '--raw', 'yes', '--url', 'u']);
    expect(r.execs[0]?.params).toEqual([
      ['raw', 'yes'],
      ['url', 'u'],
    ]);
    expect(r.argv).toEqual(['a.ts']);
  });

  it('takes a scenario file after --simulate-call only when it looks like one', () => {
    expect(split(['--simulate-call', 's.yaml', 'a.ts']).argv).toEqual(['--simulate-call', '--scenario', 's.yaml', 'a.ts']);
    expect(split(['--simulate-call', 'a.ts', '--exec', 'f']).argv).toEqual(['--simulate-call', 'a.ts']);
  });

  it('negative numbers are values, not flags', () => {
    expect(split(['--exec', 'f', '--n', '-5']).execs[0]?.params).toEqual([['n', '-5']]);
  });

  it('names the flag in usage errors', () => {
    expect(usage(() => split(['--exec'])).message).toMatch(/--exec needs a function name/);
    expect(usage(() => split(['--exec', 'f', '--args', '{bad'])).message).toMatch(/^--args: not valid JSON/);
    expect(usage(() => split(['--exec', 'f', '--args', '[1]'])).message).toMatch(/--args: must be a JSON object/);
    expect(usage(() => split(['a.ts', '--lsit-tools'])).message).toMatch(/unknown option '--lsit-tools'/);
    expect(usage(() => split(['--exec', 'f', '--args', '{}', '--args', '{}'])).message).toMatch(/--args given twice/);
  });
});

describe('coerceArgs: values typed by the tool schema', () => {
  const props = {
    n: { type: 'integer' },
    x: { type: 'number' },
    b: { type: 'boolean' },
    tags: { type: 'array', items: { type: 'string' } },
    ids: { type: 'array', items: { type: 'integer' } },
    o: { type: 'object' },
    s: { type: 'string' },
    due_date: { type: 'string' },
    maybe: { type: 'string', nullable: true },
  };

  it('converts each type, kebab-case to snake_case, and lets params override --args', () => {
    const { args, unknown } = coerceArgs(
      { s: 'from-args', n: 1 },
      [
        ['n', '42'],
        ['x', '-2.5'],
        ['b', true],
        ['tags', 'a, b'],
        ['ids', '[1,2]'],
        ['o', '{"k":[1]}'],
        ['s', '007'],
        ['due-date', '2025-01-01'],
        ['maybe', 'null'],
        ['free', '{"j":1}'],
      ],
      props,
    );
    expect(args).toEqual({
      s: '007',
      n: 42,
      x: -2.5,
      b: true,
      tags: ['a', 'b'],
      ids: [1, 2],
      o: { k: [1] },
      due_date: '2025-01-01',
      maybe: null,
      free: { j: 1 },
    });
    expect(unknown).toEqual(['free']);
  });

  it('appends repeated array params; comma lists coerce their items', () => {
    expect(
      coerceArgs(
        {},
        [
          ['ids', '1,2'],
          ['ids', '3'],
        ],
        props,
      ).args,
    ).toEqual({ ids: [1, 2, 3] });
    expect(coerceArgs({}, [['b', 'no']], props).args).toEqual({ b: false });
  });

  it('rejects values that do not fit, naming the parameter', () => {
    expect(usage(() => coerceArgs({}, [['n', '4.5']], props)).message).toBe('--n: expected an integer, got "4.5"');
    expect(usage(() => coerceArgs({}, [['x', 'abc']], props)).message).toMatch(/^--x: expected a number/);
    expect(usage(() => coerceArgs({}, [['b', 'maybe']], props)).message).toMatch(/^--b: expected true or false/);
    expect(usage(() => coerceArgs({}, [['o', '[1]']], props)).message).toMatch(/^--o: expected a JSON object/);
    expect(usage(() => coerceArgs({}, [['s', true]], props)).message).toBe('--s: needs a value (string)');
    expect(
      usage(() =>
        coerceArgs(
          {},
          [
            ['s', 'a'],
            ['s', 'b'],
          ],
          props,
        ),
      ).message,
    ).toBe('--s: given more than once');
  });
});

describe('payloads: the platform shape, parsed by the agent framework itself', () => {
  const swml = {
    version: '1.0.0',
    sections: {
      main: [
        { answer: {} },
        {
          ai: {
            prompt: { text: 'x' },
            params: { app_name: 'my app' },
            global_data: { tier: 'gold' },
            SWAIG: {
              defaults: { web_hook_url: 'https://u:p@h/swaig' },
              functions: [
                {
                  function: 'get_weather',
                  description: 'Weather',
                  parameters: { type: 'object', properties: { city: { type: 'string' } } },
                  meta_data_token: 'w',
                  meta_data: { n: 1 },
                },
                { function: 'dm', description: 'data map', data_map: { output: { response: 'ok' } } },
                { function: 'hangup_hook', description: 'bye', web_hook_url: 'https://h/hook' },
              ],
            },
          },
        },
      ],
    },
  };

  it('reads functions, hooks, data_map, global_data and app_name out of SWML', () => {
    const view = readSwml(swml);
    expect(view.appName).toBe('my app');
    expect(view.globalData).toEqual({ tier: 'gold' });
    expect(view.byName.get('get_weather')?.webHookUrl).toBe('https://u:p@h/swaig');
    expect(view.byName.get('dm')).toMatchObject({ dataMap: true, webHookUrl: undefined });
    expect(view.byName.get('hangup_hook')).toMatchObject({ kind: 'hook', webHookUrl: 'https://h/hook' });
    expect(readSwml({ nope: 1 })).toMatchObject({ hasAi: false, functions: [], appName: 'swml app' });
  });

  it('builds an envelope with the same keys as the platform fixture, which parseSwaigRequest accepts', () => {
    const view = readSwml(swml);
    const fn = view.byName.get('get_weather');
    if (!fn) throw new Error('missing');
    const identity = newCallIdentity({ callId: 'call-1' });
    const envelope = buildSwaigEnvelope(fn, { city: 'Tulsa' }, identity, {
      appName: view.appName,
      globalData: view.globalData,
      metaData: { n: 1 },
      channelActive: true,
    });
    const platform = JSON.parse(readFileSync(join(__dirname, '../../fixtures/swaig-call.json'), 'utf8')) as Record<string, unknown>;
    expect(
      Object.keys(envelope)
        .filter((k) => k !== 'description')
        .sort(),
    ).toEqual(Object.keys(platform).sort());
    const parsed = parseSwaigRequest(envelope);
    expect(extractArgs(parsed)).toEqual({ city: 'Tulsa' });
    expect(parsed).toMatchObject({
      call_id: 'call-1',
      app_name: 'my app',
      content_type: 'text/swaig',
      version: '2.0',
      meta_data_token: 'w',
      meta_data: { n: 1 },
    });
    expect(envelope.argument).toEqual({ parsed: [{ city: 'Tulsa' }], raw: '{\n "city": "Tulsa"\n}', substituted: '' });
    const bare = buildSwaigEnvelope(view.byName.get('hangup_hook') as typeof fn, {}, identity, { appName: 'a', globalData: {}, channelActive: false });
    expect(bare).not.toHaveProperty('meta_data');
    expect(bare).not.toHaveProperty('global_data');
  });

  it('builds the SWML fetch body with the call id where the platform puts it', () => {
    const body = buildSwmlFetchBody(newCallIdentity({ callId: 'abc' }));
    const platform = JSON.parse(readFileSync(join(__dirname, '../../fixtures/swml-fetch.json'), 'utf8')) as { call: object };
    expect(Object.keys(body).sort()).toEqual(Object.keys(platform).sort());
    expect(Object.keys(body.call as object).sort()).toEqual(Object.keys(platform.call).sort());
    expect(extractSwmlCallId(body)).toBe('abc');
  });
});

describe('scenarios and expectations', () => {
  it('loads YAML and JSON, and names the bad field', () => {
    const dir = tempDir('swaig-scenario-');
    const yaml = join(dir, 's.yaml');
    writeFileSync(yaml, 'call_id: c-1\ncaller: "+15551112222"\nsteps:\n  - function: add\n    args: { title: milk }\n    expect: /added/i\n');
    expect(loadScenario(yaml)).toEqual({ call_id: 'c-1', caller: '+15551112222', steps: [{ function: 'add', args: { title: 'milk' }, expect: '/added/i' }] });
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ steps: [{ function: 'a' }, { args: {} }] }));
    expect(usage(() => loadScenario(bad)).message).toMatch(/bad\.json: steps\.1\.function:/);
    expect(usage(() => loadScenario(join(dir, 'missing.yaml'))).message).toMatch(/cannot read scenario file/);
  });

  it('matches substrings, or /regex/flags', () => {
    expect(compileExpect('Added').test('Added #1')).toBe(true);
    expect(compileExpect('added').test('Added #1')).toBe(false);
    expect(compileExpect('/^added #\\d+$/i').test('Added #12')).toBe(true);
    expect(usage(() => compileExpect('/(/')).message).toMatch(/invalid regular expression/);
  });

  it('summarizes anyOf noise into one line per path', () => {
    const verbs = ['answer', 'ai', 'play', 'connect'].map((v) => ({ path: '/sections/main/2', message: `must have required property '${v}' {}` }));
    const lines = summarizeSchemaErrors([
      ...verbs,
      { path: '/sections/main/2/x', message: 'must NOT be valid' },
      { path: '/sections/main/2', message: 'must match a schema in anyOf' },
    ]);
    expect(lines).toEqual([
      '/sections/main/2: matches none of the 4 allowed shapes (each needs one of: answer, ai, play, connect, …)',
      '/sections/main/2/x: must NOT be valid',
    ]);
  });
});

describe("positional function name (the Python CLI's form)", () => {
  it("takes [agent-file] [function] ['{json}'], and no agent file with --url", () => {
    expect(split(['a.ts', 'search', '--query', 'AI']).execs).toEqual([{ name: 'search', args: {}, params: [['query', 'AI']] }]);
    expect(split(['a.ts', 'search', '{"query":"x"}']).execs[0]?.args).toEqual({ query: 'x' });
    expect(split(['--url', 'http://h/', 'search']).execs[0]?.name).toBe('search');
    expect(split(['--url', 'http://h/', 'search']).argv).toEqual(['--url', 'http://h/']);
    // A file given with --url stays a file, so the "file or --url" error can name the mistake.
    expect(split(['a.ts', '--url', 'http://h/']).argv).toEqual(['--url', 'http://h/', 'a.ts']);
    expect(usage(() => split(['a.ts', 'search', '--exec', 'other'])).message).toMatch(/give the function once/);
    expect(usage(() => split(['a.ts', 'search', '{}', 'extra'])).message).toMatch(/unexpected argument 'extra'/);
    expect(usage(() => split(['a.ts', 'search', '[1]'])).message).toMatch(/must be a JSON object/);
  });
});

describe('request shape: overrides, custom data, presets', () => {
  it('types --override values as the Python SDK and sets dot paths without touching the input', () => {
    expect([
      overrideValue('null'),
      overrideValue('TRUE'),
      overrideValue('60'),
      overrideValue('1.5'),
      overrideValue('{"a":1}'),
      overrideValue('answered'),
    ]).toEqual([null, true, 60, 1.5, { a: 1 }, 'answered']);
    const body = { call: { call_id: 'c' }, vars: 'not an object' };
    const out = withOverrides(body, [parseOverride('call.state=answered', false), parseOverride('vars.custom={"k":[1]}', true)]);
    expect(out).toEqual({ call: { call_id: 'c', state: 'answered' }, vars: { custom: { k: [1] } } });
    expect(body).toEqual({ call: { call_id: 'c' }, vars: 'not an object' });
    expect(usage(() => parseOverride('.a=1', false)).message).toMatch(/empty segment/);
  });

  it('merges --custom-data one level deep, as the Python SDK', () => {
    expect(withCustomData({ global_data: { a: 1 }, x: 1 }, { global_data: { b: 2 }, x: [2] })).toEqual({ global_data: { a: 1, b: 2 }, x: [2] });
  });

  it('builds the minimal and full bodies from the same function and call', () => {
    const view = readSwml({
      sections: {
        main: [
          {
            ai: {
              SWAIG: {
                defaults: { web_hook_url: 'http://h/swaig' },
                functions: [{ function: 'f', description: 'F', parameters: { type: 'object', properties: {} } }],
              },
            },
          },
        ],
      },
    });
    const fn = view.byName.get('f') as NonNullable<ReturnType<typeof view.byName.get>>;
    const identity = newCallIdentity({ callId: 'c-1', callType: 'webrtc', direction: 'outbound' });
    const state = { appName: 'a', globalData: { g: 1 }, channelActive: true };
    expect(buildSwaigEnvelope(fn, { x: 1 }, identity, state, { ...PLATFORM_SHAPE, preset: 'minimal' })).toEqual({
      function: 'f',
      call_id: 'c-1',
      argument: { parsed: [{ x: 1 }], raw: JSON.stringify({ x: 1 }, null, 1), substituted: '' },
    });
    const full = buildSwaigEnvelope(fn, { x: 1 }, identity, state, { ...PLATFORM_SHAPE, preset: 'full', userVariables: { lang: 'es' } });
    expect(full).toMatchObject({
      global_data: { g: 1 },
      call: { type: 'webrtc', direction: 'outbound', call_state: 'answered' },
      vars: { userVariables: { lang: 'es' } },
    });
    expect(buildSwmlFetchBody(identity).call).toMatchObject({ type: 'webrtc', direction: 'outbound', from: 'swaig-test@test.domain' });
  });
});
