import { CascadeError } from '@cascade/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRateLimitWithRetryAfter, retryDelay } from './retry-delay';

const settings = { initialDelayMs: 500, multiplier: 2, maxDelayMs: 30_000, maxRetryAfterMs: 60_000 };
const plain = new CascadeError('MODEL_CALL_FAILED', 'HTTP 503', { statusCode: 503, retryable: true });

describe('retryDelay', () => {
  it('grows the jitter bound exponentially up to the cap', () => {
    const almostOne = () => 0.999_999;
    expect(retryDelay(1, plain, settings, almostOne)).toBe(499);
    expect(retryDelay(2, plain, settings, almostOne)).toBe(999);
    expect(retryDelay(3, plain, settings, almostOne)).toBe(1_999);
    expect(retryDelay(20, plain, settings, almostOne)).toBe(29_999);
    expect(retryDelay(3, plain, settings, () => 0)).toBe(0);
  });

  it('stays within [retry-after, max(bound, retry-after)] for any retry, random and Retry-After', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), fc.option(fc.integer({ min: 0, max: 60_000 })), (retry, random, retryAfterMs) => {
        const error = new CascadeError('RATE_LIMITED', 'slow down', { retryable: true, ...(retryAfterMs !== null ? { retryAfterMs } : {}) });
        const delay = retryDelay(retry, error, settings, () => random)!;
        const bound = Math.min(settings.maxDelayMs, settings.initialDelayMs * 2 ** (retry - 1));
        expect(delay).toBeGreaterThanOrEqual(retryAfterMs ?? 0);
        expect(delay).toBeLessThanOrEqual(Math.max(bound, retryAfterMs ?? 0));
      }),
    );
  });

  it('gives up when the Retry-After is over the bound', () => {
    const error = new CascadeError('RATE_LIMITED', 'slow down', { retryable: true, retryAfterMs: 60_001 });
    expect(retryDelay(1, error, settings, () => 0.5)).toBeUndefined();
  });

  it('recognizes rate limits that say when to come back', () => {
    expect(isRateLimitWithRetryAfter(new CascadeError('RATE_LIMITED', 'x', { retryAfterMs: 10 }))).toBe(true);
    expect(isRateLimitWithRetryAfter(new CascadeError('RATE_LIMITED', 'x'))).toBe(false);
    expect(isRateLimitWithRetryAfter(new CascadeError('MODEL_CALL_FAILED', 'x', { statusCode: 429, retryAfterMs: 10 }))).toBe(true);
    expect(isRateLimitWithRetryAfter(new CascadeError('MODEL_CALL_FAILED', 'x', { statusCode: 503, retryAfterMs: 10 }))).toBe(false);
    const all429 = new CascadeError('ALL_MODELS_FAILED', 'x', { retryAfterMs: 10, details: { attempts: [{ statusCode: 429 }, { statusCode: 429 }] } });
    expect(isRateLimitWithRetryAfter(all429)).toBe(true);
  });
});
