/** Human-readable output of swaig-test. Machine output (--raw) is plain JSON built by the actions. */
import { redactUrls } from '../shared/redact.js';
import type { StepOutcome } from './call-session.js';
import type { HttpExchange } from './http-client.js';
import type { SwmlFunctionView } from './swml-view.js';

/** One parameter of a function, flattened for listings. */
export interface ParameterInfo {
  name: string;
  type: string;
  required: boolean;
  description?: string;
  enum?: unknown[];
  default?: unknown;
}

/** One function as `--list-tools` reports it. */
export interface ToolListing {
  name: string;
  kind: 'tool' | 'hook';
  description: string;
  /** `webhook` (the agent runs it) or `data_map` (SignalWire runs it). */
  runs: 'webhook' | 'data_map';
  parameters: ParameterInfo[];
}

function typeOf(schema: Record<string, unknown>): string {
  if (typeof schema.type === 'string') {
    const items = schema.items as Record<string, unknown> | undefined;
    if (schema.type === 'array' && items && typeof items.type === 'string') return `${items.type}[]`;
    return schema.type;
  }
  for (const key of ['anyOf', 'oneOf', 'allOf']) if (Array.isArray(schema[key])) return key;
  return 'const' in schema ? 'const' : 'any';
}

/** Flattens a function's SWML entry into a listing. */
export function describeFunction(fn: SwmlFunctionView): ToolListing {
  const required = new Set(fn.parameters.required ?? []);
  const parameters = Object.entries(fn.parameters.properties).map(([name, value]) => {
    const schema = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
    const info: ParameterInfo = { name, type: typeOf(schema), required: required.has(name) };
    if (typeof schema.description === 'string' && schema.description !== '') info.description = schema.description;
    if (Array.isArray(schema.enum)) info.enum = schema.enum;
    if ('default' in schema) info.default = schema.default;
    return info;
  });
  return { name: fn.name, kind: fn.kind, description: fn.description, runs: fn.dataMap ? 'data_map' : 'webhook', parameters };
}

/** Text block for `--list-tools`. */
export function formatToolList(tools: readonly ToolListing[]): string {
  if (tools.length === 0) return 'The agent declares no SWAIG functions.\n';
  const lines: string[] = [`${tools.length} function(s):`];
  for (const tool of tools) {
    const tags = [tool.kind === 'hook' ? 'hook' : '', tool.runs === 'data_map' ? 'data_map' : ''].filter(Boolean);
    lines.push('', `  ${tool.name}${tags.length ? ` (${tags.join(', ')})` : ''}  ${tool.description}`);
    const width = Math.max(0, ...tool.parameters.map((p) => p.name.length));
    for (const p of tool.parameters) {
      const extras = [
        p.required ? 'required' : 'optional',
        p.enum ? `one of: ${p.enum.map((v) => JSON.stringify(v)).join(', ')}` : '',
        'default' in p ? `default: ${JSON.stringify(p.default)}` : '',
      ].filter(Boolean);
      lines.push(`      --${p.name.padEnd(width)}  ${p.type.padEnd(9)} ${extras.join('  ')}${p.description ? `  ${p.description}` : ''}`);
    }
    if (tool.parameters.length === 0) lines.push('      (no parameters)');
  }
  return `${lines.join('\n')}\n`;
}

const indent = (text: string, pad: string): string =>
  text
    .split('\n')
    .map((line) => pad + line)
    .join('\n');

/** Readable lines for one call: `→ name {args}`, `← response`, actions, or the failure. */
export function formatStep(outcome: StepOutcome, label: string): string {
  const lines = [`${label} ${outcome.function} ${JSON.stringify(outcome.args)}`];
  if (outcome.response !== undefined) lines.push(`   ← ${outcome.response}`);
  for (const action of outcome.actions ?? []) lines.push(`   action: ${JSON.stringify(redactUrls(action))}`);
  if (!outcome.ok) lines.push(`   ✗ ${outcome.error ?? 'failed'}`);
  return `${lines.join('\n')}\n`;
}

/** `--verbose`: a request and its response, credentials in URLs masked. */
export function formatExchange(exchange: HttpExchange): string {
  const request = indent(JSON.stringify(redactUrls(exchange.requestBody), null, 2) ?? '(no body)', '  ');
  const response = indent(JSON.stringify(redactUrls(exchange.responseBody), null, 2) ?? '', '  ');
  return `→ ${exchange.method} ${exchange.url}\n${request}\n← HTTP ${exchange.status}\n${response}\n`;
}

/** The step as --raw prints it (no HTTP exchange unless verbose). */
export function stepJson(outcome: StepOutcome, verbose: boolean): Record<string, unknown> {
  const { exchange, ...rest } = outcome;
  return verbose && exchange ? { ...rest, request: exchange.requestBody, reply: exchange.responseBody } : rest;
}
