import { CascadeError } from '../errors/cascade-error';
import { abortErrorFrom } from '../util/abort';

/** What the error message names: which model, at which step. */
export interface OpenAIErrorContext {
  provider: string;
  modelId: string;
  /** The caller's signal; when it fired, the error is `ABORTED`/`TIMEOUT` whatever the SDK threw. */
  abortSignal?: AbortSignal | undefined;
  /** Text deltas already received when a stream failed, for the message. */
  chunksReceived?: number;
}

/** HTTP statuses where the same call may succeed later: request timeout, conflict, rate limit, server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

interface HeadersLike {
  get(name: string): string | null;
}

/**
 * Milliseconds to wait from `retry-after-ms` (OpenAI's non-standard header) or `Retry-After`
 * (seconds or an HTTP date), `undefined` when neither is present or parseable.
 */
export function retryAfterMsFrom(headers: HeadersLike | undefined, now: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const milliseconds = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return Math.round(milliseconds);
  const retryAfter = headers.get('retry-after');
  if (retryAfter === null || retryAfter.trim() === '') return undefined;
  const seconds = Number(retryAfter.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function hint(status: number): string {
  if (status === 401 || status === 403) return 'Check the apiKey (or OPENAI_API_KEY) and its permissions.';
  if (status === 404) return 'Check the modelId and the baseURL.';
  if (status === 429) return 'The provider is rate limiting: wait, lower the request rate, or fall through to another model.';
  if (status >= 500 || status === 408 || status === 409) return 'The provider failed: retry later or fall through to another model.';
  return 'Fix the request: the provider rejected it.';
}

function isHeadersLike(value: unknown): value is HeadersLike {
  return typeof value === 'object' && value !== null && typeof (value as { get?: unknown }).get === 'function';
}

type OpenAIErrorClass = 'APIError' | 'APIConnectionError' | 'APIConnectionTimeoutError' | 'APIUserAbortError';

/**
 * True when `error` is an instance of the `openai` SDK class named `name`, by the class names on its
 * prototype chain rather than `instanceof`: the adapter loads the SDK's CommonJS entry on demand, and
 * a client the app passes in may come from its ESM entry (or another installed version).
 */
function isOpenAIError(error: unknown, name: OpenAIErrorClass): error is Error {
  if (!(error instanceof Error)) return false;
  for (let prototype: unknown = Object.getPrototypeOf(error); prototype !== null && prototype !== Error.prototype; prototype = Object.getPrototypeOf(prototype)) {
    if ((prototype as { constructor?: { name?: unknown } }).constructor?.name === name) return true;
  }
  return false;
}

/** True for network-level failures: resets, refused connections, a body cut short (undici's `terminated`). */
function isNetworkError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof TypeError && /terminated|fetch failed|socket|network/i.test(error.message)) return true;
  const code = (error as { code?: unknown }).code ?? (error.cause as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|UND_ERR_)/.test(code);
}

/**
 * Maps anything the `openai` SDK (or the fetch below it) throws to a {@link CascadeError}:
 * the caller's abort → `ABORTED` (or `TIMEOUT` when the signal's reason is a timeout); the SDK's own
 * timeout → `TIMEOUT`; an HTTP error → `MODEL_CALL_FAILED` with `statusCode`, `retryable` from the
 * status and `retryAfterMs` from the headers; a connection failure → retryable `MODEL_CALL_FAILED`;
 * an unparseable body → `MODEL_CALL_FAILED` saying so. The original error is always the `cause`.
 *
 * @example
 * try { await client.chat.completions.create(body, { signal }); }
 * catch (error) { throw mapOpenAIError(error, { provider: 'openai', modelId: 'gpt-4o-mini', abortSignal: signal }); }
 */
export function mapOpenAIError(error: unknown, context: OpenAIErrorContext): CascadeError {
  const what = `${context.provider} model ${context.modelId}`;
  if (context.abortSignal?.aborted) return abortErrorFrom(context.abortSignal, `The call to ${what}`);
  if (CascadeError.isInstance(error)) return error;
  if (isOpenAIError(error, 'APIConnectionTimeoutError')) {
    return new CascadeError('TIMEOUT', `The call to ${what} timed out (the client's timeoutMs). Raise timeoutMs or fall through to another model.`, { cause: error, retryable: true });
  }
  if (isOpenAIError(error, 'APIUserAbortError') || (error instanceof Error && error.name === 'AbortError')) {
    return new CascadeError('ABORTED', `The call to ${what} was aborted.`, { cause: error });
  }
  if (error instanceof SyntaxError) {
    return new CascadeError('MODEL_CALL_FAILED', `${what}: the provider returned an unparseable body (not valid JSON): ${error.message}. Check the baseURL points at an OpenAI-compatible /v1 endpoint.`, { cause: error });
  }
  const status = isOpenAIError(error, 'APIError') || (typeof error === 'object' && error !== null && 'status' in error) ? (error as { status?: unknown }).status : undefined;
  if (typeof status === 'number') {
    const headers = (error as { headers?: unknown }).headers;
    const retryAfterMs = retryAfterMsFrom(isHeadersLike(headers) ? headers : undefined);
    const detail = error instanceof Error ? error.message : `HTTP ${status}`;
    return new CascadeError('MODEL_CALL_FAILED', `${what} failed with HTTP ${status}: ${detail}. ${hint(status)}`, {
      cause: error,
      statusCode: status,
      retryable: isRetryableStatus(status),
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
    });
  }
  if (isOpenAIError(error, 'APIConnectionError') || isNetworkError(error)) {
    const where = context.chunksReceived !== undefined ? `the connection broke mid-stream after ${context.chunksReceived} text chunks` : 'could not reach the provider';
    const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return new CascadeError('MODEL_CALL_FAILED', `${what}: ${where}: ${error instanceof Error ? error.message : String(error)}${cause}. Retry or fall through to another model.`, { cause: error, retryable: true });
  }
  if (isOpenAIError(error, 'APIError')) {
    // An error event inside an SSE stream: no HTTP status, the provider's own message.
    return new CascadeError('MODEL_CALL_FAILED', `${what} reported an error mid-stream: ${error.message}`, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new CascadeError('MODEL_CALL_FAILED', `${what} failed: ${message}`, { cause: error });
}
