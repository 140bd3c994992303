/**
 * Turns the parsed command line into what a run uses: the request shape, the call identity, the agent's
 * environment (`--env`, `--env-file`), and the refusal of serverless simulation (this framework serves HTTP only).
 */
import { readFileSync } from 'node:fs';
import { parse as parseDotenv } from 'dotenv';
import { UsageError } from '../shared/cli-error.js';
import type { CallIdentityOptions, CallType } from './payloads.js';
import { parseJsonObject, parseOverride, splitKeyValue, type Preset, type RequestShape } from './request-shape.js';

/** The command-line options this module reads (commander's camelCase names). */
export interface ShapeOptions {
  minimal?: boolean;
  fakeFullData?: boolean;
  customData?: string;
  userVars?: string;
  queryParams?: string;
  header?: string[];
  override?: string[];
  overrideJson?: string[];
  /** Default POST. */
  method?: 'GET' | 'POST';
  body?: string;
}

/** Call identity options (commander's names). */
export interface IdentityFlags {
  callId?: string;
  callerName?: string;
  callerNumber?: string;
  fromNumber?: string;
  toExtension?: string;
  projectId?: string;
  spaceId?: string;
  callType: CallType;
  callDirection: 'inbound' | 'outbound';
  callState: string;
}

/** Environment options (commander's names). */
export interface EnvFlags {
  env?: string[];
  envFile?: string;
}

/** Serverless flags of the Python CLI, by commander name → flag. */
export const SERVERLESS_FLAGS = {
  simulateServerless: '--simulate-serverless',
  awsFunctionName: '--aws-function-name',
  awsFunctionUrl: '--aws-function-url',
  awsRegion: '--aws-region',
  awsApiGatewayId: '--aws-api-gateway-id',
  awsStage: '--aws-stage',
  cgiHost: '--cgi-host',
  cgiScriptName: '--cgi-script-name',
  cgiHttps: '--cgi-https',
  cgiPathInfo: '--cgi-path-info',
  gcpProject: '--gcp-project',
  gcpFunctionUrl: '--gcp-function-url',
  gcpRegion: '--gcp-region',
  gcpService: '--gcp-service',
  azureEnv: '--azure-env',
  azureFunctionUrl: '--azure-function-url',
} as const;

/** The serverless options as commander parses them (all refused). */
export type ServerlessFlags = Partial<Record<keyof typeof SERVERLESS_FLAGS, unknown>>;

/**
 * This framework serves agents as an HTTP server (Express) only: no Lambda, CGI, Cloud Functions or Azure
 * adapter exists to simulate, so any serverless flag is a usage error that says so.
 */
export function rejectServerless(opts: ServerlessFlags): void {
  const first = (Object.keys(SERVERLESS_FLAGS) as Array<keyof typeof SERVERLESS_FLAGS>).find((key) => opts[key] !== undefined);
  if (first === undefined) return;
  const platform = first === 'simulateServerless' && typeof opts.simulateServerless === 'string' ? ` ${opts.simulateServerless}` : '';
  const flag = `${SERVERLESS_FLAGS[first]}${platform}`;
  throw new UsageError(
    `not supported: ${flag}: this framework serves agents as an HTTP server only (no Lambda, CGI, Cloud Functions or ` +
      'Azure Functions adapter), so there is no serverless mode to simulate; test the agent file as it is, or a deployed agent with --url',
    'not_supported',
  );
}

/** The request shape from the flags; JSON and KEY=VALUE mistakes are usage errors naming the flag. */
export function requestShapeFrom(opts: ShapeOptions): RequestShape {
  if (opts.minimal && opts.fakeFullData) throw new UsageError('choose one of --minimal and --fake-full-data', 'conflicting_options');
  const preset: Preset = opts.minimal ? 'minimal' : opts.fakeFullData ? 'full' : 'platform';
  const query = opts.queryParams === undefined ? undefined : parseJsonObject('--query-params', opts.queryParams);
  const userVars = opts.userVars === undefined ? undefined : parseJsonObject('--user-vars', opts.userVars);
  // As the Python SDK: query params are also user variables (they win over --user-vars keys).
  const userVariables = userVars || query ? { ...userVars, ...query } : undefined;
  if (opts.body !== undefined && opts.method === 'GET') throw new UsageError('--body goes with --method POST (a GET has no body)', 'conflicting_options');
  const headers: Record<string, string> = {};
  for (const text of opts.header ?? []) {
    const [name, value] = splitKeyValue('--header', text, 'Name=value (e.g. --header "X-Customer-ID=12345")');
    headers[name.trim()] = value.trim();
  }
  return {
    preset,
    customData: opts.customData === undefined ? undefined : parseJsonObject('--custom-data', opts.customData),
    userVariables,
    queryParams: Object.fromEntries(Object.entries(query ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])),
    headers,
    overrides: [...(opts.override ?? []).map((o) => parseOverride(o, false)), ...(opts.overrideJson ?? []).map((o) => parseOverride(o, true))],
    swmlMethod: opts.method ?? 'POST',
    swmlBody: opts.body === undefined ? undefined : parseJsonObject('--body', opts.body),
  };
}

/** The call identity options; `--from-number` is the Python name of `--caller-number`. */
export function identityOptionsFrom(opts: IdentityFlags): CallIdentityOptions {
  if (opts.fromNumber !== undefined && opts.callerNumber !== undefined && opts.fromNumber !== opts.callerNumber) {
    throw new UsageError('--from-number and --caller-number name the same thing; give one', 'conflicting_options');
  }
  return {
    callId: opts.callId,
    callerName: opts.callerName,
    callerNumber: opts.fromNumber ?? opts.callerNumber,
    toNumber: opts.toExtension,
    projectId: opts.projectId,
    spaceId: opts.spaceId,
    callType: opts.callType,
    direction: opts.callDirection,
    callState: opts.callState,
  };
}

/**
 * The variables `--env-file` (dotenv format) and then `--env KEY=VALUE` set for the agent under test.
 * @throws UsageError `env_file_not_found` for a missing file, `invalid_key_value` for an `--env` without `=`
 */
export function environmentFrom(opts: EnvFlags): Record<string, string> {
  const vars: Record<string, string> = {};
  if (opts.envFile !== undefined) {
    let text: Buffer;
    try {
      text = readFileSync(opts.envFile);
    } catch (err) {
      const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message;
      throw new UsageError(`--env-file ${opts.envFile}: ${why}`, 'env_file_not_found');
    }
    Object.assign(vars, parseDotenv(text));
  }
  for (const text of opts.env ?? []) {
    const [key, value] = splitKeyValue('--env', text, 'KEY=VALUE (e.g. --env API_KEY=secret)');
    vars[key] = value;
  }
  return vars;
}
