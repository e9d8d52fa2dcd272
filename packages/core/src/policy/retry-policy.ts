import { z } from 'zod';
import type { CascadeError } from '../errors/cascade-error';

/**
 * Retries of the same tier after a transient provider error (429, 5xx, connection reset: the error's
 * `retryable`), before the cascade falls through to the next, more expensive tier. Every field is
 * optional; absent ones take {@link DEFAULT_RETRY_POLICY}.
 */
export const retryPolicySchema = z.strictObject({
  /** Calls of one tier per request, the first included: `1` turns retries off. @default 2 */
  maxAttempts: z.number().int().min(1).max(10).optional(),
  /** Upper bound of the first retry's random wait (full jitter), doubling each retry. @default 250 */
  baseDelayMs: z.number().int().min(0).max(60_000).optional(),
  /**
   * Longest wait before a retry. A provider's Retry-After longer than this skips the retry (the next
   * tier is tried at once). @default 2000
   */
  maxDelayMs: z.number().int().min(0).max(600_000).optional(),
});
/** Retry settings as written in a policy. */
export type RetryPolicy = z.output<typeof retryPolicySchema>;

/** The retry settings used where a policy sets none: one retry after up to 250 ms, Retry-After up to 2 s honoured. */
export const DEFAULT_RETRY_POLICY: Readonly<Required<RetryPolicy>> = Object.freeze({ maxAttempts: 2, baseDelayMs: 250, maxDelayMs: 2000 });

/** The policy's retry settings over the defaults. */
export function resolveRetryPolicy(policy: RetryPolicy | undefined): Required<RetryPolicy> {
  return {
    maxAttempts: policy?.maxAttempts ?? DEFAULT_RETRY_POLICY.maxAttempts,
    baseDelayMs: policy?.baseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs,
    maxDelayMs: policy?.maxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs,
  };
}

/**
 * True when calling the same model again may succeed: the error says so (`retryable`: HTTP 408/409/429/5xx,
 * connection failures) or carries a 429/5xx status. Never aborts, and never timeouts: a tier too slow for
 * its attempt timeout is better skipped than waited for twice.
 */
export function isTransientModelError(error: CascadeError): boolean {
  if (error.code === 'ABORTED' || error.code === 'TIMEOUT') return false;
  const status = error.statusCode;
  return error.retryable || status === 429 || (status !== undefined && status >= 500 && status <= 599);
}
