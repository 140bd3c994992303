/**
 * A missing config file is created, as the reference gateway does: copied from `sample_config.json` (beside the
 * config file, else in the current directory), or else written from a minimal default. Unlike the reference, a
 * created file never holds a guessable secret: a weak default password or token (`changeme`, `admin`, …, or
 * anything under 16 characters) is replaced by a random one, keeping any `${VAR|…}` so the environment still wins.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError } from '../errors.js';

/** What {@link createConfigIfMissing} did. */
export interface CreatedConfig {
  path: string;
  /** The sample it was copied from; undefined when the minimal default was written. */
  from?: string;
  /** Fields whose weak default secret was replaced by a random one (e.g. `server.auth_password`). */
  replaced: string[];
}

const WEAK_SECRETS = new Set([
  'changeme',
  'change-me',
  'change_me',
  'password',
  'admin',
  'secret',
  'optional-bearer-token',
  'your-token-here',
  'token',
  'test',
]);
const MIN_SECRET_LENGTH = 16;
const SUBSTITUTION = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\|(.*)\}$/s;

/** The reference's minimal default, without its Python test service (it cannot run here). */
function minimalConfig(): Record<string, unknown> {
  return {
    server: { host: '0.0.0.0', port: 8080, auth_user: 'admin', auth_password: 'changeme' },
    services: {},
    session: { default_timeout: 300, max_sessions_per_service: 100, cleanup_interval: 60 },
    rate_limiting: {
      default_limits: ['200 per day', '50 per hour'],
      tools_limit: '30 per minute',
      call_limit: '10 per minute',
      session_delete_limit: '20 per minute',
      storage_uri: 'memory://',
    },
    logging: { level: 'INFO' },
  };
}

const randomSecret = (): string => randomBytes(24).toString('base64url');

const isWeak = (secret: string): boolean => WEAK_SECRETS.has(secret.toLowerCase()) || secret.length < MIN_SECRET_LENGTH;

/**
 * A strong replacement for `value` when its effective default is weak, else undefined. An empty token stays
 * empty (it means "no bearer auth"); an empty password is weak.
 */
function strengthen(value: unknown, emptyMeansOff: boolean): string | undefined {
  if (typeof value !== 'string') return undefined;
  const sub = SUBSTITUTION.exec(value);
  const fallback = sub ? (sub[2] as string) : value;
  if (fallback === '' && emptyMeansOff) return undefined;
  if (!isWeak(fallback)) return undefined;
  return sub ? `\${${sub[1] as string}|${randomSecret()}}` : randomSecret();
}

function secureSecrets(config: Record<string, unknown>): string[] {
  const server = config.server;
  if (typeof server !== 'object' || server === null || Array.isArray(server)) return [];
  const fields = server as Record<string, unknown>;
  const replaced: string[] = [];
  for (const [key, emptyMeansOff] of [
    ['auth_password', false],
    ['auth_token', true],
  ] as const) {
    if (!(key in fields)) continue;
    const stronger = strengthen(fields[key], emptyMeansOff);
    if (stronger === undefined) continue;
    fields[key] = stronger;
    replaced.push(`server.${key}`);
  }
  return replaced;
}

function readSample(file: string): Record<string, unknown> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`cannot use ${file} to create the missing config: ${(err as Error).message}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(`${file} is not a JSON object`);
  return raw as Record<string, unknown>;
}

/**
 * Creates `path` when it does not exist (mode 0600: it holds credentials). Returns undefined when the file
 * already exists. @throws ConfigError when the sample is unreadable or the file cannot be written
 */
export function createConfigIfMissing(path: string, cwd: string = process.cwd()): CreatedConfig | undefined {
  const file = resolve(path);
  if (existsSync(file)) return undefined;
  const samples = [...new Set([join(dirname(file), 'sample_config.json'), resolve(cwd, 'sample_config.json')])];
  const from = samples.find((sample) => existsSync(sample));
  const config = from === undefined ? minimalConfig() : readSample(from);
  const replaced = secureSecrets(config);
  try {
    writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    throw new ConfigError(`config file ${file} is missing and cannot be created: ${(err as Error).message}`);
  }
  return { path: file, ...(from === undefined ? {} : { from }), replaced };
}
