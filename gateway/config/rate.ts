/** Parses flask-limiter style rate strings: "10 per minute", "200/day", "5 per 30 seconds". */

/** A parsed rate limit: at most `limit` requests per `windowMs`. */
export interface RateLimit {
  limit: number;
  windowMs: number;
  /** The original text, for logs and messages. */
  text: string;
}

const UNIT_MS: Record<string, number> = { second: 1_000, minute: 60_000, hour: 3_600_000, day: 86_400_000 };
const PATTERN = /^\s*(\d+)\s*(?:per|\/)\s*(\d+\s*)?(second|minute|hour|day)s?\s*$/i;

/** Returns the parsed limit, or undefined when `text` is not a rate string. */
export function parseRate(text: string): RateLimit | undefined {
  const match = PATTERN.exec(text);
  if (!match) return undefined;
  const limit = Number(match[1]);
  const count = match[2] === undefined ? 1 : Number(match[2].trim());
  const unit = UNIT_MS[(match[3] ?? '').toLowerCase()];
  if (unit === undefined || limit < 1 || count < 1) return undefined;
  return { limit, windowMs: count * unit, text: text.trim() };
}
