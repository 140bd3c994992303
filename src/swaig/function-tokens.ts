import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Default token lifetime: one hour (the Python SDK's AgentBase default). */
export const DEFAULT_TOKEN_TTL_SECONDS = 3600;

/** Why a token was refused (logged; never sent to the caller). */
export type TokenRefusal = 'missing' | 'malformed' | 'bad_signature' | 'wrong_function' | 'wrong_call' | 'expired' | 'no_call_id';

/**
 * Per-call function tokens, as the Python SDK's `__token`: `base64url("{call_id}.{function}.{expiry}.{nonce}.{hmac}")`
 * with `hmac = HMAC-SHA256(secret, "{call_id}:{function}:{expiry}:{nonce}")` in hex. A token is minted into each
 * secure function's `web_hook_url` when SWML is rendered for a call, and checked on every SWAIG request: it only
 * opens that one function, for that one call, until it expires. Stateless: nothing is stored per call.
 */
export class FunctionTokens {
  private readonly secret: Buffer;
  private readonly ttlSeconds: number;

  /**
   * @param secret HMAC key; default 32 random bytes (tokens then die with the process and do not work across
   *   workers: give every worker the same secret to share them).
   * @param ttlSeconds lifetime of a token, seconds (default 3600).
   */
  constructor(secret?: string, ttlSeconds = DEFAULT_TOKEN_TTL_SECONDS) {
    this.secret = secret === undefined ? randomBytes(32) : Buffer.from(secret, 'utf8');
    this.ttlSeconds = ttlSeconds;
  }

  /** A token that opens `functionName` for `callId`. */
  mint(callId: string, functionName: string, nowMs = Date.now()): string {
    const expiry = Math.floor(nowMs / 1000) + this.ttlSeconds;
    const nonce = randomBytes(8).toString('hex');
    const signature = this.sign(callId, functionName, String(expiry), nonce);
    return Buffer.from(`${callId}.${functionName}.${expiry}.${nonce}.${signature}`, 'utf8').toString('base64url');
  }

  /** Checks a token for this function and call; returns why it is refused, or undefined when it is good. */
  check(token: string | undefined, callId: string | undefined, functionName: string, nowMs = Date.now()): TokenRefusal | undefined {
    if (token === undefined || token === '') return 'missing';
    if (callId === undefined || callId === '') return 'no_call_id';
    // The SDK encodes with '=' padding and the URL-safe alphabet; Buffer accepts both padded and bare base64url.
    const parts = Buffer.from(token, 'base64url').toString('utf8').split('.');
    if (parts.length < 5) return 'malformed';
    const [fn, expiry, nonce, signature] = parts.slice(-4) as [string, string, string, string];
    const tokenCallId = parts.slice(0, -4).join('.');
    if (!/^\d+$/.test(expiry) || !/^[0-9a-f]{64}$/.test(signature)) return 'malformed';
    const expected = Buffer.from(this.sign(tokenCallId, fn, expiry, nonce), 'hex');
    if (!timingSafeEqual(expected, Buffer.from(signature, 'hex'))) return 'bad_signature';
    if (fn !== functionName) return 'wrong_function';
    if (tokenCallId !== callId) return 'wrong_call';
    if (Number(expiry) * 1000 < nowMs) return 'expired';
    return undefined;
  }

  private sign(callId: string, functionName: string, expiry: string, nonce: string): string {
    return createHmac('sha256', this.secret).update(`${callId}:${functionName}:${expiry}:${nonce}`).digest('hex');
  }
}
