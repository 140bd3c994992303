import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryIo } from '../../../src/cli/shared/cli-io.js';
import { runSignalwireAgent } from '../../../src/cli/signalwire-agent/program.js';
import { startFakeRest, type FakeRest } from './fake-rest.js';
import { runCli } from './run-cli.js';

const PROJECT = 'proj-1234';
const TOKEN = 'PTtoken-5678';
const NUMBER_ID = '3f2c6b7e-1a2b-4c3d-8e9f-0a1b2c3d4e5f';
const AGENT_URL = 'https://signalwire:s3cretPass@agent.example.com/agent';
const BASIC = `Basic ${Buffer.from(`${PROJECT}:${TOKEN}`).toString('base64')}`;

let rest: FakeRest;

beforeEach(async () => {
  rest = await startFakeRest({
    project: PROJECT,
    token: TOKEN,
    numbers: [
      {
        id: NUMBER_ID,
        number: '+15551234567',
        name: 'Main line',
        call_handler: 'laml_webhooks',
        call_request_url: 'https://old:oldPass@old.example.com/voice',
        call_relay_script_url: null,
      },
      { id: '00000000-0000-4000-8000-000000000001', number: '+15551234567999', name: 'Longer number containing the first' },
    ],
  });
});
afterEach(() => rest.close());

async function run(args: string[], env: Record<string, string> = {}) {
  const io = memoryIo({ SIGNALWIRE_PROJECT_ID: PROJECT, SIGNALWIRE_API_TOKEN: TOKEN, SIGNALWIRE_API_BASE: rest.apiBase, ...env });
  const code = await runSignalwireAgent(args, io);
  return { code, stdout: io.out.join(''), stderr: io.err.join('') };
}

