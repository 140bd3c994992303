/**
 * Maps an MCP `tools/call` result to the gateway's answer: all text joined, structuredContent as JSON,
 * every non-text block summarised (never dropped silently), the text capped with a visible marker.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

/** One non-text content block, described for the caller. */
export interface ContentSummary {
  type: string;
  mime_type?: string;
  uri?: string;
  name?: string;
  /** Decoded size of base64 data, bytes. */
  bytes?: number;
}

/** The result part of a `POST /services/:name/call` answer. */
export interface MappedResult {
  result: string;
  is_error: boolean;
  structured_content?: unknown;
  content_summary?: ContentSummary[];
  /** Present (true) when `result` was cut at the size cap. */
  truncated?: true;
}

type Block = CallToolResult['content'][number];

function base64Bytes(data: string): number {
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((data.length * 3) / 4) - padding);
}

function describe(block: Block): { text: string; summary?: ContentSummary } {
  switch (block.type) {
    case 'text':
      return { text: block.text };
    case 'image':
    case 'audio': {
      const bytes = base64Bytes(block.data);
      return { text: `[${block.type}: ${block.mimeType}, ${bytes} bytes]`, summary: { type: block.type, mime_type: block.mimeType, bytes } };
    }
    case 'resource_link': {
      const extra = `${block.mimeType ? ` (${block.mimeType})` : ''}${block.description ? `: ${block.description}` : ''}`;
      const summary: ContentSummary = { type: block.type, uri: block.uri, name: block.name };
      if (block.mimeType) summary.mime_type = block.mimeType;
      return { text: `[resource link: ${block.name} <${block.uri}>${extra}]`, summary };
    }
    case 'resource': {
      const res = block.resource;
      const summary: ContentSummary = { type: 'resource', uri: res.uri };
      if (res.mimeType) summary.mime_type = res.mimeType;
      if ('text' in res && typeof res.text === 'string') return { text: `[resource ${res.uri}]\n${res.text}`, summary };
      const bytes = 'blob' in res && typeof res.blob === 'string' ? base64Bytes(res.blob) : 0;
      summary.bytes = bytes;
      return { text: `[resource ${res.uri}${res.mimeType ? ` (${res.mimeType})` : ''}, ${bytes} bytes]`, summary };
    }
    default: {
      const type = String((block as { type?: unknown }).type ?? 'unknown');
      return { text: `[${type} content]`, summary: { type } };
    }
  }
}

/** Cuts `text` to at most `maxBytes` UTF-8 bytes (on a character boundary) and appends a marker. */
export function capText(text: string, maxBytes: number): { text: string; truncated: boolean } {
  const total = Buffer.byteLength(text);
  if (total <= maxBytes) return { text, truncated: false };
  const cut = Buffer.from(text)
    .subarray(0, maxBytes)
    .toString('utf8')
    .replace(/\uFFFD+$/, '');
  return { text: `${cut}\n[truncated: showed ${Buffer.byteLength(cut)} of ${total} bytes]`, truncated: true };
}

/** Builds the answer for one tool result; `maxBytes` caps `result` (and drops oversized structured content). */
export function mapToolResult(res: CallToolResult, maxBytes: number): MappedResult {
  const texts: string[] = [];
  const summaries: ContentSummary[] = [];
  let hasText = false;
  for (const block of res.content ?? []) {
    const { text, summary } = describe(block);
    if (block.type === 'text') hasText = true;
    texts.push(text);
    if (summary) summaries.push(summary);
  }
  const structured = res.structuredContent;
  const structuredJson = structured === undefined ? undefined : JSON.stringify(structured);
  if (!hasText && structuredJson !== undefined) texts.unshift(structuredJson);
  const capped = capText(texts.join('\n'), maxBytes);
  const out: MappedResult = { result: capped.text, is_error: res.isError === true };
  if (structuredJson !== undefined && Buffer.byteLength(structuredJson) <= maxBytes) out.structured_content = structured;
  if (summaries.length > 0) out.content_summary = summaries;
  if (capped.truncated || (structuredJson !== undefined && out.structured_content === undefined)) out.truncated = true;
  return out;
}
