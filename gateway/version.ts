/** The gateway's version for `/health`: the package version (the reference reports its own, "1.0.0"). */
import { readFileSync } from 'node:fs';

function readVersion(): string {
  // Same relative path from gateway/version.ts and from the bundle in dist/.
  try {
    const raw = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
    const version = (JSON.parse(raw) as { version?: unknown }).version;
    return typeof version === 'string' ? version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Read once at start-up. */
export const GATEWAY_VERSION = readVersion();
