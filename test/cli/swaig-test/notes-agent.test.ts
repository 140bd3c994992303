/**
 * swaig-test as a child process against a fixture agent whose replies echo what it received: in-process
 * (agent file) and over HTTP (--url against the same file served by a child process).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/paths.js';
import { AGENT_AUTH, json, NOTES_AGENT, ROOT, startLiveAgent, swaigTest, type LiveProcess, type StepJson } from './helpers.js';

/** The envelope the agent received, from the `whoami` tool's echo. */
function echoed(run: { stdout: string }): { args: unknown; envelope: Record<string, unknown> } {
  return JSON.parse((JSON.parse(run.stdout) as StepJson).response ?? '') as { args: unknown; envelope: Record<string, unknown> };
}

describe('swaig-test against an agent file (in-process)', () => {
  it('--list-tools (also the default action) shows names, types, required, enum and defaults', async () => {
    const [human, byDefault, raw] = await Promise.all([
      swaigTest([NOTES_AGENT, '--list-tools']),
      swaigTest([NOTES_AGENT]),
      swaigTest(['--raw', '--list-tools', NOTES_AGENT]),
    ]);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/add_note {2}Add a note to this call/);
    expect(human.stdout).toMatch(/--priority\s+integer\s+optional {2}one of: 1, 2, 3 {2}default: 2 {2}Importance/);
    expect(human.stdout).toMatch(/--text\s+string\s+required/);
    expect(human.stdout).toMatch(/hangup_hook \(hook\)/);
    expect(byDefault.stdout).toBe(human.stdout);
    const tools = json<{ tools: Array<{ name: string; kind: string; parameters: unknown[] }> }>(raw).tools;
    expect(tools.find((t) => t.name === 'add_note')?.parameters).toContainEqual({
      name: 'priority',
      type: 'integer',
      required: false,
      description: 'Importance',
      enum: [1, 2, 3],
      default: 2,
    });
    expect(tools.find((t) => t.name === 'startup_hook')?.kind).toBe('hook');
  });

  it('--dump-swml prints the SWML and validates it: 0 errors exits 0, schema errors exit 1', async () => {
    const [ok, raw, bad, noSchema] = await Promise.all([
      swaigTest([NOTES_AGENT, '--dump-swml']),
      swaigTest([NOTES_AGENT, '--dump-swml', '--raw', '--call-id', 'dump-1']),
      swaigTest([NOTES_AGENT, '--dump-swml'], { env: { FIXTURE_BAD_SWML: '1' } }),
      swaigTest([NOTES_AGENT, '--dump-swml', '--schema', 'no/such/schema.json']),
    ]);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toContain('SWML schema: valid (0 errors)');
    expect(JSON.parse(ok.stdout)).toMatchObject({ version: '1.0.0', sections: { main: [{ answer: {} }, { ai: { global_data: { tier: 'gold' } } }] } });
    const dumped = json<{
      call_id: string;
      valid: boolean;
      errors: unknown[];
      swml: { sections: { main: Array<{ ai?: { SWAIG: { functions: Array<{ web_hook_url: string }> } } }> } };
    }>(raw);
    expect(dumped).toMatchObject({ call_id: 'dump-1', valid: true, errors: [] });
    // The webhook URL points at the loopback server swaig-test started, with the agent's credentials.
    expect(dumped.swml.sections.main[1]?.ai?.SWAIG.functions[0]?.web_hook_url).toMatch(
      /^http:\/\/signalwire:[^@]+@localhost:\d+\/swaig\?__token=[\w-]+&call_id=dump-1$/,
    ); // secure by default: the per-call token
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/SWML schema: \d+ error\(s\)/);
    expect(bad.stderr).toContain('/sections/main/2');
    expect(noSchema.code).toBe(2);
    expect(noSchema.stderr).toContain('--schema: file not found');
  });

  it('--exec takes --param pairs and --args in any option order, typed by the tool schema', async () => {
    const orders = [
      [NOTES_AGENT, '--exec', 'add_note', '--text', 'milk', '--priority', '3', '--pinned', '--tags', 'a,b', '--call-id', 'order-1', '--raw'],
      ['--raw', '--call-id', 'order-1', '--tags', 'a,b', '--pinned', '--priority', '3', '--text', 'milk', '--exec', 'add_note', NOTES_AGENT],
      [
        '--args',
        '{"text":"milk","tags":["a","b"],"priority":1}',
        '--priority',
        '3',
        NOTES_AGENT,
        '--call-id',
        'order-1',
        '--exec',
        'add_note',
        '--pinned',
        'true',
        '--raw',
      ],
    ];
    const runs = await Promise.all(orders.map((argv) => swaigTest(argv)));
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(0);
      const step = json<StepJson>(run);
      expect(step).toMatchObject({ call_id: 'order-1', function: 'add_note', ok: true, status: 200 });
      expect(step.response).toMatch(/^Added note #1 for call order-1: /);
      // What the agent parsed out of argument.parsed[0]: real types, not strings.
      expect(JSON.parse(step.response?.replace(/^[^{]*/, '') ?? '')).toEqual({ text: 'milk', priority: 3, pinned: true, tags: ['a', 'b'] });
    }
  });

  it('sends the platform envelope: argument.parsed/raw, call and caller fields, app_name, global_data, meta_data', async () => {
    const [who, count] = await Promise.all([
      swaigTest([NOTES_AGENT, '--exec', 'whoami', '--raw', '--call-id', 'env-1', '--caller-number', '+15557654321', '--caller-name', 'Bob']),
      swaigTest([NOTES_AGENT, '--exec', 'count', '--raw', '--verbose']),
    ]);
    expect(who.code).toBe(0);
    const { envelope } = echoed(who);
    expect(envelope).toMatchObject({
      function: 'whoami',
      content_type: 'text/swaig',
      content_disposition: 'SWAIG Function',
      version: '2.0',
      app_name: 'notes app',
      call_id: 'env-1',
      caller_id_name: 'Bob',
      caller_id_num: '+15557654321',
      channel_active: true,
      purpose: 'Echo what the platform sent',
      argument: { parsed: [{}], raw: '{}', substituted: '' },
      argument_desc: { type: 'object', properties: {} },
      global_data: { tier: 'gold' },
    });
    expect(envelope.ai_session_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(envelope).not.toHaveProperty('meta_data');
    const counted = json<StepJson & { request: Record<string, unknown> }>(count);
    expect(counted.request).toMatchObject({ meta_data_token: 'counter', meta_data: { count: 0 } });
    expect(counted.response).toBe('count=1');
  });

  it('prints a fresh call id per run so it can be reused', async () => {
    const [a, b] = await Promise.all([swaigTest([NOTES_AGENT, '--exec', 'list_notes']), swaigTest([NOTES_AGENT, '--exec', 'list_notes'])]);
    const idA = /call_id: (\S+) {2}\(reuse with --call-id \1\)/.exec(a.stdout)?.[1];
    const idB = /call_id: (\S+)/.exec(b.stdout)?.[1];
    expect(idA).toMatch(/^[0-9a-f-]{36}$/);
    expect(idB).toMatch(/^[0-9a-f-]{36}$/);
    expect(idA).not.toBe(idB);
    expect(a.stdout).toContain('← No notes.');
  });

  it('exit 2 for usage mistakes, naming the flag; exit 1 when --expect is not met', async () => {
    const cases: Array<[string[], number, RegExp]> = [
      [[NOTES_AGENT, '--exec', 'nope'], 2, /--exec nope: the agent has no such function \(available: add_note, /],
      [[NOTES_AGENT, '--exec', 'add_note', '--text', 'x', '--priority', 'high'], 2, /--priority: expected an integer, got "high"/],
      [['--exec', 'list_notes'], 2, /give an agent file .* or --url/],
      [[NOTES_AGENT, '--url', 'http://127.0.0.1:9/'], 2, /either an agent file or --url, not both/],
      [[NOTES_AGENT, '--list-tools', '--dump-swml'], 2, /choose one action/],
      [[NOTES_AGENT, '--exec', 'a', '--exec', 'b'], 2, /several --exec steps need --simulate-call/],
      [[NOTES_AGENT, '--interactive', '--raw'], 2, /--raw does not apply to --interactive/],
      [[NOTES_AGENT, '--lsit-tools'], 2, /unknown option '--lsit-tools'/],
      [['test/fixtures/agents/missing.ts'], 2, /agent file not found/],
      [[NOTES_AGENT, '--timeout-ms', 'soon'], 2, /--timeout-ms/],
      [[NOTES_AGENT, '--exec', 'list_notes', '--expect', 'Notes:'], 1, /response does not match "Notes:"/],
    ];
    const runs = await Promise.all(cases.map(([argv]) => swaigTest(argv)));
    runs.forEach((run, i) => {
      const [argv, code, message] = cases[i] as [string[], number, RegExp];
      expect(run.code, argv.join(' ')).toBe(code);
      expect(run.stderr + run.stdout, argv.join(' ')).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    });
  });

  it('--raw errors are JSON on stdout; load failures show a stack only with --verbose', async () => {
    const broken = join(tempDir('swaig-broken-'), 'broken-agent.mjs');
    writeFileSync(broken, "throw new Error('broken agent file');\n");
    const [raw, plain, verbose] = await Promise.all([
      swaigTest([NOTES_AGENT, '--exec', 'nope', '--raw']),
      swaigTest([broken]),
      swaigTest([broken, '--verbose']),
    ]);
    expect(raw.code).toBe(2);
    expect(json(raw)).toEqual({ error: expect.stringContaining('--exec nope'), code: 'unknown_function' });
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain('error: cannot load');
    expect(plain.stderr).toContain('broken agent file');
    expect(plain.stderr).not.toMatch(/\n\s+at /);
    expect(verbose.code).toBe(1);
    expect(verbose.stderr).toMatch(/\n\s+at /);
  });

  it('--simulate-call runs a YAML scenario: startup_hook, steps with global_data and meta_data carried forward, hangup_hook', async () => {
    const file = join(tempDir('swaig-sim-'), 'call.yaml');
    writeFileSync(
      file,
      [
        'call_id: sim-yaml-1',
        'caller: { name: Carol, number: "+15550009999" }',
        'steps:',
        '  - { function: add_note, args: { text: buy milk, priority: 1 }, expect: "Added note #1" }',
        '  - { function: set_mode, args: { mode: loud } }',
        '  - { function: whoami, expect: \'/"global_data":\\{"tier":"gold","mode":"loud"\\}/\' }',
        '  - { function: forget_mode }',
        '  - { function: whoami, expect: \'/^(?!.*"mode").*"caller_id_name":"Carol"/s\' }',
        '  - { function: count }',
        '  - { function: count, expect: count=2 }',
        '  - { function: list_notes, expect: "Notes: buy milk" }',
      ].join('\n'),
    );
    const run = await swaigTest(['--simulate-call', file, NOTES_AGENT]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('call_id: sim-yaml-1');
    expect(run.stdout).toMatch(/\[start\] startup_hook \{\}\n {3}← started sim-yaml-1/);
    expect(run.stdout).toMatch(/\[2\] set_mode \{"mode":"loud"\}\n {3}← Mode set to loud\n {3}action: \{"set_global_data":\{"mode":"loud"\}\}/);
    expect(run.stdout).toMatch(/\[hangup\] hangup_hook \{\}\n {3}← cleared 1 note\(s\) for sim-yaml-1/);
    expect(run.stdout).toContain('PASS: 8/8 step(s) ok (startup_hook + hangup_hook)');
  });

  it('--simulate-call fails (exit 1) on an unmet expect or steps skipped after a hangup, and still sends hangup_hook', async () => {
    const [unmet, hungUp, unknown] = await Promise.all([
      swaigTest([NOTES_AGENT, '--simulate-call', '--exec', 'add_note', '--text', 'x', '--exec', 'list_notes', '--raw', '--call-id', 'sim-2']),
      swaigTest([NOTES_AGENT, '--simulate-call', '--exec', 'goodbye', '--exec', 'list_notes']),
      swaigTest([NOTES_AGENT, '--simulate-call', '--exec', 'add_note', '--text', 'x', '--exec', 'nope']),
    ]);
    expect(unmet.code).toBe(0);
    const sim = json<{ ok: boolean; steps: StepJson[]; hangup_hook: StepJson }>(unmet);
    expect(sim.steps.map((s) => s.response)).toEqual(['Added note #1 for call sim-2: {"text":"x"}', 'Notes: x']);
    expect(sim.hangup_hook.response).toBe('cleared 1 note(s) for sim-2');
    expect(hungUp.code).toBe(1);
    expect(hungUp.stdout).toContain('[2] list_notes skipped: goodbye hung up the call');
    expect(hungUp.stdout).toMatch(/\[hangup\] hangup_hook/);
    expect(hungUp.stdout).toContain('FAIL: 1/2 step(s) ok');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--exec nope: the agent has no such function');

    const file = join(tempDir('swaig-sim-'), 'fail.json');
    writeFileSync(
      file,
      JSON.stringify({
        steps: [
          { function: 'list_notes', expect: '/^Notes/' },
          { function: 'add_note', args: { text: 'later' } },
        ],
      }),
    );
    const failed = await swaigTest([NOTES_AGENT, '--simulate-call', file]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/\[1\] list_notes \{\}\n {3}← No notes\.\n {3}✗ response does not match \/\^Notes\//);
    expect(failed.stdout).toMatch(/\[2\] add_note \{"text":"later"\}\n {3}← Added note #1/);
    expect(failed.stdout).toMatch(/← cleared 1 note\(s\)/);
  });

  it('--verbose shows the request and response envelopes with credentials masked', async () => {
    const run = await swaigTest([NOTES_AGENT, '--exec', 'add_note', '--text', 'v', '--verbose']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/→ POST http:\/\/127\.0\.0\.1:\d+\/\n/);
    expect(run.stderr).toMatch(/"call_id": "[0-9a-f-]{36}"/);
    expect(run.stderr).toMatch(/→ POST http:\/\/127\.0\.0\.1:\d+\/swaig\?__token=[\w-]+&call_id=[\w-]+\n\s+\{\n\s+"app_name": "notes app"/);
    expect(run.stderr).toContain('"content_type": "text/swaig"');
    expect(run.stderr).toContain('← HTTP 200');
    expect(run.stderr).toMatch(/"web_hook_url": "http:\/\/signalwire:\*\*\*\*@localhost/);
  });

  it('--interactive calls functions in one call from stdin and hangs up at the end', async () => {
    const run = await swaigTest([NOTES_AGENT, '--interactive', '--call-id', 'repl-1'], {
      input: 'add_note --text "eat cake" --priority 2\nadd_note \'{"text": "nap"}\'\nlist_notes\nadd_note --priority x\nglobals\nquit\n',
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('← Added note #1 for call repl-1: {"text":"eat cake","priority":2}');
    expect(run.stdout).toContain('← Notes: eat cake; nap');
    expect(run.stderr).toContain('error: --priority: expected an integer, got "x"');
    expect(run.stdout).toContain('{"tier":"gold"}');
    expect(run.stdout).toContain('← cleared 2 note(s) for repl-1');
  });
});

describe('finding the agent in a file', () => {
  const dir = tempDir('swaig-find-');
  const index = JSON.stringify(join(ROOT, 'src/index.ts'));
  const write = (name: string, body: string): string => {
    const file = join(dir, name);
    writeFileSync(
      file,
      `import { Agent } from ${index};\nconst make = (name) => new Agent({ name }).defineTool('hi', 'Say hi', { type: 'object', properties: {} }, () => 'hi from ' + name);\n${body}\n`,
    );
    return file;
  };

  it('takes a default-exported factory or class, and --agent picks one of several exported agents', async () => {
    const factory = write('factory.mjs', 'export default async () => make("from-factory");');
    const cls = write(
      'class.mjs',
      'export default class MyAgent extends Agent { constructor() { super({ name: "from-class" }); this.defineTool("hi", "Say hi", { type: "object", properties: {} }, () => "hi from class"); } }',
    );
    const several = write('several.mjs', 'export const sales = make("sales");\nexport const support = make("support");');
    const hung = write('hung.mjs', 'await new Promise(() => undefined);');
    const [a, b, c, d, e] = await Promise.all([
      swaigTest([factory, '--exec', 'hi']),
      swaigTest([cls, '--exec', 'hi']),
      swaigTest([several, '--exec', 'hi']),
      swaigTest([several, '--exec', 'hi', '--agent', 'support']),
      swaigTest([hung, '--timeout-ms', '500']),
    ]);
    expect(a.stdout).toContain('← hi from from-factory');
    expect(b.stdout).toContain('← hi from class');
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('exports several agents (sales (export sales), support (export support)); choose one with --agent NAME');
    expect(d.stdout).toContain('← hi from support');
    expect(e.code).toBe(1);
    expect(e.stderr).toContain('did not finish loading within 500 ms (--timeout-ms)');
  });
});

describe('swaig-test --url against the same agent served by a child process', () => {
  let live: LiveProcess;
  beforeAll(async () => {
    live = await startLiveAgent(NOTES_AGENT);
  });
  afterAll(async () => {
    await live?.stop();
  });

  it('lists the same tools as in-process', async () => {
    const [remote, local] = await Promise.all([swaigTest(['--url', live.url, '--list-tools', '--raw']), swaigTest([NOTES_AGENT, '--list-tools', '--raw'])]);
    expect(remote.code).toBe(0);
    expect(json(remote).tools).toEqual(json(local).tools);
  });

  it('dumps valid SWML', async () => {
    const dump = await swaigTest(['--dump-swml', '--url', live.url]);
    expect(dump.code).toBe(0);
    expect(dump.stderr).toContain('valid (0 errors)');
  });

  it('keeps per-call state across runs with the same --call-id (given after --exec)', async () => {
    const add = await swaigTest(['--url', live.url, '--exec', 'add_note', '--text', 'milk', '--call-id', 'persist-1']);
    expect(add.code).toBe(0);
    const [same, other] = await Promise.all([
      swaigTest(['--exec', 'list_notes', '--call-id', 'persist-1', '--url', live.url, '--raw']),
      swaigTest(['--exec', 'list_notes', '--url', live.url, '--raw']),
    ]);
    expect(json<StepJson>(same).response).toBe('Notes: milk');
    expect(json<StepJson>(other).response).toBe('No notes.');
  });

  it('--simulate-call over HTTP ends with hangup_hook, which the live agent really ran', async () => {
    const sim = await swaigTest([
      '--url',
      live.url,
      '--simulate-call',
      '--exec',
      'add_note',
      '--args',
      '{"text":"a"}',
      '--exec',
      'list_notes',
      '--call-id',
      'live-sim-1',
    ]);
    expect(sim.code, sim.stdout + sim.stderr).toBe(0);
    expect(sim.stdout).toContain('← Notes: a');
    expect(sim.stdout).toContain('← cleared 1 note(s) for live-sim-1');
    const after = await swaigTest(['--url', live.url, '--exec', 'hangups', '--raw']);
    expect(json<StepJson>(after).response?.split(',')).toContain('live-sim-1');
  });

  it('reports HTTP and connection failures with exit 1', async () => {
    const wrong = new URL(live.url);
    wrong.password = 'wrong';
    const closed = 'http://127.0.0.1:1/';
    const [unauthorized, unreachable, badUrl] = await Promise.all([
      swaigTest(['--url', wrong.href, '--list-tools']),
      swaigTest(['--url', closed, '--list-tools', '--raw']),
      swaigTest(['--url', 'ftp://x/', '--list-tools']),
    ]);
    expect(unauthorized.code).toBe(1);
    expect(unauthorized.stderr).toMatch(/SWML fetch from http:\/\/tester:\*\*\*\*@127\.0\.0\.1:\d+\/ failed: HTTP 401/);
    expect(unauthorized.stderr).not.toContain('wrong');
    expect(unreachable.code).toBe(1);
    expect(json(unreachable)).toEqual({ error: expect.stringMatching(/cannot reach http:\/\/127\.0\.0\.1:1\/: ECONNREFUSED/), code: 'agent_unreachable' });
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toContain('--url: must start with http:// or https://');
    expect(AGENT_AUTH.password).toContain('@'); // the credentials really needed percent-encoding
  });
});
