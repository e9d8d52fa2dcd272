import { CascadeError } from '@cascade/core';

/** An error answered to the client in OpenAI's shape: `{ error: { message, type, code, param } }`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly code: string,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
    readonly param: string | null = null,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** The OpenAI error body. */
export interface OpenAIErrorBody {
  error: { message: string; type: string; code: string; param: string | null; retry_after_ms?: number };
}

const TYPE_BY_STATUS: Readonly<Record<number, string>> = { 400: 'invalid_request_error', 401: 'authentication_error', 403: 'permission_error', 404: 'not_found_error', 413: 'invalid_request_error', 429: 'rate_limit_error' };

/** Maps anything thrown to a status, headers and an OpenAI-style body. Unknown errors never leak details. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  if (CascadeError.isInstance(error)) {
    const status = error.httpStatus;
    const headers: Record<string, string> = {};
    if (error.retryAfterMs !== undefined) headers['retry-after'] = String(Math.max(1, Math.ceil(error.retryAfterMs / 1000)));
    const type = TYPE_BY_STATUS[status] ?? (status >= 500 ? 'server_error' : 'invalid_request_error');
    // A config error is ours, not the caller's: do not echo internals.
    const message = error.code === 'INVALID_CONFIG' || error.code === 'STORE_FAILED' ? 'The server could not process the request. Try again later.' : error.message;
    // The code is core's, verbatim (as @cascade/stream answers on the streamed path).
    return new HttpError(status, type, error.code, message, headers);
  }
  return new HttpError(500, 'server_error', 'internal_error', 'The server could not process the request. Try again later.');
}

/** The JSON body of an error, with the retry delay in ms when there is one. */
export function errorBody(error: HttpError, retryAfterMs?: number): OpenAIErrorBody {
  return { error: { message: error.message, type: error.type, code: error.code, param: error.param, ...(retryAfterMs !== undefined ? { retry_after_ms: retryAfterMs } : {}) } };
}
