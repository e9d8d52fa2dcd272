import { CascadeError } from '@cascade/core';
import { INTERNAL_ERROR_MESSAGE, type OpenAIErrorBody, openAIErrorResponse } from '@cascade/stream';

export type { OpenAIErrorBody };

/** An error of the server itself (routing, auth, body) answered in OpenAI's shape: `{ error: { message, type, code, param } }`. */
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

/** A JSON error answer: status, extra headers, OpenAI-style body. */
export interface ErrorResponse {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: OpenAIErrorBody;
}

/**
 * Maps anything thrown to a status, headers and an OpenAI-style body. A `CascadeError` goes through
 * `openAIErrorResponse` of `@cascade/stream`, the mapping its SSE helpers use for the streamed path (the
 * error chunk mid-stream, the JSON answer before it), so a client gets the same `type`, `code` and
 * message whether it streamed or not. Unknown errors never leak details.
 */
export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof HttpError) {
    return { status: error.status, headers: error.headers, body: { error: { message: error.message, type: error.type, code: error.code, param: error.param } } };
  }
  if (CascadeError.isInstance(error)) return openAIErrorResponse(error);
  return { status: 500, headers: {}, body: { error: { message: INTERNAL_ERROR_MESSAGE, type: 'server_error', code: 'internal_error', param: null } } };
}
