import { errors, request } from 'undici';
import { CliError } from '../shared/cli-error.js';

/** Basic-auth credentials sent with a request. */
export interface Credentials {
  user: string;
  password: string;
}

/** One request/response pair, kept for --verbose and --raw output. */
export interface HttpExchange {
  method: 'GET' | 'POST';
  /** Target URL without credentials. */
  url: string;
  requestBody: unknown;
  status: number;
  /** Parsed JSON, or the text when the body is not JSON. */
  responseBody: unknown;
}

/** Reads `user:pass@` out of a URL (percent-decoded) and returns the URL without it. */
export function splitCredentials(url: URL): { url: URL; credentials?: Credentials } {
  const bare = new URL(url.href);
  bare.username = '';
  bare.password = '';
  if (!url.username && !url.password) return { url: bare };
  return { url: bare, credentials: { user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) } };
}

function basicHeader(credentials: Credentials): string {
  return `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`, 'utf8').toString('base64')}`;
}

function parseBody(text: string): unknown {
  if (text === '') return '';
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function transportError(url: URL, err: unknown, timeoutMs: number): CliError {
  if (err instanceof errors.HeadersTimeoutError || err instanceof errors.BodyTimeoutError || err instanceof errors.ConnectTimeoutError) {
    return new CliError(`no answer from ${url.href} within ${timeoutMs} ms (--timeout-ms)`, 'agent_timeout', 1, { cause: err });
  }
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const reason = e.cause?.code ?? e.code ?? e.cause?.message ?? e.message ?? String(err);
  return new CliError(`cannot reach ${url.href}: ${reason}`, 'agent_unreachable', 1, { cause: err });
}

/** Options of {@link sendJson}. */
export interface SendOptions {
  /** Default POST. A GET sends no body. */
  method?: 'GET' | 'POST';
  credentials?: Credentials | undefined;
  /** Extra headers (`--header`); an explicit `authorization` wins over `credentials`. */
  headers?: Record<string, string>;
  timeoutMs: number;
}

/**
 * Sends `body` as JSON (POST) or nothing (GET) and returns the exchange, whatever the status. Only transport
 * failures throw: CliError `agent_unreachable` (refused, DNS…) or `agent_timeout` (no headers/body within `timeoutMs`).
 */
export async function sendJson(url: URL, body: unknown, opts: SendOptions): Promise<HttpExchange> {
  const method = opts.method ?? 'POST';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method === 'POST') headers['content-type'] = 'application/json';
  if (opts.credentials) headers.authorization = basicHeader(opts.credentials);
  for (const [name, value] of Object.entries(opts.headers ?? {})) headers[name.toLowerCase()] = value;
  try {
    const response = await request(url, {
      method,
      headers,
      ...(method === 'POST' ? { body: JSON.stringify(body) } : {}),
      headersTimeout: opts.timeoutMs,
      bodyTimeout: opts.timeoutMs,
    });
    const text = await response.body.text();
    return { method, url: url.href, requestBody: method === 'POST' ? body : undefined, status: response.statusCode, responseBody: parseBody(text) };
  } catch (err) {
    throw transportError(url, err, opts.timeoutMs);
  }
}

/** The `error` text of our JSON error body (or the raw text) for a failed exchange. */
export function describeHttpFailure(exchange: HttpExchange): string {
  const body = exchange.responseBody;
  const detail =
    typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string'
      ? (body as { error: string; code?: string }).error
      : typeof body === 'string' && body !== ''
        ? body.slice(0, 200)
        : '';
  return `HTTP ${exchange.status}${detail ? `: ${detail}` : ''}`;
}
