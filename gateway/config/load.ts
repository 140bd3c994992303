/** Reads, substitutes, validates and resolves a gateway config. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { firstZodProblem } from '../zod-issue.js';
import { gatewayConfigSchema, type GatewayConfig } from './schema.js';
import { substituteEnv } from './substitute.js';
import { unknownKeyWarnings } from './unknown-keys.js';

/** Options of {@link parseGatewayConfig}. */
export interface ParseConfigOptions {
  /** Variables for `${VAR|default}`; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Folder that relative paths (command, working_dir, sandbox_dir, log file) are resolved against; default cwd. */
  baseDir?: string;
  /** Told about each unknown key (ignored, e.g. a typo); default: none for objects, stderr for files. */
  onWarning?: (message: string) => void;
}

/** Where {@link loadGatewayConfig} reports warnings by default: stderr, as the CLI's other messages. */
const warnOnStderr = (message: string): void => void process.stderr.write(`mcp-gateway: warning: ${message}\n`);

/**
 * Validates a raw config object (as parsed from JSON). Throws {@link ConfigError} naming the first bad
 * field, e.g. `services.todo.command: ...`.
 */
export function parseGatewayConfig(raw: unknown, opts: ParseConfigOptions = {}): GatewayConfig {
  const substituted = substituteEnv(raw, opts.env ?? process.env);
  const result = gatewayConfigSchema.safeParse(substituted);
  if (!result.success) throw toConfigError(result.error);
  for (const warning of unknownKeyWarnings(raw)) opts.onWarning?.(warning);
  return resolvePaths(result.data, resolve(opts.baseDir ?? process.cwd()));
}

/**
 * Loads a config file. Variables come from `env` (default `process.env`) over a `.env` file next to the
 * config file and one in the current directory. Relative paths resolve against the config file's folder.
 * Unknown keys are reported to `onWarning` (default: stderr) by their dotted path.
 */
export function loadGatewayConfig(path: string, env: NodeJS.ProcessEnv = process.env, onWarning: (message: string) => void = warnOnStderr): GatewayConfig {
  const file = resolve(path);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${file}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`config file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  const baseDir = dirname(file);
  const config = parseGatewayConfig(raw, { env: { ...readDotenv(process.cwd()), ...readDotenv(baseDir), ...env }, baseDir, onWarning });
  const hidden = [...config.session.hide_paths, file, resolve(process.cwd(), '.env')];
  return withDefaultCertificate({ ...config, session: { ...config.session, hide_paths: [...new Set(hidden)] } }, baseDir);
}

/** The seed's convention: a `certs/server.pem` (key + certificate) next to the config file turns HTTPS on. */
function withDefaultCertificate(config: GatewayConfig, baseDir: string): GatewayConfig {
  const pem = resolve(baseDir, 'certs/server.pem');
  if (config.server.cert_file !== undefined || !existsSync(pem)) return config;
  return { ...config, server: { ...config.server, cert_file: pem, key_file: pem } };
}

function readDotenv(dir: string): Record<string, string> {
  const file = resolve(dir, '.env');
  return existsSync(file) ? parseDotenv(readFileSync(file)) : {};
}

function toConfigError(error: z.ZodError): ConfigError {
  const { field, message } = firstZodProblem(error);
  return new ConfigError(message, field);
}

function resolvePaths(config: GatewayConfig, baseDir: string): GatewayConfig {
  const services = Object.fromEntries(
    Object.entries(config.services).map(([name, svc]) => {
      const [cmd, ...rest] = svc.command;
      // A relative command path ("./server.py") is meant relative to the config file; bare names use PATH.
      const command = cmd !== undefined && !isAbsolute(cmd) && cmd.includes('/') ? [resolve(baseDir, cmd), ...rest] : svc.command;
      const workingDir = resolve(baseDir, svc.sandbox.working_dir ?? '.');
      const allowed = svc.sandbox.allowed_paths?.map((p) => resolve(baseDir, p));
      const readonly = svc.sandbox.readonly_paths.map((p) => resolve(baseDir, p));
      const sandbox = { ...svc.sandbox, working_dir: workingDir, allowed_paths: allowed, readonly_paths: readonly };
      return [name, { ...svc, command, sandbox }];
    }),
  );
  const certFile = config.server.cert_file === undefined ? undefined : resolve(baseDir, config.server.cert_file);
  if (config.server.key_file !== undefined && certFile === undefined) {
    throw new ConfigError('key_file needs cert_file', 'server.key_file');
  }
  const keyFile = config.server.key_file === undefined ? certFile : resolve(baseDir, config.server.key_file);
  return {
    ...config,
    server: { ...config.server, cert_file: certFile, key_file: keyFile },
    services,
    session: {
      ...config.session,
      sandbox_dir: resolve(baseDir, config.session.sandbox_dir),
      // Secrets next to the config are never shown to a server (the config file itself is added on load).
      hide_paths: [...config.session.hide_paths.map((p) => resolve(baseDir, p)), resolve(baseDir, '.env')],
    },
    logging: { ...config.logging, file: config.logging.file === undefined ? undefined : resolve(baseDir, config.logging.file) },
  };
}
