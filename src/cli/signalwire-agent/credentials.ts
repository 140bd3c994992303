import { UsageError } from '../shared/cli-error.js';

/** Options shared by every command that talks to SignalWire, as commander hands them over. */
export interface CredentialOptions {
  project?: string;
  token?: string;
}

/** Options of the REST commands (`number …`). */
export interface RestOptions extends CredentialOptions {
  space?: string;
  apiBase?: string;
}

/** Where and as whom REST requests go. */
export interface RestTarget {
  /** e.g. `https://example.signalwire.com/api/relay/rest`, without a trailing slash. */
  apiBase: string;
  project: string;
  token: string;
}

/** Where and as whom the RELAY (WebSocket) client connects. */
export interface RelayTarget {
  project: string;
  token: string;
  /** `ws://` / `wss://` URL or bare host; undefined = the package default (relay.signalwire.com). */
  host?: string;
}

function pick(flag: string | undefined, env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = flag ?? env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function requireCredentials(opts: CredentialOptions, env: NodeJS.ProcessEnv): { project: string; token: string } {
  const project = pick(opts.project, env, 'SIGNALWIRE_PROJECT_ID');
  if (!project) throw new UsageError('missing project id: pass --project or set SIGNALWIRE_PROJECT_ID', 'missing_project');
  const token = pick(opts.token, env, 'SIGNALWIRE_API_TOKEN');
  if (!token) throw new UsageError('missing API token: pass --token or set SIGNALWIRE_API_TOKEN', 'missing_token');
  return { project, token };
}

/**
 * Accepts `example`, `example.signalwire.com` or `https://example.signalwire.com/` and returns `example`.
 * @throws UsageError when what remains is not a valid space name
 */
export function normalizeSpace(raw: string): string {
  const space = raw
    .replace(/^https?:\/\//i, '')
    .replace(/\/.*$/, '')
    .replace(/\.signalwire\.com$/i, '');
  if (!/^[a-z0-9][a-z0-9-]*$/i.test(space)) {
    throw new UsageError(`invalid space "${raw}": expected the NAME of NAME.signalwire.com`, 'invalid_space');
  }
  return space;
}

function normalizeApiBase(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`invalid --api-base "${raw}": not a URL`, 'invalid_api_base');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`invalid --api-base "${raw}": must be http or https`, 'invalid_api_base');
  }
  return url.toString().replace(/\/+$/, '');
}

/**
 * Resolves the REST endpoint and credentials from flags, then env (`SIGNALWIRE_SPACE`, `SIGNALWIRE_PROJECT_ID`,
 * `SIGNALWIRE_API_TOKEN`, `SIGNALWIRE_API_BASE`). `--api-base` wins over the space-derived
 * `https://{space}.signalwire.com/api/relay/rest`.
 * @throws UsageError naming the missing flag and its env variable
 */
export function resolveRestTarget(opts: RestOptions, env: NodeJS.ProcessEnv): RestTarget {
  const { project, token } = requireCredentials(opts, env);
  const apiBase = pick(opts.apiBase, env, 'SIGNALWIRE_API_BASE');
  if (apiBase) return { apiBase: normalizeApiBase(apiBase), project, token };
  const space = pick(opts.space, env, 'SIGNALWIRE_SPACE');
  if (!space) throw new UsageError('missing space: pass --space or set SIGNALWIRE_SPACE', 'missing_space');
  return { apiBase: `https://${normalizeSpace(space)}.signalwire.com/api/relay/rest`, project, token };
}

/**
 * Resolves RELAY credentials and host from flags, then env (`SIGNALWIRE_RELAY_HOST` for the host).
 * @throws UsageError naming the missing flag and its env variable
 */
export function resolveRelayTarget(opts: CredentialOptions & { relayHost?: string }, env: NodeJS.ProcessEnv): RelayTarget {
  const { project, token } = requireCredentials(opts, env);
  const host = pick(opts.relayHost, env, 'SIGNALWIRE_RELAY_HOST');
  return host ? { project, token, host } : { project, token };
}
