/** Called with the post-prompt summary (parsed JSON when possible, else the raw text) and the full body. */
export type SummaryHandler = (summary: unknown, body: unknown) => void | Promise<void>;

function asObject(v: unknown): Record<string, unknown> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/**
 * Summary of a post_prompt callback: `post_prompt_data.parsed[0]`, else `JSON.parse(raw)`, else the raw
 * text, else `body.summary`, else null.
 */
export function extractSummary(body: unknown): unknown {
  const b = asObject(body);
  const data = asObject(b?.post_prompt_data);
  const parsed = data?.parsed;
  if (Array.isArray(parsed) && parsed.length > 0 && parsed[0] !== undefined) return parsed[0];
  const raw = data?.raw;
  if (typeof raw === 'string' && raw.trim() !== '') {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return raw;
    }
  }
  return b?.summary ?? null;
}