describe('number bind', () => {
  it('looks the number up, then PUTs relay_script with Basic project:token auth', async () => {
    const result = await run(['number', 'bind', '+15551234567', '--url', AGENT_URL]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(rest.requests.map((r) => r.method)).toEqual(['GET', 'PUT']);
    const [lookup, update] = rest.requests;
    expect(new URL(lookup!.url, 'http://x').searchParams.get('filter_number')).toBe('+15551234567');
    expect(lookup!.url.startsWith('/api/relay/rest/phone_numbers?')).toBe(true);
    expect(update!.url).toBe(`/api/relay/rest/phone_numbers/${NUMBER_ID}`);
    for (const request of rest.requests) expect(request.authorization).toBe(BASIC);
    expect(update!.contentType).toBe('application/json');
    expect(update!.body).toEqual({ call_handler: 'relay_script', call_relay_script_url: AGENT_URL, call_receive_mode: 'voice' });
    expect(rest.numbers.get(NUMBER_ID)?.call_relay_script_url).toBe(AGENT_URL);
  });

  it('prints the previous handler for reverting and never prints a password', async () => {
    const result = await run(['number', 'bind', '+15551234567', '--url', AGENT_URL]);
    expect(result.stdout).toContain('previous handler');
    expect(result.stdout).toContain('call_handler: laml_webhooks');
    expect(result.stdout).toContain('https://old:****@old.example.com/voice');
    expect(result.stdout).toContain('call_relay_script_url: https://signalwire:****@agent.example.com/agent');
    expect(result.stdout + result.stderr).not.toMatch(/s3cretPass|oldPass/);
  });

  it('with --dry-run prints the PUT it would send and sends no PUT', async () => {
    const result = await run(['number', 'bind', '+15551234567', '--url', AGENT_URL, '--dry-run']);
    expect(result.code).toBe(0);
    expect(rest.requests.map((r) => r.method)).toEqual(['GET']);
    expect(result.stdout).toContain(`PUT ${rest.apiBase}/phone_numbers/${NUMBER_ID}`);
    expect(result.stdout).toContain('"call_relay_script_url":"https://signalwire:****@agent.example.com/agent"');
    expect(result.stdout).toContain('nothing was changed');
    expect(result.stdout).not.toContain('s3cretPass');
    expect(rest.numbers.get(NUMBER_ID)?.call_handler).toBe('laml_webhooks');
  });

  it('binds by phone number id with GET /phone_numbers/{id}', async () => {
    const result = await run(['number', 'bind', NUMBER_ID, '--url', AGENT_URL, '--json']);
    expect(result.code).toBe(0);
    expect(rest.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      `GET /api/relay/rest/phone_numbers/${NUMBER_ID}`,
      `PUT /api/relay/rest/phone_numbers/${NUMBER_ID}`,
    ]);
    const parsed = JSON.parse(result.stdout) as { dryRun: boolean; number: string; current: Record<string, unknown> };
    expect(parsed.dryRun).toBe(false);
    expect(parsed.number).toBe('+15551234567');
    expect(parsed.current.call_handler).toBe('relay_script');
  });

  it('takes credentials from flags over env', async () => {
    const result = await run(['number', 'bind', '+15551234567', '--url', AGENT_URL, '--project', PROJECT, '--token', TOKEN, '--api-base', rest.apiBase], {
      SIGNALWIRE_PROJECT_ID: 'wrong',
      SIGNALWIRE_API_TOKEN: 'wrong',
      SIGNALWIRE_API_BASE: 'http://127.0.0.1:9/',
    });
    expect(result.code).toBe(0);
    expect(rest.requests[0]?.authorization).toBe(BASIC);
  });

  it('reports 401 as bad project id or API token, exit 1, without a PUT', async () => {
    const result = await run(['number', 'bind', '+15551234567', '--url', AGENT_URL], { SIGNALWIRE_API_TOKEN: 'nope' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('bad project id or API token');
    expect(rest.requests.map((r) => r.method)).toEqual(['GET']);
    const json = await run(['number', 'bind', '+15551234567', '--url', AGENT_URL, '--json'], { SIGNALWIRE_API_TOKEN: 'nope' });
    expect(JSON.parse(json.stdout)).toMatchObject({ code: 'bad_credentials' });
  });

  it('reports a number the project does not own (exact match only)', async () => {
    const result = await run(['number', 'bind', '+15557654321', '--url', AGENT_URL, '--json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ code: 'number_not_found' });
    const byId = await run(['number', 'bind', '11111111-2222-4333-8444-555555555555', '--url', AGENT_URL]);
    expect(byId.code).toBe(1);
    expect(byId.stderr).toContain('not found');
    expect(rest.requests.some((r) => r.method === 'PUT')).toBe(false);
  });

  it('reports an unreachable API as a network error', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const result = await run(['number', 'bind', '+15551234567', '--url', AGENT_URL, '--json'], {
      SIGNALWIRE_API_BASE: `http://127.0.0.1:${port}/api/relay/rest`,
    });
    expect(result.code).toBe(1);
    const parsed = JSON.parse(result.stdout) as { code: string; error: string };
    expect(parsed.code).toBe('network_error');
    expect(parsed.error).toContain('ECONNREFUSED');
  });

  it('passes on the API message of an unexpected status', async () => {
    rest.failWith(500, { errors: [{ code: 'internal', message: 'Something broke upstream' }] });
    const result = await run(['number', 'show', '+15551234567']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('SignalWire API error 500');
    expect(result.stderr).toContain('Something broke upstream');
  });

  it.each([
    ['ftp://agent.example.com/', 'must start with https:// or http://'],
    ['agent.example.com/path', 'not an absolute URL'],
  ])('rejects --url %s with exit 2 before any request', async (url, message) => {
    const result = await run(['number', 'bind', '+15551234567', '--url', url]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(rest.requests).toHaveLength(0);
  });

  it('warns (stderr) when the URL has no credentials, is local, or plain http, and still binds', async () => {
    const result = await run(['number', 'bind', '+15551234567', '--url', 'http://localhost:3000/']);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('no user:pass@ credentials');
    expect(result.stderr).toContain('points at this machine (localhost)');
    expect(result.stderr).toContain('plain http');
    expect(rest.requests.at(-1)?.method).toBe('PUT');
  });

  it('names the missing credential and its env variable (exit 2)', async () => {
    const io = memoryIo({});
    expect(await runSignalwireAgent(['number', 'bind', '+15551234567', '--url', AGENT_URL, '--api-base', rest.apiBase], io)).toBe(2);
    expect(io.err.join('')).toContain('--project or set SIGNALWIRE_PROJECT_ID');
    const noSpace = memoryIo({ SIGNALWIRE_PROJECT_ID: PROJECT, SIGNALWIRE_API_TOKEN: TOKEN });
    expect(await runSignalwireAgent(['number', 'show', '+15551234567'], noSpace)).toBe(2);
    expect(noSpace.err.join('')).toContain('--space or set SIGNALWIRE_SPACE');
    expect(rest.requests).toHaveLength(0);
  });

  it('rejects a malformed number with exit 2', async () => {
    const result = await run(['number', 'bind', '555-1234', '--url', AGENT_URL]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('invalid number "555-1234"');
  });
});

describe('number show', () => {
  it('prints the number and where its calls go', async () => {
    const result = await run(['number', 'show', '+1 (555) 123-4567']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`+15551234567 "Main line" (id ${NUMBER_ID})`);
    expect(result.stdout).toContain('call_handler: laml_webhooks');
    expect(result.stdout).not.toContain('oldPass');
    expect(rest.requests.map((r) => r.method)).toEqual(['GET']);
  });
});

describe('signalwire-agent as a child process', () => {
  it('binds a number (env credentials) and exits 0', async () => {
    const result = await runCli(['number', 'bind', '+15551234567', '--url', AGENT_URL], {
      SIGNALWIRE_PROJECT_ID: PROJECT,
      SIGNALWIRE_API_TOKEN: TOKEN,
      SIGNALWIRE_API_BASE: rest.apiBase,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('bound; handler now:');
    expect(rest.requests.find((r) => r.method === 'PUT')?.body).toMatchObject({ call_relay_script_url: AGENT_URL });
  });

  it('shows a number and exits 1 with a clear message on a bad token', async () => {
    const shown = await runCli(['number', 'show', '+15551234567', '--json', '--project', PROJECT, '--token', TOKEN, '--api-base', rest.apiBase]);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id: NUMBER_ID, handler: { call_handler: 'laml_webhooks' } });
    const refused = await runCli(['number', 'show', '+15551234567', '--project', PROJECT, '--token', 'bad', '--api-base', rest.apiBase]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('error: bad project id or API token');
  });

  it('prints help with exit 0 and an unknown command with exit 2', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('test-call');
    const unknown = await runCli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
  });
});
