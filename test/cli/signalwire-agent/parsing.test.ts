import { describe, expect, it } from 'vitest';
import { checkAgentUrl } from '../../../src/cli/signalwire-agent/agent-url.js';
import { normalizeSpace, resolveRelayTarget, resolveRestTarget } from '../../../src/cli/signalwire-agent/credentials.js';
import { parseNumberRef } from '../../../src/cli/signalwire-agent/phone-number-id.js';

describe('resolveRestTarget', () => {
  const env = { SIGNALWIRE_PROJECT_ID: 'p', SIGNALWIRE_API_TOKEN: 't' };

  it('builds the base URL from the space in any of its spellings', () => {
    for (const space of ['example', 'example.signalwire.com', 'https://example.signalwire.com/']) {
      expect(resolveRestTarget({ space }, env).apiBase).toBe('https://example.signalwire.com/api/relay/rest');
    }
    expect(resolveRestTarget({}, { ...env, SIGNALWIRE_SPACE: 'other' }).apiBase).toBe('https://other.signalwire.com/api/relay/rest');
  });

  it('lets --api-base win and drops its trailing slash', () => {
    expect(resolveRestTarget({ space: 'x', apiBase: 'http://127.0.0.1:9/api/relay/rest/' }, env).apiBase).toBe('http://127.0.0.1:9/api/relay/rest');
  });

  it('refuses a bad space or api base with a usage error naming it', () => {
    expect(() => normalizeSpace('bad space')).toThrow(/invalid space/);
    expect(() => resolveRestTarget({ apiBase: 'ftp://x' }, env)).toThrow(/--api-base/);
    expect(() => resolveRestTarget({ space: 'x' }, { SIGNALWIRE_PROJECT_ID: 'p' })).toThrow(/SIGNALWIRE_API_TOKEN/);
  });

  it('reads the RELAY host from the flag, then SIGNALWIRE_RELAY_HOST, else leaves it to the SDK', () => {
    expect(resolveRelayTarget({ relayHost: 'ws://127.0.0.1:1' }, env).host).toBe('ws://127.0.0.1:1');
    expect(resolveRelayTarget({}, { ...env, SIGNALWIRE_RELAY_HOST: 'relay.example' }).host).toBe('relay.example');
    expect(resolveRelayTarget({}, env)).toEqual({ project: 'p', token: 't' });
  });
});

describe('parseNumberRef', () => {
  it('accepts E.164 (pasted punctuation dropped) and ids', () => {
    expect(parseNumberRef('+1 (555) 123-4567')).toEqual({ kind: 'number', number: '+15551234567' });
    expect(parseNumberRef('3F2C6B7E-1A2B-4C3D-8E9F-0A1B2C3D4E5F')).toEqual({ kind: 'id', id: '3f2c6b7e-1a2b-4c3d-8e9f-0a1b2c3d4e5f' });
  });

  it.each(['15551234567', '+0551234567', '+1555', 'abc'])('refuses %s', (value) => {
    expect(() => parseNumberRef(value)).toThrow(/invalid number/);
  });
});

describe('checkAgentUrl', () => {
  it('accepts an https URL with credentials without warnings and redacts it for display', () => {
    expect(checkAgentUrl(' https://u:pw@agent.example.com/a ')).toEqual({
      url: 'https://u:pw@agent.example.com/a',
      display: 'https://u:****@agent.example.com/a',
      warnings: [],
    });
  });

  it.each(['http://u:p@127.0.0.1:3000/', 'https://u:p@[::1]/', 'https://u:p@0.0.0.0/', 'https://u:p@dev.localhost/'])(
    'warns that %s is this machine',
    (url) => {
      expect(checkAgentUrl(url).warnings.join('\n')).toContain('points at this machine');
    },
  );

  it('warns about private addresses and missing credentials', () => {
    expect(checkAgentUrl('https://u:p@192.168.1.20/').warnings.join('\n')).toContain('private network');
    expect(checkAgentUrl('https://agent.example.com/').warnings.join('\n')).toContain('no user:pass@');
  });

  it('names the flag when refusing', () => {
    expect(() => checkAgentUrl('mailto:x@y')).toThrow(/invalid --url/);
  });
});
