import { UsageError } from '../shared/cli-error.js';

const E164 = /^\+[1-9]\d{6,14}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How the user named a phone number: by its E.164 digits or by its SignalWire resource id. */
export type NumberRef = { kind: 'number'; number: string } | { kind: 'id'; id: string };

/** True for a `+` followed by 7 to 15 digits, the first not 0. */
export function isE164(value: string): boolean {
  return E164.test(value);
}

/**
 * Parses the `<number>` argument: `+15551234567` or a phone number id (UUID). Spaces, dashes, dots and
 * parentheses in a number are dropped so a pasted `+1 (555) 123-4567` works.
 * @throws UsageError (`invalid_number`) for anything else
 */
export function parseNumberRef(raw: string): NumberRef {
  const trimmed = raw.trim();
  if (UUID.test(trimmed)) return { kind: 'id', id: trimmed.toLowerCase() };
  const compact = trimmed.replace(/[\s().-]/g, '');
  if (isE164(compact)) return { kind: 'number', number: compact };
  throw new UsageError(`invalid number "${raw}": expected an E.164 number such as +15551234567 or a phone number id`, 'invalid_number');
}

/**
 * Checks an E.164 option value (e.g. `--to`) and returns it compacted.
 * @throws UsageError naming the option
 */
export function requireE164(raw: string, option: string): string {
  const compact = raw.trim().replace(/[\s().-]/g, '');
  if (!isE164(compact)) {
    throw new UsageError(`invalid ${option} "${raw}": expected an E.164 number such as +15551234567`, 'invalid_number');
  }
  return compact;
}
