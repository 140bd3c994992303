/** The `…_read_resource` function of a service: lets the AI read the service's resources by URI. */
import type { GatewayReadAnswer, GatewayResource } from '../gateway-client.js';
import type { FunctionParameters } from '../schema/index.js';

/** Resources named in the function description (the rest are still readable by URI). */
const LISTED_IN_DESCRIPTION = 20;

/** The pseudo tool name the function is named after (`{prefix}{service}_read_resource`). */
export const READ_RESOURCE_TOOL = 'read_resource';

export function readResourceDescription(service: string, resources: readonly GatewayResource[]): string {
  const listed = resources.slice(0, LISTED_IN_DESCRIPTION).map((r) => {
    const about = r.description?.trim() || r.title?.trim() || r.name?.trim();
    return about ? `${r.uri} (${about})` : r.uri;
  });
  const more = resources.length > LISTED_IN_DESCRIPTION ? ` and ${resources.length - LISTED_IN_DESCRIPTION} more` : '';
  const available = listed.length > 0 ? ` Available: ${listed.join('; ')}${more}.` : '';
  return `[${service}] Read one of the ${service} service's resources (documents, data) by its URI.${available}`;
}

export function readResourceParameters(): FunctionParameters {
  return { type: 'object', properties: { uri: { type: 'string', description: 'The URI of the resource to read' } }, required: ['uri'] };
}

/** Cuts text to `maxBytes` UTF-8 bytes with a spoken marker. */
export function capBytes(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  const cut = Buffer.from(text)
    .subarray(0, maxBytes)
    .toString('utf8')
    .replace(/\uFFFD+$/, '');
  return `${cut}… (the rest was cut)`;
}

/** The reply text for a read: its text parts, binary parts described, capped. */
export function readAnswerText(service: string, uri: string, answer: GatewayReadAnswer, maxBytes: number): string {
  const parts = (answer.contents ?? []).map((c) => {
    if (typeof c.text === 'string') return c.text;
    return `(binary ${c.mime_type ?? 'data'}, ${c.blob_bytes ?? 0} bytes: it cannot be read aloud)`;
  });
  if (parts.length === 0) return `The ${service} resource ${uri} is empty.`;
  const text = capBytes(parts.join('\n'), maxBytes);
  return answer.truncated === true && !text.endsWith('(the rest was cut)') ? `${text} (the rest was cut)` : text;
}
