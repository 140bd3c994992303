/** Hostile values shared by the gateway and agent fuzzers. */
import type { Random } from './random.js';

/** Strings that have broken parsers, routers, loggers and key builders elsewhere. */
export const ODD_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\n',
  '\r\nX-Injected: 1',
  '../../etc/passwd',
  '..\\..\\windows',
  '%2e%2e%2f',
  '%00',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '${jndi:ldap://x}',
  '{{7*7}}',
  "'; DROP TABLE x;--",
  '<script>alert(1)</script>',
  '\u202eevil',
  '\u200b',
  '\ufeff',
  '\ud800',
  'ｔｏｄｏ',
  '😀'.repeat(40),
  'Ω≈ç√',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e309',
  'a'.repeat(129),
  'a'.repeat(65),
  'x'.repeat(5000),
  'tools-probe',
  '.',
  '..',
  '-',
  '_',
];

/** encodeURIComponent that survives lone surrogates (they become %EF%BF%BD, as a browser would send). */
export function encode(value: unknown): string {
  // Lone surrogates make encodeURIComponent throw; replace them with U+FFFD first.
  return encodeURIComponent(String(value).replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));
}

/** JSON values of every type, some of them extreme. */
export function oddValue(r: Random, depth = 0): unknown {
  switch (r.int(depth > 2 ? 9 : 12)) {
    case 0:
      return null;
    case 1:
      return r.pick([true, false]);
    case 2:
      return r.pick([0, -1, 1.5, 2 ** 53 + 1, -(2 ** 63), 1e308, Number.MIN_VALUE, 86_401, 0.0001]);
    case 3:
      return r.pick(ODD_STRINGS);
    case 4:
      return r.string(r.int(40), 'abcXYZ019._-/%\\ \u00e9\u4e2d');
    case 5:
      return '';
    case 6:
      return r.int(100000);
    case 7:
      return 'todo';
    case 8:
      return r.pick(['ping', 'echo', 'add_todo', 'get_weather']);
    case 9:
      return Array.from({ length: r.int(4) }, () => oddValue(r, depth + 1));
    case 10:
      return Object.fromEntries(Array.from({ length: r.int(4) }, () => [r.pick(['__proto__', 'constructor', 'a', 'text', 'id', '']), oddValue(r, depth + 1)]));
    default:
      return { nested: oddValue(r, depth + 1) };
  }
}

/** Raw bodies that are not valid JSON (or are JSON of the wrong shape). */
export function badJson(r: Random): string {
  return r.pick([
    '{',
    '}',
    '{"tool":',
    '{"tool":"ping",}',
    "{'tool':'ping'}",
    'null',
    'true',
    '42',
    '"str"',
    '[]',
    '[1,2,3]',
    '{"a":NaN}',
    '{"a":Infinity}',
    '{"a":1e999999}',
    '\ufeff{"tool":"ping"}',
    '{"tool":"ping"}garbage',
    '{"__proto__":{"polluted":true}}',
    `${'['.repeat(5000)}${']'.repeat(5000)}`,
    `{"a":${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}}`,
    '{"tool":"\\ud800"}',
    '{"tool":"\\u0000"}',
    '\u0000\u0001\u0002',
    '',
    ' ',
    'tool=ping&session_id=x',
    '<xml/>',
    '{"session_id":"a","session_id":"b"}',
    `{"tool":"${'x'.repeat(100_000)}"}`,
    '{"arguments":{"text":"' + '\\n'.repeat(1000) + '"}}',
  ]);
}

/** Content types, including wrong and odd ones. */
export function contentType(r: Random): string | undefined {
  return r.pick([
    undefined,
    'application/json',
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=utf-16',
    'application/json; charset=latin1',
    'application/json; charset=bogus',
    'text/plain',
    'text/html',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    'application/xml',
    'application/merge-patch+json',
    'application/vnd.api+json',
    '*/*',
    'application/json, text/plain',
    'APPLICATION/JSON',
    'application/jsonp',
    'application',
    ';;;',
    'x'.repeat(300),
  ]);
}

/** Authorization headers: right, wrong, malformed. `good` is the right one. */
export function authHeader(r: Random, good: string, basicUser: string): string | undefined {
  // Mostly the right credential, so the requests get past auth and reach the routes.
  if (r.chance(0.7)) return good;
  return r.pick([
    good,
    good,
    good,
    good,
    undefined,
    '',
    'Bearer',
    'Bearer ',
    'Bearer wrong',
    `Bearer ${'x'.repeat(4000)}`,
    'Basic',
    'Basic !!!!',
    'Basic ' + Buffer.from('no-colon').toString('base64'),
    'Basic ' + Buffer.from(`${basicUser}:wrong`).toString('base64'),
    'Basic ' + Buffer.from(':').toString('base64'),
    'Basic ' + Buffer.from('\u0000:\u0000').toString('base64'),
    'Digest username="x"',
    'Negotiate abc',
    good.toLowerCase(),
    good.toUpperCase(),
    `${good} extra`,
    'bearer\tX',
    '\u00ff\u00fe',
  ]);
}

/** Extra headers: oversized (under Node's 16 KB limit), many, odd encodings. */
export function extraHeaders(r: Random): Record<string, string> {
  switch (r.int(8)) {
    case 0:
      return { 'x-junk': 'j'.repeat(12_000) };
    case 1:
      return Object.fromEntries(Array.from({ length: 90 }, (_, i) => [`x-h${i}`, String(i)]));
    case 2:
      return { 'content-encoding': r.pick(['gzip', 'deflate', 'br', 'x-unknown', 'identity']) };
    case 3:
      return { 'x-forwarded-for': r.pick(['1.2.3.4', 'not-an-ip', '::1, 10.0.0.1', '']), 'x-forwarded-proto': r.pick(['https', 'gopher']) };
    case 4:
      return { accept: r.pick(['text/html', 'application/xml', '*/*', '']), 'accept-charset': 'utf-7' };
    case 5:
      return { 'transfer-encoding': 'chunked' };
    case 6:
      return { expect: '100-continue' };
    default:
      return {};
  }
}

/** Methods llhttp accepts, well-known and odd. */
export const METHODS = [
  'GET',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
  'HEAD',
  'TRACE',
  'PROPFIND',
  'MKCOL',
  'LOCK',
  'PURGE',
  'SEARCH',
  'REPORT',
  'COPY',
  'MOVE',
];
