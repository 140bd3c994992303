const MASK = '****';

/**
 * Returns `url` with the password (if any) replaced by `****`, for printing. A string that is not a URL is
 * returned unchanged. The username stays visible so the user can tell which credentials are configured.
 */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (!parsed.password) return url;
  parsed.password = MASK;
  return parsed.toString();
}

/** Deep copy of `value` where every string that is a URL with a password is redacted. */
export function redactUrls<T>(value: T): T {
  if (typeof value === 'string') return redactUrl(value) as T;
  if (Array.isArray(value)) return value.map((item) => redactUrls(item)) as T;
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = redactUrls(item);
    return copy as T;
  }
  return value;
}
