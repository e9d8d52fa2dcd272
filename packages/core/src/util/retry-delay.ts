import type { CascadeError } from '../errors/cascade-error';

/** Backoff settings used by {@link retryDelay}. */
export interface RetryDelaySettings {
  initialDelayMs: number;
  multiplier: number;
  maxDelayMs: number;
  /** A Retry-After longer than this means "give up" (returns `undefined`). */
  maxRetryAfterMs: number;
}

/**
 * The wait before retry number `retry` (1-based): exponential backoff with full jitter
 * (uniform in [0, min(maxDelayMs, initialDelayMs * multiplier^(retry-1))]), never shorter than the
 * error's Retry-After. Returns `undefined` when the Retry-After is over `maxRetryAfterMs`: retrying
 * sooner than the server asked is pointless, so the caller should give up (or fall through).
 *
 * @example
 * retryDelay(2, error, { initialDelayMs: 500, multiplier: 2, maxDelayMs: 30_000, maxRetryAfterMs: 60_000 }, Math.random);
 */
export function retryDelay(retry: number, error: CascadeError, settings: RetryDelaySettings, random: () => number): number | undefined {
  const bound = Math.min(settings.maxDelayMs, settings.initialDelayMs * settings.multiplier ** Math.max(0, retry - 1));
  const jittered = Math.floor(random() * bound);
  const retryAfter = error.retryAfterMs;
  if (retryAfter === undefined) return jittered;
  if (retryAfter > settings.maxRetryAfterMs) return undefined;
  return Math.max(jittered, Math.ceil(retryAfter));
}
