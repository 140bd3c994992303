/**
 * swaig-test accepts the Python SDK's swaig-test flags with the same meaning. Each command line below is written
 * as the Python docs show it (`swaig-test --help-examples`, man swaig-test.1), with the agent file swapped for a
 * fixture whose tools echo what the agent received: the SWAIG body (`whoami`), the last SWML request
 * (`last_swml_request`, method/query/headers/body) and its own environment (`read_env`).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/paths.js';
import { ECHO_AGENT, json, MULTI_AGENT, swaigTest, type StepJson } from './helpers.js';

/** The JSON the tool answered with (its `response`), from a `--raw` run. */
function answered<T = Record<string, any>>(run: { code: number | null; stdout: string; stderr: string }): T {
  expect(run.code, run.stderr).toBe(0);
  return JSON.parse(json<StepJson>(run).response ?? '') as T;
}

describe('function execution: as the Python docs call it', () => {
  it('--exec NAME --param value, a positional function name, legacy JSON, and -v', async () => {
    const [exec, positional, legacy, verbose] = await Promise.all([
      swaigTest([ECHO_AGENT, '--exec', 'search', '--query', 'AI', '--limit', '5', '--raw']),
      swaigTest([ECHO_AGENT, 'search', '--query', 'AI', '--limit', '5', '--raw']),
      swaigTest([ECHO_AGENT, 'search', '{"query":"test"}', '--raw']),
      swaigTest([ECHO_AGENT, '-v', '--exec', 'search', '--query', 'test']),
    ]);
    for (const run of [exec, positional]) {
      expect(run.code, run.stderr).toBe(0);
      expect(json<StepJson>(run).response).toBe('searched {"query":"AI","limit":5}');
    }
    expect(legacy.code, legacy.stderr).toBe(0);
    expect(json<StepJson>(legacy).response).toBe('searched {"query":"test"}');
    expect(verbose.code, verbose.stderr).toBe(0);
    expect(verbose.stdout).toContain('← searched {"query":"test"}');
    expect(verbose.stderr).toMatch(/→ POST http:\/\/127\.0\.0\.1:\d+\/swaig/);
    expect(verbose.stderr).toContain('"function": "search"');
  });

  it('an option it does not know is an error naming it, never a tool argument (before or after --exec)', async () => {
    const [after, before, typo, justFlag] = await Promise.all([
      swaigTest([ECHO_AGENT, '--exec', 'search', '--query', 'x', '--colour', 'red']),
      swaigTest([ECHO_AGENT, '--colour', 'red', '--exec', 'search', '--query', 'x']),
      swaigTest([ECHO_AGENT, '--exec', 'search', '--querry', 'x']),
      swaigTest([ECHO_AGENT, '--colour']),
    ]);
    expect(after.code).toBe(2);
    expect(after.stderr).toContain(
      "unknown option '--colour': not a swaig-test option, and search has no parameter 'colour' (its parameters: --query, --limit)",
    );
    expect(before.code).toBe(2);
    expect(before.stderr).toContain("unknown option '--colour'");
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain("unknown option '--querry'");
    expect(justFlag.code).toBe(2);
    expect(justFlag.stderr).toContain("unknown option '--colour'");
    for (const run of [after, before, typo]) expect(run.stdout).not.toContain('searched');
  });
});

