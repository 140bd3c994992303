import { z } from 'zod';
import { AgentConfigError } from '../errors.js';
import { compileArgumentCheck, type ArgumentCheck } from '../swaig/argument-check.js';
import { firstZodProblem } from '../zod-issue.js';
import type { SwaigRequest } from '../swaig/request.js';
import { FUNCTION_NAME_PATTERN } from '../swaig/request.js';
import { swmlSchemaPart } from '../swml/schema-validator.js';
import { checkToolProperties } from './parameter-rules.js';
import type { SwaigResponse, SwaigResult } from '../swaig/result.js';

/** What a handler may return: a result builder, plain text, an already-built reply, or nothing. */
export type ToolReturn = SwaigResult | SwaigResponse | string | void | undefined | null;

/** A SWAIG tool handler: `args` are the model's arguments, `request` the full platform envelope. */
export type ToolHandler = (args: Record<string, unknown>, request: SwaigRequest) => ToolReturn | Promise<ToolReturn>;

/** Parameters in the form the SWML schema accepts: `{type:'object', properties, required?}`. */
export interface ToolParameters {
  type: 'object';
  properties: Record<string, unknown>;
  required?: string[];
}

/** Extra SWML function keys a tool may set (the schema's list; anything else is rejected at define time). */
export interface SwaigFields {
  active?: boolean | string;
  meta_data?: Record<string, unknown>;
  meta_data_token?: string;
  skip_fillers?: boolean | string;
  wait_file?: string;
  wait_file_loops?: number | string;
  wait_for_fillers?: boolean | string;
  fillers?: Record<string, string[]>;
}

/** Options of `agent.defineTool({...})`. */
export interface ToolDefinition {
  name: string;
  description: string;
  /** JSON-Schema object `{type:'object', properties, required?}`; default: no parameters. */
  parameters?: ToolParameters | Record<string, unknown>;
  /** Runs the function here; optional only with `webHookUrl` (then another server runs it). */
  handler?: ToolHandler;
  /** Filler phrases for ONE language, e.g. `{ 'en-US': ['One moment'] }` (schema allows one key). */
  fillers?: Record<string, string[]>;
  /** `meta_data` for the function (scoped by `meta_data_token`). */
  metaData?: Record<string, unknown>;
  swaigFields?: SwaigFields;
  /**
   * Require a per-call token on every request (default true, as the Python SDK): the SWML for a call carries a
   * token in this function's `web_hook_url`, and a request without the right one is refused.
   */
  secure?: boolean;
  /**
   * Send this function's requests to another server instead of this agent (`web_hook_url`, credentials may be
   * embedded as `https://user:pass@host/path`). The agent then neither mints tokens for it nor runs `handler`.
   */
  webHookUrl?: string;
}

/** A tool as stored by the agent. `kind: 'hook'` marks the reserved startup_hook / hangup_hook. */
export interface RegisteredTool {
  name: string;
  description: string;
  parameters: ToolParameters;
  handler: ToolHandler;
  kind: 'tool' | 'hook';
  /** Extra SWML keys (fillers, meta_data, swaig fields) in wire spelling. */
  fields: SwaigFields;
  /** Requests must carry this call's token for this function. */
  secure: boolean;
  /** External webhook: the platform calls it, not this agent. */
  webHookUrl?: string | undefined;
  /** Server-less function: SignalWire runs this `data_map` itself; nothing reaches this agent. */
  dataMap?: Record<string, unknown> | undefined;
  /** Checks call arguments against `parameters` (compiled once, at definition). */
  checkArgs?: ArgumentCheck | undefined;
}

/** Options of `agent.defineDataMapTool({...})`: a function SignalWire runs itself (no webhook to this agent). */
export interface DataMapToolDefinition {
  name: string;
  description: string;
  parameters?: ToolParameters | Record<string, unknown>;
  /** The SWML `data_map` object: `expressions`, `webhooks` (`url`, `method`, `headers`, `output`…), `output`. */
  dataMap: Record<string, unknown>;
  fillers?: Record<string, string[]>;
  metaData?: Record<string, unknown>;
  swaigFields?: SwaigFields;
}

/** Reserved SWML function names that `defineTool` refuses (use `onStartup` / `onHangup`). */
export const RESERVED_FUNCTION_NAMES = ['startup_hook', 'hangup_hook', 'summarize_conversation'] as const;
/** Longest tool name accepted by `defineTool` (common LLM tool-name limit). */
export const MAX_TOOL_NAME_LENGTH = 64;

const boolOrVar = z.union([z.boolean(), z.string().regex(/^\$\{.+\}$/)]);
const fillersSchema = z
  .record(z.string().min(1), z.array(z.string()).min(1))
  .refine((f) => Object.keys(f).length === 1, { message: 'the SWML schema allows filler phrases for exactly one language' });

const swaigFieldsSchema = z.strictObject({
  active: boolOrVar.optional(),
  meta_data: z.record(z.string(), z.unknown()).optional(),
  meta_data_token: z.string().min(1).optional(),
  skip_fillers: boolOrVar.optional(),
  wait_file: z.url().optional(),
  wait_file_loops: z.union([z.int().min(0), z.string()]).optional(),
  wait_for_fillers: boolOrVar.optional(),
  fillers: fillersSchema.optional(),
});

