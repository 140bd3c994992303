import { redactUrls } from '../shared/redact.js';
import { checkAgentUrl } from './agent-url.js';
import { resolveRestTarget, type RestOptions } from './credentials.js';
import { parseNumberRef, type NumberRef } from './phone-number-id.js';
import { PhoneNumbersClient, type PhoneNumber, type RestRequest } from './phone-numbers-client.js';

/** The handler-related fields of a number (`call_*`, `calling_*`) that have a value; URL passwords masked. */
export type HandlerFields = Record<string, unknown>;

/** Outcome of `number show`. */
export interface ShowResult {
  id: string;
  number: string;
  name: string | null;
  handler: HandlerFields;
}

/** Outcome of `number bind`. `request` is what was (or, with `dryRun`, would have been) sent, redacted. */
export interface BindResult {
  dryRun: boolean;
  id: string;
  number: string;
  previous: HandlerFields;
  request: RestRequest;
  /** Handler fields as SignalWire returned them after the update (absent on a dry run). */
  current?: HandlerFields;
  warnings: string[];
}

/** Options of `number bind` (flags of the command). */
export interface BindOptions extends RestOptions {
  url: string;
  dryRun?: boolean;
  timeoutMs: number;
}

/** Picks the fields that say where calls to the number go. */
export function handlerFields(phoneNumber: PhoneNumber): HandlerFields {
  const fields: HandlerFields = {};
  for (const [key, value] of Object.entries(phoneNumber)) {
    if (!/^call(ing)?_/.test(key) || value === null || value === undefined || value === '') continue;
    fields[key] = value;
  }
  return redactUrls(fields);
}

async function lookUp(client: PhoneNumbersClient, ref: NumberRef): Promise<PhoneNumber> {
  return ref.kind === 'number' ? client.findByNumber(ref.number) : client.get(ref.id);
}

/** `number show <number>`: reads the number and reports its current handler. */
export async function showNumber(rawRef: string, opts: RestOptions & { timeoutMs: number }, env: NodeJS.ProcessEnv): Promise<ShowResult> {
  const ref = parseNumberRef(rawRef);
  const client = new PhoneNumbersClient(resolveRestTarget(opts, env), opts.timeoutMs);
  const phoneNumber = await lookUp(client, ref);
  return { id: phoneNumber.id, number: phoneNumber.number, name: phoneNumber.name ?? null, handler: handlerFields(phoneNumber) };
}

/**
 * `number bind <number> --url URL`: points the number at the agent (`call_handler: relay_script`).
 * The lookup is read-only; with `dryRun` the PUT is built and returned but never sent.
 */
export async function bindNumber(rawRef: string, opts: BindOptions, env: NodeJS.ProcessEnv): Promise<BindResult> {
  const ref = parseNumberRef(rawRef);
  const agentUrl = checkAgentUrl(opts.url);
  const client = new PhoneNumbersClient(resolveRestTarget(opts, env), opts.timeoutMs);
  const phoneNumber = await lookUp(client, ref);
  const request = client.bindRequest(phoneNumber.id, agentUrl.url);
  const base = {
    id: phoneNumber.id,
    number: phoneNumber.number,
    previous: handlerFields(phoneNumber),
    request: redactUrls(request),
    warnings: agentUrl.warnings,
  };
  if (opts.dryRun) return { dryRun: true, ...base };
  const updated = await client.update(request);
  const warnings = [...agentUrl.warnings];
  if (updated.call_handler !== 'relay_script' || updated.call_relay_script_url !== agentUrl.url) {
    warnings.push(`SignalWire answered with call_handler=${updated.call_handler ?? 'none'}: check the number in the dashboard`);
  }
  return { dryRun: false, ...base, current: handlerFields(updated), warnings };
}

function formatFields(fields: HandlerFields, indent: string): string {
  const entries = Object.entries(fields);
  if (entries.length === 0) return `${indent}(no handler set)\n`;
  return entries.map(([key, value]) => `${indent}${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}\n`).join('');
}

/** Human-readable text for `number show`. */
export function formatShow(result: ShowResult): string {
  const name = result.name ? ` "${result.name}"` : '';
  return `${result.number}${name} (id ${result.id})\n${formatFields(result.handler, '  ')}`;
}

/** Human-readable text for `number bind` (warnings are printed separately, on stderr). */
export function formatBind(result: BindResult): string {
  const lines = [`${result.number} (id ${result.id})`, 'previous handler (keep this to revert):', formatFields(result.previous, '  ').trimEnd()];
  if (result.dryRun) {
    lines.push('dry run: this request would be sent (nothing was changed):');
    lines.push(`  ${result.request.method} ${result.request.url}`);
    lines.push(`  ${JSON.stringify(result.request.body)}`);
  } else {
    lines.push('bound; handler now:', formatFields(result.current ?? {}, '  ').trimEnd());
  }
  return `${lines.join('\n')}\n`;
}