describe('post_data presets: --minimal, --fake-full-data, --custom-data', () => {
  it('shape the SWAIG body, wherever they stand on the line (after --exec too)', async () => {
    const custom = '{"global_data":{"vip":true},"extra":1}';
    const [minimal, full, customData, afterExec] = await Promise.all([
      swaigTest([ECHO_AGENT, '--minimal', '--exec', 'whoami', '--raw']),
      swaigTest([ECHO_AGENT, '--fake-full-data', '--exec', 'whoami', '--raw']),
      swaigTest([ECHO_AGENT, '--custom-data', custom, '--exec', 'whoami', '--raw']),
      swaigTest([ECHO_AGENT, '--exec', 'whoami', '--custom-data', custom, '--minimal', '--raw', '--call-id', 'after-1']),
    ]);
    const bare = answered(minimal);
    expect(Object.keys(bare).sort()).toEqual(['argument', 'call_id', 'function']);
    expect(bare).toMatchObject({ function: 'whoami', argument: { parsed: [{}] } });

    const rich = answered(full);
    expect(rich).toMatchObject({ function: 'whoami', content_type: 'text/swaig', swaig_post_conversation: true, swaig_allow_swml: true });
    expect(rich.call).toMatchObject({ call_id: rich.call_id, call_state: 'answered', type: 'phone' });
    expect(rich.call_log.at(-1).tool_calls[0].function.name).toBe('whoami');
    expect(rich.vars).toMatchObject({ environment: 'test', userVariables: {} });

    expect(answered(customData)).toMatchObject({ global_data: { vip: true }, extra: 1, content_type: 'text/swaig' });

    // Python sent these to the tool as arguments ({"custom-data": …, "minimal": true}); here they are options.
    const late = answered(afterExec);
    expect(late).toEqual({
      function: 'whoami',
      call_id: 'after-1',
      argument: { parsed: [{}], raw: '{}', substituted: '' },
      global_data: { vip: true },
      extra: 1,
    });
    expect(json<StepJson>(afterExec).args).toEqual({});
  });

  it('--minimal and --fake-full-data together is a usage error', async () => {
    const run = await swaigTest([ECHO_AGENT, '--minimal', '--fake-full-data', '--exec', 'whoami']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('choose one of --minimal and --fake-full-data');
  });
});

describe('the call and the SWML request: --call-type, --call-direction, --call-state, --from-number, --to-extension, …', () => {
  it('set the call the platform describes in the SWML request and the SWAIG body', async () => {
    const [sip, webrtc, swaig] = await Promise.all([
      swaigTest([ECHO_AGENT, '--call-type', 'sip', '--from-number', '+15551234567', '--exec', 'last_swml_request', '--raw']),
      swaigTest([
        ECHO_AGENT,
        '--call-type',
        'webrtc',
        '--call-direction',
        'outbound',
        '--call-state',
        'answered',
        '--to-extension',
        '1001',
        '--project-id',
        'my-project',
        '--exec',
        'last_swml_request',
        '--raw',
      ]),
      swaigTest([ECHO_AGENT, '--from-number', '+15551234567', '--exec', 'whoami', '--raw']),
    ]);
    expect(answered(sip).body.call).toMatchObject({ type: 'phone', from: '+15551234567', direction: 'inbound', call_state: 'created' });
    expect(answered(webrtc).body.call).toMatchObject({
      type: 'webrtc',
      direction: 'outbound',
      call_state: 'answered',
      to: '1001',
      from: 'swaig-test@test.domain',
      project_id: 'my-project',
    });
    expect(answered(swaig).caller_id_num).toBe('+15551234567');
  });

  it('--user-vars, --query-params and --header reach the agent with the SWML request', async () => {
    const run = await swaigTest([
      ECHO_AGENT,
      '--query-params',
      '{"tier":"premium","region":"eu"}',
      '--header',
      'X-Customer-ID=12345',
      '--user-vars',
      '{"preferences":{"language":"es"}}',
      '--exec',
      'last_swml_request',
      '--raw',
    ]);
    const seen = answered(run);
    expect(seen.query).toEqual({ tier: 'premium', region: 'eu' });
    expect(seen.headers['x-customer-id']).toBe('12345');
    // As the Python SDK: query params are merged into userVariables.
    expect(seen.body.vars.userVariables).toEqual({ preferences: { language: 'es' }, tier: 'premium', region: 'eu' });
  });

  it('--override and --override-json set dot paths in every body; --method and --body replace the SWML request', async () => {
    const [override, body, get] = await Promise.all([
      swaigTest([
        ECHO_AGENT,
        '--override',
        'call.call_state=answered',
        '--override',
        'call.timeout=60',
        '--override-json',
        'vars.custom={"key":"value","nested":{"data":true}}',
        '--exec',
        'last_swml_request',
        '--raw',
      ]),
      swaigTest([ECHO_AGENT, '--method', 'POST', '--body', '{"custom":"data"}', '--exec', 'last_swml_request', '--raw']),
      swaigTest([ECHO_AGENT, '--method', 'GET', '--exec', 'last_swml_request', '--raw', '-v']),
    ]);
    const sent = answered(override).body;
    expect(sent.call).toMatchObject({ call_state: 'answered', timeout: 60 });
    expect(sent.vars.custom).toEqual({ key: 'value', nested: { data: true } });
    expect(answered(body).body).toEqual({ custom: 'data' });
    expect(answered(get).body ?? {}).toEqual({});
    expect(get.stderr).toMatch(/→ GET http:\/\/127\.0\.0\.1:\d+\//);
  });

  it('names the flag when a value is malformed', async () => {
    const cases: Array<[string[], RegExp]> = [
      [['--user-vars', '{bad'], /--user-vars: not valid JSON/],
      [['--custom-data', '[1]'], /--custom-data: must be a JSON object/],
      [['--header', 'no-equals-sign'], /--header: expected Name=value/],
      [['--override', 'call.state'], /--override: expected path=value/],
      [['--override-json', 'vars.x={oops'], /--override-json vars\.x: not valid JSON/],
      [['--call-type', 'pstn'], /--call-type <type>' argument 'pstn' is invalid/],
      [['--method', 'GET', '--body', '{}'], /--body goes with --method POST/],
      [['--env', 'NOEQUALS'], /--env: expected KEY=VALUE/],
    ];
    const runs = await Promise.all(cases.map(([flags]) => swaigTest([ECHO_AGENT, ...flags, '--exec', 'whoami'])));
    runs.forEach((run, i) => {
      expect(run.code, cases[i]?.[0].join(' ')).toBe(2);
      expect(run.stderr).toMatch(cases[i]?.[1] as RegExp);
    });
  });
});

describe('agent selection: --list-agents, --agent-class, --route', () => {
  it('lists the agents of a multi-agent file and picks one by class or route', async () => {
    const [list, listRaw, byClass, byClassList, byRoute, byInstanceRoute, both, noMatch] = await Promise.all([
      swaigTest([MULTI_AGENT, '--list-agents']),
      swaigTest([MULTI_AGENT, '--list-agents', '--raw']),
      swaigTest([MULTI_AGENT, '--agent-class', 'MattiAgent', '--exec', 'transfer', '--name', 'sigmond']),
      swaigTest([MULTI_AGENT, '--agent-class', 'MattiAgent', '--list-tools']),
      swaigTest([MULTI_AGENT, '--route', '/healthcare', '--exec', 'schedule_appointment']),
      swaigTest([MULTI_AGENT, '--route', '/finance', '--exec', 'balance']),
      swaigTest([MULTI_AGENT, '--route', '/healthcare', '--agent-class', 'MattiAgent']),
      swaigTest([MULTI_AGENT, '--route', '/nowhere']),
    ]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain(`Agents found in ${MULTI_AGENT}:`);
    expect(list.stdout).toContain('  Agent (instance, export finance)\n    Name: finance\n    Route: /finance');
    expect(list.stdout).toContain('  MattiAgent (class, export MattiAgent)');
    expect(list.stdout).toContain('  HealthcareAgent (class, export HealthcareAgent)');
    expect(json<{ agents: unknown[] }>(listRaw).agents).toEqual([
      { kind: 'instance', export: 'finance', className: 'Agent', name: 'finance', route: '/finance' },
      { kind: 'class', export: 'HealthcareAgent', className: 'HealthcareAgent' },
      { kind: 'class', export: 'MattiAgent', className: 'MattiAgent' },
    ]);
    expect(byClass.stdout).toContain('← transferring to sigmond');
    expect(byClassList.stdout).toContain('transfer');
    expect(byClassList.stdout).not.toContain('balance');
    expect(byRoute.stdout).toContain('← booked soon');
    expect(byInstanceRoute.stdout).toContain('← balance: 42');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('choose one of --agent-class and --route');
    expect(noMatch.code).toBe(2);
    expect(noMatch.stderr).toContain('--route /nowhere: no agent in');
  });
});

describe('environment, help pages and serverless flags', () => {
  it("--env and --env-file set the agent file's environment; a missing env file is exit 2, not a Node abort", async () => {
    const envFile = join(tempDir('swaig-env-'), 'production.env');
    writeFileSync(envFile, 'FROM_FILE=file-value\nAPI_KEY=from-file\n');
    const [both, fromFile, missing] = await Promise.all([
      swaigTest([ECHO_AGENT, '--env', 'API_KEY=secret', '--env', 'DEBUG=1', '--env-file', envFile, '--exec', 'read_env', '--name', 'API_KEY'], {
        direct: true,
      }),
      swaigTest([ECHO_AGENT, `--env-file=${envFile}`, '--exec', 'read_env', '--name', 'FROM_FILE'], { direct: true }),
      swaigTest([ECHO_AGENT, '--env-file', '/nonexistent/production.env', '--exec', 'read_env', '--name', 'X'], { direct: true }),
    ]);
    expect(both.stdout).toContain('← API_KEY=secret');
    expect(fromFile.stdout).toContain('← FROM_FILE=file-value');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('error: --env-file /nonexistent/production.env: file not found');
  });

  it('--help-platforms and --help-examples print their pages', async () => {
    const [platforms, examples] = await Promise.all([swaigTest(['--help-platforms']), swaigTest([ECHO_AGENT, '--help-examples'])]);
    expect(platforms.code).toBe(0);
    expect(platforms.stdout).toContain('--simulate-serverless');
    expect(platforms.stdout).toContain('serves agents as an HTTP server');
    expect(examples.code).toBe(0);
    expect(examples.stdout).toContain('swaig-test multi_agent.ts --agent-class MattiAgent --list-tools');
  });

  it('serverless simulation is "not supported: …" with exit 2: this framework serves HTTP only', async () => {
    const runs = await Promise.all([
      swaigTest([ECHO_AGENT, '--simulate-serverless', 'lambda', '--dump-swml']),
      swaigTest([ECHO_AGENT, '--simulate-serverless', 'cgi', '--cgi-host', 'example.com', '--cgi-https', '--exec', 'search', '--query', 'x']),
      swaigTest([ECHO_AGENT, '--aws-region', 'us-west-2', '--dump-swml']),
    ]);
    expect(runs.map((r) => r.code)).toEqual([2, 2, 2]);
    expect(runs[0]?.stderr).toContain('error: not supported: --simulate-serverless lambda: this framework serves agents as an HTTP server only');
    expect(runs[1]?.stderr).toContain('not supported: --simulate-serverless cgi');
    expect(runs[2]?.stderr).toContain('not supported: --aws-region');
  });
});
