import { describe, expect, it } from 'vitest';
import { backoffDelay, deliveryState, isRepeatSafe, isRetryable, withRetry } from '../../../skills/mcp_gateway/retry.js';

const sysErr = (code: string) => Object.assign(new Error(code), { code });

describe('retry policy', () => {
  it('classifies transport errors by how far the request got', () => {
    expect(deliveryState(sysErr('ECONNREFUSED'))).toBe('not_sent');
    expect(deliveryState(Object.assign(new AggregateError([sysErr('ECONNREFUSED'), sysErr('ECONNREFUSED')]), { code: 'ECONNREFUSED' }))).toBe('not_sent');
    expect(deliveryState(new AggregateError([sysErr('ECONNREFUSED'), sysErr('ECONNRESET')]))).toBe('maybe_sent');
    expect(deliveryState(sysErr('UND_ERR_CONNECT_TIMEOUT'))).toBe('not_sent');
    expect(deliveryState(sysErr('ECONNRESET'))).toBe('maybe_sent');
    expect(deliveryState(sysErr('UND_ERR_SOCKET'))).toBe('maybe_sent');
    expect(deliveryState(sysErr('UND_ERR_HEADERS_TIMEOUT'))).toBe('timeout');
    expect(deliveryState(new DOMException('t', 'TimeoutError'))).toBe('timeout');
    expect(deliveryState(new Error('weird'))).toBe('maybe_sent');
  });

  it('re-sends only what cannot have had an effect', () => {
    expect(isRetryable({ delivery: 'not_sent' }, false)).toBe(true);
    expect(isRetryable({ delivery: 'maybe_sent' }, false)).toBe(false);
    expect(isRetryable({ delivery: 'maybe_sent' }, true)).toBe(true);
    expect(isRetryable({ delivery: 'timeout' }, true)).toBe(false);
    expect(isRetryable({ status: 502 }, false)).toBe(false);
    expect(isRetryable({ status: 502 }, true)).toBe(true);
    expect(isRetryable({ status: 504 }, true)).toBe(false);
    expect(isRetryable({ status: 429 }, true)).toBe(false);
    expect(isRetryable({ status: 400 }, true)).toBe(false);
  });

  it('trusts only readOnlyHint / idempotentHint', () => {
    expect(isRepeatSafe({ readOnlyHint: true })).toBe(true);
    expect(isRepeatSafe({ idempotentHint: true })).toBe(true);
    expect(isRepeatSafe({ readOnlyHint: false, idempotentHint: false })).toBe(false);
    expect(isRepeatSafe(undefined)).toBe(false);
  });

  it('backs off with full jitter under a growing, capped ceiling', () => {
    expect(backoffDelay(0, { random: () => 0.999 })).toBe(99);
    expect(backoffDelay(3, { random: () => 0.5 })).toBe(400);
    expect(backoffDelay(10, { random: () => 0.999 })).toBe(999);
    expect(backoffDelay(2, { random: () => 0 })).toBe(0);
  });

  it('stops after the allowed retries and on non-retryable errors', async () => {
    let calls = 0;
    await expect(
      withRetry(
        async () => {
          calls += 1;
          throw new Error('x');
        },
        { retries: 3, canRetry: () => true, random: () => 0 },
      ),
    ).rejects.toThrow('x');
    expect(calls).toBe(4);
    calls = 0;
    await expect(
      withRetry(
        async () => {
          calls += 1;
          throw new Error('x');
        },
        { retries: 3, canRetry: () => false },
      ),
    ).rejects.toThrow('x');
    expect(calls).toBe(1);
    calls = 0;
    const value = await withRetry(
      async (n) => {
        calls += 1;
        if (n < 2) throw new Error('x');
        return n;
      },
      { retries: 5, canRetry: () => true, random: () => 0 },
    );
    expect([value, calls]).toEqual([2, 3]);
  });
});
