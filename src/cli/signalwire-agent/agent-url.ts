import { UsageError } from '../shared/cli-error.js';
import { redactUrl } from '../shared/redact.js';

/** A checked agent URL and the non-fatal problems found in it. */
export interface CheckedAgentUrl {
  /** The URL exactly as the user typed it (trimmed): this is what SignalWire will fetch. */
  url: string;
  /** The same URL with the password masked, for printing. */
  display: string;
  /** Human-readable warnings (no credentials, unreachable host, plain http). */
  warnings: string[];
}

function isLoopbackOrUnspecified(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || host === '::' || host === '0.0.0.0' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function isPrivateIpv4(hostname: string): boolean {
  const parts = hostname.split('.').map(Number);
  if (parts.length !== 4 || parts.some((part) => !Number.isInteger(part))) return false;
  const [a = -1, b = -1] = parts;
  return a === 10 || (a === 192 && b === 168) || (a === 172 && b >= 16 && b <= 31);
}

/**
 * Validates the `--url` SignalWire should fetch SWML from. It must be an absolute http(s) URL.
 * Warns (does not fail) when it has no `user:pass@` credentials, points at this machine or a private
 * network (SignalWire cannot reach those), or uses plain http.
 * @throws UsageError (`invalid_url`) when the URL does not parse or is not http/https
 */
export function checkAgentUrl(raw: string): CheckedAgentUrl {
  const url = raw.trim();
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`invalid --url "${raw}": not an absolute URL (e.g. https://user:pass@agent.example.com/)`, 'invalid_url');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`invalid --url "${redactUrl(url)}": must start with https:// or http://`, 'invalid_url');
  }
  const warnings: string[] = [];
  if (!parsed.username || !parsed.password) {
    warnings.push("the URL has no user:pass@ credentials: anyone who finds it can fetch your agent's SWML");
  }
  if (isLoopbackOrUnspecified(parsed.hostname)) {
    warnings.push(`the URL points at this machine (${parsed.hostname}): SignalWire cannot reach it; expose the agent first (e.g. ngrok http PORT)`);
  } else if (isPrivateIpv4(parsed.hostname)) {
    warnings.push(`the URL points at a private network address (${parsed.hostname}): SignalWire cannot reach it`);
  }
  if (parsed.protocol === 'http:') {
    warnings.push('the URL uses plain http: credentials and call data travel unencrypted; prefer https');
  }
  return { url, display: redactUrl(url), warnings };
}
