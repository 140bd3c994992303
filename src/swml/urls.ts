import { AgentConfigError } from '../errors.js';

/** Inputs for choosing the public base URL the platform should call back on. */
export interface BaseUrlInput {
  /** `SWML_PROXY_URL_BASE`: wins over everything; may carry a path prefix. */
  proxyUrlBase?: string | undefined;
  /** Honour `X-Forwarded-Host` / `X-Forwarded-Proto` and `Forwarded` (env `SWML_TRUST_PROXY_HEADERS`, default true). */
  trustProxyHeaders: boolean;
  /** Request headers (lower-case keys, as Node gives them); absent outside a request. */
  headers?: Record<string, string | string[] | undefined>;
  /** Protocol the request arrived on (default `http`). */
  protocol?: string;
  /** Configured listen host and port, used when no request header says better. */
  host: string;
  port: number;
}

const HOST_PATTERN = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;
const LOCAL_HOSTS = new Set(['0.0.0.0', '127.0.0.1', '::', '[::]', '::1', '[::1]', 'localhost']);

function firstHeader(v: string | string[] | undefined): string | undefined {
  const raw = Array.isArray(v) ? v[0] : v;
  const first = raw?.split(',')[0]?.trim();
  return first === '' ? undefined : first;
}

/**
 * `host` and `proto` of the first element of an RFC 7239 `Forwarded` header
 * (`for=1.2.3.4;host=agent.example.com;proto=https, for=…`); quoted values are unquoted.
 */
export function parseForwarded(value: string | string[] | undefined): { host?: string; proto?: string } {
  const raw = Array.isArray(value) ? value[0] : value;
  const first = raw?.split(',')[0] ?? '';
  const out: { host?: string; proto?: string } = {};
  for (const pair of first.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0) continue;
    const key = pair.slice(0, eq).trim().toLowerCase();
    const val = pair
      .slice(eq + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    if (val === '') continue;
    if (key === 'host') out.host = val;
    else if (key === 'proto') out.proto = val.toLowerCase();
  }
  return out;
}

function splitHostPort(hostPort: string): { host: string; port?: string } {
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    const rest = hostPort.slice(close + 1);
    return rest.startsWith(':') ? { host: hostPort.slice(0, close + 1), port: rest.slice(1) } : { host: hostPort };
  }
  if (hostPort.split(':').length > 2) return { host: `[${hostPort}]` }; // bare IPv6 literal
  const m = /^(.*):(\d+)$/.exec(hostPort);
  return m ? { host: m[1] ?? '', port: m[2] } : { host: hostPort };
}

/** Maps wildcard / loopback listen addresses to `localhost`, keeping any port; brackets bare IPv6. */
export function publicHost(hostPort: string): string {
  const { host, port } = splitHostPort(hostPort);
  const name = LOCAL_HOSTS.has(host) ? 'localhost' : host;
  return port === undefined ? name : `${name}:${port}`;
}

/** Validates a proxy base (AgentConfigError naming SWML_PROXY_URL_BASE) and drops credentials, query and hash. */
export function parseProxyBase(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AgentConfigError('invalid_config', `SWML_PROXY_URL_BASE is not a valid URL: '${value}'`, { field: 'SWML_PROXY_URL_BASE' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AgentConfigError('invalid_config', 'SWML_PROXY_URL_BASE must be an http(s) URL', { field: 'SWML_PROXY_URL_BASE' });
  }
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  return url;
}

/**
 * Public base URL (no credentials, no trailing slash): proxy base → trusted X-Forwarded-Host/Proto, else trusted
 * `Forwarded: host=…;proto=…` →
 * request Host header → configured host:port. Loopback/wildcard hosts become `localhost`.
 */
export function resolveBaseUrl(input: BaseUrlInput): string {
  if (input.proxyUrlBase) return parseProxyBase(input.proxyUrlBase).href.replace(/\/+$/, '');
  const headers = input.headers ?? {};
  const requestProto = input.protocol === 'https' ? 'https' : 'http';
  if (input.trustProxyHeaders) {
    // X-Forwarded-Host/-Proto first, then the standard Forwarded header (RFC 7239), both under the same trust gate.
    const forwarded = parseForwarded(headers.forwarded);
    const xHost = firstHeader(headers['x-forwarded-host']);
    const useX = xHost !== undefined && HOST_PATTERN.test(xHost);
    const fwdHost = useX ? xHost : forwarded.host;
    if (fwdHost && HOST_PATTERN.test(fwdHost)) {
      const fwdProto = useX ? firstHeader(headers['x-forwarded-proto'])?.toLowerCase() : forwarded.proto;
      const proto = fwdProto === 'http' || fwdProto === 'https' ? fwdProto : requestProto;
      return new URL(`${proto}://${publicHost(fwdHost)}`).href.replace(/\/+$/, '');
    }
  }
  const hostHeader = firstHeader(headers.host);
  if (hostHeader && HOST_PATTERN.test(hostHeader)) {
    return new URL(`${requestProto}://${publicHost(hostHeader)}`).href.replace(/\/+$/, '');
  }
  const host = publicHost(input.host);
  return new URL(`http://${host}:${input.port}`).href.replace(/\/+$/, '');
}

/**
 * `{base}{route}/{endpoint}?{query}` with Basic credentials percent-encoded into the userinfo (`user:pass@host`);
 * query parameters with empty values are left out.
 * @param route the agent route (`/` or `/sales`); kept even behind a proxy base.
 */
export function buildWebhookUrl(
  baseUrl: string,
  route: string,
  endpoint: string,
  credentials?: { user: string; password: string },
  query: Record<string, string> = {},
): string {
  const url = new URL(baseUrl);
  const prefix = url.pathname.replace(/\/+$/, '');
  const routePart = route === '/' ? '' : route.replace(/\/+$/, '');
  url.pathname = `${prefix}${routePart}/${endpoint}`;
  if (credentials) {
    url.username = encodeURIComponent(credentials.user);
    url.password = encodeURIComponent(credentials.password);
  }
  for (const [key, value] of Object.entries(query)) if (value !== '') url.searchParams.set(key, value);
  return url.href;
}
