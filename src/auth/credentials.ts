import { randomBytes } from 'node:crypto';

/** Basic-auth credentials the agent accepts and embeds in its webhook URLs. */
export interface BasicCredentials {
  user: string;
  password: string;
  /** Where they came from; `generated` passwords are random per process and printed once by `serve()`. */
  source: 'options' | 'environment' | 'generated';
}

/** Default user when none is configured. */
export const DEFAULT_AUTH_USER = 'signalwire';

/**
 * Resolves credentials: explicit options → env `SWML_BASIC_AUTH_USER` + `SWML_BASIC_AUTH_PASSWORD` →
 * user from env or `signalwire` with a random 32-byte base64url password.
 */
export function resolveCredentials(explicit: { user: string; password: string } | undefined, env: NodeJS.ProcessEnv = process.env): BasicCredentials {
  if (explicit) return { user: explicit.user, password: explicit.password, source: 'options' };
  const user = env.SWML_BASIC_AUTH_USER?.trim();
  const password = env.SWML_BASIC_AUTH_PASSWORD;
  if (user && password) return { user, password, source: 'environment' };
  return { user: user || DEFAULT_AUTH_USER, password: randomBytes(32).toString('base64url'), source: 'generated' };
}
