import type { CascadeError, CascadeErrorCode } from '@cascade/core';

/**
 * OpenAI error `type` for each `CascadeError` code, as OpenAI names its error classes (the `openai` SDK
 * picks its exception class from the HTTP status; `type` and `code` are what clients switch on).
 */
export const OPENAI_ERROR_TYPE_BY_CODE: Readonly<Record<CascadeErrorCode, string>> = Object.freeze({
  INVALID_CONFIG: 'server_error',
  INVALID_INPUT: 'invalid_request_error',
  RATE_LIMITED: 'rate_limit_error',
  BUDGET_EXCEEDED: 'rate_limit_error',
  GUARDRAIL_BLOCKED: 'invalid_request_error',
  MODEL_NOT_ALLOWED: 'permission_error',
  FEATURE_NOT_ALLOWED: 'permission_error',
  MODEL_CALL_FAILED: 'server_error',
  ALL_MODELS_FAILED: 'server_error',
  REPLAY_MISS: 'not_found_error',
  OUTPUT_INVALID: 'server_error',
  STORE_FAILED: 'server_error',
  ABORTED: 'invalid_request_error',
  TIMEOUT: 'server_error',
});

/** Codes that are the server's own fault: their message may carry internals, so the client gets this one. */
const INTERNAL_CODES: ReadonlySet<CascadeErrorCode> = new Set<CascadeErrorCode>(['INVALID_CONFIG', 'STORE_FAILED']);

/** The message answered instead of an internal error's own (`INVALID_CONFIG`, `STORE_FAILED`). */
export const INTERNAL_ERROR_MESSAGE = 'The server could not process the request. Try again later.';

/** OpenAI's error body, as the `openai` SDK reads it from a response or from a stream's `data:` line. */
export interface OpenAIErrorBody {
  error: {
    message: string;
    type: string;
    /** The `CascadeError` code, verbatim (`RATE_LIMITED`, `ALL_MODELS_FAILED`, ...). */
    code: string;
    param: string | null;
    /** How long to wait before retrying, when the error says. */
    retry_after_ms?: number;
  };
}

/**
 * The OpenAI wire body of a `CascadeError`: `{ error: { message, type, code, param } }`, with `type`
 * from {@link OPENAI_ERROR_TYPE_BY_CODE}, `code` the cascade code, `retry_after_ms` when known, and a
 * generic message for internal errors (`INVALID_CONFIG`, `STORE_FAILED`). The one mapping used for a
 * JSON error response and for the error chunk of a stream that already started, so a client sees the
 * same body either way.
 *
 * @example
 * openAIErrorBody(new CascadeError('RATE_LIMITED', 'slow down', { retryAfterMs: 2000 }));
 * // { error: { message: 'slow down', type: 'rate_limit_error', code: 'RATE_LIMITED', param: null, retry_after_ms: 2000 } }
 */
export function openAIErrorBody(error: CascadeError): OpenAIErrorBody {
  return {
    error: {
      message: INTERNAL_CODES.has(error.code) ? INTERNAL_ERROR_MESSAGE : error.message,
      type: OPENAI_ERROR_TYPE_BY_CODE[error.code],
      code: error.code,
      param: null,
      ...(error.retryAfterMs !== undefined ? { retry_after_ms: error.retryAfterMs } : {}),
    },
  };
}

/** A `Retry-After` header value (whole seconds, at least 1) for a delay in milliseconds. */
export function retryAfterSeconds(retryAfterMs: number): string {
  return String(Math.max(1, Math.ceil(retryAfterMs / 1000)));
}

/**
 * A whole JSON error answer for a `CascadeError` in OpenAI's shape: HTTP status (`HTTP_STATUS_BY_CODE`),
 * `Retry-After` when known, and {@link openAIErrorBody}. For servers answering errors outside a stream
 * (a non-streamed completion) exactly as the SSE helpers answer them.
 */
export function openAIErrorResponse(error: CascadeError): { status: number; headers: Record<string, string>; body: OpenAIErrorBody } {
  return {
    status: error.httpStatus,
    headers: error.retryAfterMs !== undefined ? { 'retry-after': retryAfterSeconds(error.retryAfterMs) } : {},
    body: openAIErrorBody(error),
  };
}
