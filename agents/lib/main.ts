/** What every example agent does when run directly: detect "run as main", and print how to reach it. */
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** True when the module at `moduleUrl` is the entry script (`tsx agents/x.ts`), not an import (swaig-test, tests). */
export function isMainModule(moduleUrl: string): boolean {
  const entry = process.argv[1];
  if (!entry || process.env.SWAIG_CLI_MODE) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(moduleUrl));
  } catch {
    return false;
  }
}

/** `url` with Basic credentials embedded (percent-encoded), the form SignalWire needs for a SWML URL. */
export function withCredentials(url: string, credentials: { user: string; password: string }): string {
  const withAuth = new URL(url);
  withAuth.username = encodeURIComponent(credentials.user);
  withAuth.password = encodeURIComponent(credentials.password);
  return withAuth.toString();
}

/** Prints `<name> is ready. SWML URL: <url>` and what to try next. */
export function announce(name: string, swmlUrl: string, tryNext: string[]): void {
  process.stdout.write([``, `${name} is ready. SWML URL: ${swmlUrl}`, '', 'Try:', ...tryNext.map((t) => `  ${t}`), ''].join('\n'));
}
