import { describe, expect, it } from 'vitest';
import { CliError, UsageError } from '../../../src/cli/shared/cli-error.js';
import { redactUrl, redactUrls } from '../../../src/cli/shared/redact.js';
import { withTimeout } from '../../../src/cli/shared/with-timeout.js';

describe('redactUrl', () => {
  it('masks only the password', () => {
    expect(redactUrl('https://user:secret@host.example/route?x=1')).toBe('https://user:****@host.example/route?x=1');
    expect(redactUrl('https://host.example/route')).toBe('https://host.example/route');
    expect(redactUrl('not a url')).toBe('not a url');
  });

  it('walks objects and arrays', () => {
    expect(redactUrls({ a: ['https://u:p@h/'], b: { c: 'https://u:p@h/x' }, n: 1, z: null })).toEqual({
      a: ['https://u:****@h/'],
      b: { c: 'https://u:****@h/x' },
      n: 1,
      z: null,
    });
  });
});

describe('withTimeout', () => {
  it('passes the value through when the promise settles first', async () => {
    await expect(withTimeout(Promise.resolve(7), 10_000, () => new Error('late'))).resolves.toBe(7);
  });

  it('rejects with the given error when the promise never settles', async () => {
    await expect(withTimeout(new Promise(() => undefined), 5, () => new Error('too slow'))).rejects.toThrow('too slow');
  });
});

describe('CliError', () => {
  it('carries a code and an exit status; usage errors exit 2', () => {
    expect(new CliError('x', 'some_code').toJSON()).toEqual({ error: 'x', code: 'some_code' });
    expect(new CliError('x', 'some_code').exitCode).toBe(1);
    expect(new UsageError('y', 'bad_flag').exitCode).toBe(2);
  });
});
