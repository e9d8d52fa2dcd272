import type { CascadeError } from '@cascade/core';

// The backoff moved to core (the engine retries a tier with it too); re-exported for batch's public API.
export { retryDelay, type RetryDelaySettings } from '@cascade/core';

/** True for a rate-limit error that says when to come back: a `RATE_LIMITED` denial or a provider 429 with Retry-After. */
export function isRateLimitWithRetryAfter(error: CascadeError): boolean {
  return error.retryAfterMs !== undefined && (error.code === 'RATE_LIMITED' || error.statusCode === 429 || hasRateLimitedAttempt(error));
}

/** `ALL_MODELS_FAILED` whose every attempt was a 429. */
function hasRateLimitedAttempt(error: CascadeError): boolean {
  if (error.code !== 'ALL_MODELS_FAILED') return false;
  const attempts = error.details?.['attempts'];
  return Array.isArray(attempts) && attempts.length > 0 && attempts.every((attempt) => (attempt as { statusCode?: unknown }).statusCode === 429);
}
