import { z } from 'zod';

/**
 * The longest delay `setTimeout` honours: 2³¹−1 ms (about 24.8 days). Node turns a longer one into
 * 1 ms (with a TimeoutOverflowWarning), so a "very long" timeout would fire at once.
 */
export const MAX_TIMEOUT_MS = 2_147_483_647;

/**
 * A timeout in ms for a config or option: a positive integer up to {@link MAX_TIMEOUT_MS}. Longer values
 * are rejected (`INVALID_CONFIG` naming the field), never clamped silently: omit the field for "no timeout".
 * Used for every timeout of core, stream and batch.
 */
export const timeoutMsSchema = z
  .number()
  .int('must be a whole number of milliseconds')
  .positive('must be a positive number of milliseconds')
  .max(MAX_TIMEOUT_MS, `must be at most ${MAX_TIMEOUT_MS} ms (about 24.8 days, the longest timer Node supports); omit it for no timeout`);

/** A delay in ms that may be 0 (backoff, grace periods): an integer in [0, {@link MAX_TIMEOUT_MS}]. */
export const delayMsSchema = z
  .number()
  .int('must be a whole number of milliseconds')
  .nonnegative('must not be negative')
  .max(MAX_TIMEOUT_MS, `must be at most ${MAX_TIMEOUT_MS} ms (about 24.8 days, the longest timer Node supports)`);

/**
 * A delay safe to hand to `setTimeout`: NaN and negatives become 0, values over {@link MAX_TIMEOUT_MS}
 * are clamped to it (instead of firing after 1 ms). For delays computed at runtime (Retry-After, backoff);
 * validated config uses {@link timeoutMsSchema}.
 */
export function safeTimeoutMs(ms: number): number {
  if (!(ms > 0)) return 0;
  return ms > MAX_TIMEOUT_MS ? MAX_TIMEOUT_MS : ms;
}