const parametersSchema = z.object({
  type: z.literal('object', { error: "parameters.type must be 'object'" }),
  properties: z.record(z.string(), z.unknown()).default({}),
  required: z.array(z.string()).optional(),
});

/**
 * Validates a data_map function: the common checks of `normalizeTool`, then `dataMap` against the SWML schema's
 * `$defs/DataMap` (AgentConfigError naming `dataMap.<path>`).
 */
export function normalizeDataMapTool(def: DataMapToolDefinition): RegisteredTool {
  const { dataMap, ...rest } = def;
  const base = { ...normalizeTool({ ...rest, secure: false, handler: externalHandler(def.name) }), checkArgs: undefined };
  const { valid, errors } = swmlSchemaPart('DataMap')(dataMap);
  if (!valid || typeof dataMap !== 'object' || dataMap === null) {
    const error = errors.find((e) => e.path !== '/') ?? errors[0];
    fail(def.name, `dataMap${(error?.path ?? '').replace(/\//g, '.').replace(/\.$/, '')}`, `${error?.message ?? 'must be an object'} (SWML data_map)`);
  }
  return { ...base, dataMap: structuredClone(dataMap) };
}

/** A function served elsewhere was posted here: say so instead of running anything. */
function externalHandler(name: string): ToolHandler {
  return () => `The ${name} function is handled elsewhere (SignalWire or another server), not by this agent.`;
}

function fail(tool: string, path: string, message: string): never {
  throw new AgentConfigError('invalid_tool', `Tool '${tool}': ${path}: ${message}`, { field: path });
}

/** Validates SWML function keys of tool `name` (AgentConfigError naming `swaigFields.<key>`). */
export function checkSwaigFields(name: string, value: Record<string, unknown>): SwaigFields {
  const fields = swaigFieldsSchema.safeParse(value);
  if (fields.success) return fields.data;
  const { field, message } = firstZodProblem(fields.error, { prefix: 'swaigFields' });
  fail(name, field ?? 'swaigFields', fields.error.issues[0]?.code === 'unrecognized_keys' ? 'not a SWML function key' : message);
}

/** Validates a definition and returns the stored form. Throws AgentConfigError naming tool + field. */
export function normalizeTool(def: ToolDefinition, kind: 'tool' | 'hook' = 'tool'): RegisteredTool {
  const name = def.name;
  if (typeof name !== 'string' || !FUNCTION_NAME_PATTERN.test(name)) fail(String(name), 'name', 'must match ^[A-Za-z_][A-Za-z0-9_]*$');
  if (name.length > MAX_TOOL_NAME_LENGTH) fail(name, 'name', `must be at most ${MAX_TOOL_NAME_LENGTH} characters`);
  if (kind === 'tool' && (RESERVED_FUNCTION_NAMES as readonly string[]).includes(name)) {
    fail(name, 'name', 'is reserved; use agent.onStartup() / agent.onHangup()');
  }
  if (typeof def.description !== 'string' || def.description.trim() === '') fail(name, 'description', 'is required');
  if (typeof def.handler !== 'function' && def.webHookUrl === undefined) fail(name, 'handler', 'must be a function (or give webHookUrl)');

  const params = parametersSchema.safeParse(def.parameters ?? { type: 'object', properties: {} });
  if (!params.success) {
    const { field, message } = firstZodProblem(params.error, { prefix: 'parameters' });
    fail(name, field ?? 'parameters', message);
  }
  const problem = checkToolProperties(params.data.properties);
  if (problem) fail(name, problem.path, problem.message);
  const parameters: ToolParameters = { type: 'object', properties: params.data.properties };
  if (params.data.required && params.data.required.length > 0) parameters.required = params.data.required;

  const merged: Record<string, unknown> = { ...(def.swaigFields ?? {}) };
  if (def.fillers !== undefined) merged.fillers = def.fillers;
  if (def.metaData !== undefined) merged.meta_data = def.metaData;
  const fields = checkSwaigFields(name, merged);
  if (def.secure !== undefined && typeof def.secure !== 'boolean') fail(name, 'secure', 'must be a boolean');
  let webHookUrl: string | undefined;
  if (def.webHookUrl !== undefined) {
    const url = z.url({ protocol: /^https?$/ }).safeParse(def.webHookUrl);
    if (!url.success) fail(name, 'webHookUrl', 'must be an http(s) URL');
    webHookUrl = url.data;
  }
  const handler = def.handler ?? externalHandler(name);
  // Only a function run here has its arguments checked here (a webhook's server checks its own).
  let checkArgs: ArgumentCheck | undefined;
  try {
    if (def.handler !== undefined) checkArgs = compileArgumentCheck(parameters);
  } catch (err) {
    fail(name, 'parameters', `is not a usable JSON Schema (${(err as Error).message})`);
  }
  return { name, description: def.description, parameters, handler, kind, fields, secure: def.secure ?? true, webHookUrl, checkArgs };
}
