import { CascadeError, type CascadeErrorCode } from './cascade-error';

/** What a browser may be told for each code: no limiter keys, user ids, model ids or provider text. */
const PUBLIC_MESSAGE: Readonly<Record<CascadeErrorCode, string>> = Object.freeze({
  INVALID_CONFIG: 'The service is misconfigured.',
  INVALID_INPUT: 'The request is not valid.',
  RATE_LIMITED: 'Too many requests. Try again later.',
  BUDGET_EXCEEDED: 'The usage budget is used up. Try again later or upgrade.',
  GUARDRAIL_BLOCKED: 'The request was blocked by the content policy.',
  MODEL_NOT_ALLOWED: 'This model is not available on your plan.',
  FEATURE_NOT_ALLOWED: 'This feature is not available on your plan.',
  MODEL_CALL_FAILED: 'The model could not answer. Try again.',
  ALL_MODELS_FAILED: 'No model could answer. Try again.',
  REPLAY_MISS: 'The service is misconfigured.',
  STORE_FAILED: 'The service could not record the request. Try again.',
  ABORTED: 'The request was cancelled.',
  TIMEOUT: 'The request took too long.',
  OUTPUT_INVALID: 'The model did not produce a valid answer. Try again.',
});

/**
 * The public view of an error for browser-facing responses: same `code`, status, `retryable` and
 * `retryAfterMs`, a generic message per code, no `details` and no `cause` (which may hold limiter
 * keys such as `user:u18801`, model ids or provider messages). `INVALID_INPUT` keeps its message,
 * which is about the caller's own input. The trusted view is the error itself.
 *
 * @example
 * response.status(error.httpStatus).json({ error: toPublicError(error).toJSON() });
 */
export function toPublicError(error: CascadeError): CascadeError {
  const message = error.code === 'INVALID_INPUT' ? error.message : PUBLIC_MESSAGE[error.code];
  return new CascadeError(error.code, message, {
    retryable: error.retryable,
    ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
  });
}
