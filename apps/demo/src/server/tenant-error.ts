import { CascadeError, type CascadeErrorCode } from '@cascade/core';
import { INTERNAL_ERROR_MESSAGE, OPENAI_ERROR_TYPE_BY_CODE, type OpenAIErrorBody, retryAfterSeconds } from '@cascade/stream';
import { HttpError } from './http-error';

/** A JSON error answer as a tenant sees it, and the detail only the operator's log gets. */
export interface TenantErrorResponse {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: OpenAIErrorBody;
  /** The internal message (secrets and prompt text masked), for the access log. */
  detail?: string;
}

/** What the server knows when it answers an error. */
export interface TenantErrorContext {
  /** The server is stopping: an aborted request is the server's doing, not the client's. */
  shuttingDown?: boolean;
  /** Texts that must not reach the log (the request's message contents). */
  secrets?: readonly string[];
}

/** The message a client gets when the server stops under its request (503, with `Retry-After`). */
export const SHUTTING_DOWN_MESSAGE = 'The server is restarting; retry the request.';

interface TenantView {
  code: CascadeErrorCode;
  status: number;
  message: string;
  retryAfterMs?: number;
}

const isString = (value: unknown): value is string => typeof value === 'string';
const inSeconds = (ms: number | undefined): string => (ms !== undefined && Number.isFinite(ms) ? ` Retry in ${Math.max(1, Math.ceil(ms / 1000))} s.` : '');

/**
 * What a tenant may see of a `CascadeError`: its code and a message written for the tenant from the
 * code and the error's structured details, never from the error's own message, which is written for
 * the operator (tier internals, store and client library errors, model lists).
 */
function tenantView(error: CascadeError, context: TenantErrorContext): TenantView {
  const details = error.details ?? {};
  const retry = error.retryAfterMs;
  const withRetry = (view: TenantView): TenantView => (retry !== undefined ? { ...view, retryAfterMs: retry } : view);
  switch (error.code) {
    case 'RATE_LIMITED': {
      if (details.reason === 'store-unavailable') {
        return { code: 'STORE_FAILED', status: 503, message: 'Rate limiting is temporarily unavailable; retry shortly.', retryAfterMs: retry ?? 1_000 };
      }
      const window = isString(details.window) ? ` ${details.window}` : '';
      const limit = typeof details.limit === 'number' ? details.limit : undefined;
      if (details.dimension === 'tokens' && details.reason === 'exceeds-capacity') {
        return withRetry({ code: error.code, status: 429, message: `The request needs more tokens than your tier allows${window}; lower max_tokens or shorten the prompt.` });
      }
      if (details.dimension === 'tokens') return withRetry({ code: error.code, status: 429, message: `Token limit reached${limit !== undefined ? `: ${limit} tokens${window}` : ''}.${inSeconds(retry)}` });
      if (details.dimension === 'concurrency') return withRetry({ code: error.code, status: 429, message: `Too many requests in flight${limit !== undefined ? ` (${limit})` : ''}; wait for one to finish.` });
      return withRetry({ code: error.code, status: 429, message: `Rate limit reached${limit !== undefined ? `: ${limit} requests${window}` : ''}.${inSeconds(retry)}` });
    }
    case 'BUDGET_EXCEEDED':
      if (details.maxCostPerRequestUsd !== undefined) {
        return { code: error.code, status: 429, message: 'The request\'s estimated cost is over your per-request limit; shorten the prompt or lower max_tokens.' };
      }
      return withRetry({
        code: error.code, status: 429,
        message: `Your ${isString(details.window) ? `${details.window} ` : ''}budget is used up.${retry !== undefined && Number.isFinite(retry) ? inSeconds(retry) : ' Ask the operator to raise it.'}`,
      });
    case 'GUARDRAIL_BLOCKED': {
      const findings = Array.isArray(details.findings) ? (details.findings as { type?: unknown; action?: unknown }[]) : [];
      const blocking = findings.filter((finding) => finding.action === 'block');
      const types = [...new Set((blocking.length > 0 ? blocking : findings).map((finding) => finding.type).filter(isString))]
        .filter((type) => /^[\w:.-]{1,40}$/.test(type))
        .slice(0, 5);
      return { code: error.code, status: 400, message: `Blocked by the content policy${types.length > 0 ? ` (${types.join(', ')})` : ''}. Rephrase the request and retry.` };
    }
    case 'MODEL_NOT_ALLOWED':
      return { code: error.code, status: 403, message: 'No model your tier may use can answer this request. Use model "cascade" or one listed by GET /v1/models.' };
    case 'FEATURE_NOT_ALLOWED':
      return {
        code: error.code, status: 403,
        message: details.feature === 'streaming' || details.feature === 'stream' ? 'Your tier does not include streaming; send the request without "stream": true.' : `Your tier does not include ${isString(details.feature) && /^[\w-]{1,40}$/.test(details.feature) ? details.feature : 'this feature'}.`,
      };
    case 'MODEL_CALL_FAILED':
    case 'ALL_MODELS_FAILED':
      return { code: error.code, status: 502, message: 'The upstream models could not answer; retry later.' };
    case 'OUTPUT_INVALID':
      return { code: error.code, status: 502, message: 'The models could not produce an answer that matches the requested schema; simplify the schema or retry.' };
    case 'REPLAY_MISS':
      return { code: error.code, status: 404, message: 'This demo server replays recorded answers and has none for this prompt.' };
    case 'TIMEOUT':
      return { code: error.code, status: 504, message: 'The request took longer than the server allows; retry, or ask for fewer tokens.' };
    case 'ABORTED':
      return context.shuttingDown
        ? { code: error.code, status: 503, message: SHUTTING_DOWN_MESSAGE, retryAfterMs: 1_000 }
        : { code: error.code, status: 499, message: 'The request was cancelled.' };
    case 'INVALID_INPUT':
      return { code: error.code, status: 400, message: 'The request could not be processed as sent; check its messages and parameters.' };
    case 'INVALID_CONFIG':
      return { code: error.code, status: 500, message: INTERNAL_ERROR_MESSAGE };
    case 'STORE_FAILED':
      return { code: error.code, status: 503, message: INTERNAL_ERROR_MESSAGE };
  }
}

/**
 * The same error as a `CascadeError` a tenant may see, for the error chunk of a stream that already
 * started (`@cascade/stream` writes its code and message): code, tenant message, retry delay.
 */
export function toTenantCascadeError(error: CascadeError, context: TenantErrorContext = {}): CascadeError {
  const view = tenantView(error, context);
  return new CascadeError(view.code, view.message, view.retryAfterMs !== undefined ? { retryAfterMs: view.retryAfterMs } : {});
}

/**
 * Maps anything thrown to the answer a tenant gets: the server's own `HttpError`s as they are (they are
 * written for the client), a `CascadeError` as its code and a tenant message ({@link tenantView}), anything
 * else as a 500 that says nothing. The internal message goes to `detail`, for the log only.
 */
export function toTenantError(error: unknown, context: TenantErrorContext = {}): TenantErrorResponse {
  if (error instanceof HttpError) {
    return {
      status: error.status, headers: error.headers,
      body: { error: { message: error.message, type: error.type, code: error.code, param: error.param } },
      ...(error.detail !== undefined ? { detail: maskDetail(error.detail, context.secrets) } : {}),
    };
  }
  if (CascadeError.isInstance(error)) {
    const view = tenantView(error, context);
    const detail = maskDetail(describeChain(error), context.secrets);
    if (context.shuttingDown && error.code === 'ABORTED') {
      return { status: 503, headers: { 'retry-after': '1' }, body: { error: { message: view.message, type: 'server_error', code: 'server_shutting_down', param: null } }, detail };
    }
    return {
      status: view.status,
      headers: view.retryAfterMs !== undefined && Number.isFinite(view.retryAfterMs) ? { 'retry-after': retryAfterSeconds(view.retryAfterMs) } : {},
      body: {
        error: {
          message: view.message, type: OPENAI_ERROR_TYPE_BY_CODE[view.code], code: view.code, param: null,
          ...(view.retryAfterMs !== undefined && Number.isFinite(view.retryAfterMs) ? { retry_after_ms: view.retryAfterMs } : {}),
        },
      },
      detail,
    };
  }
  return {
    status: 500, headers: {}, body: { error: { message: INTERNAL_ERROR_MESSAGE, type: 'server_error', code: 'internal_error', param: null } },
    detail: maskDetail(describeChain(error), context.secrets),
  };
}

/** `CODE: message ← cause ← cause`, at most three levels. */
function describeChain(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 3 && current !== undefined && current !== null; depth++) {
    if (current instanceof Error) {
      parts.push(CascadeError.isInstance(current) ? `${current.code}: ${current.message}` : `${current.name}: ${current.message}`);
      current = current.cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return parts.join(' ← ');
}

const MAX_DETAIL = 1_000;

/**
 * Masks what must never reach a log: API keys (`csk_…`, `sk-…`, bearer tokens), URL passwords, and
 * any of `secrets` (the request's message texts, so an error that quotes the prompt does not leak it);
 * truncates to 1,000 characters.
 */
export function maskDetail(text: string, secrets: readonly string[] = []): string {
  let masked = text.length > 4 * MAX_DETAIL ? text.slice(0, 4 * MAX_DETAIL) : text;
  for (const secret of secrets) {
    // Short texts ("hi") would mask ordinary words; a message that short says nothing private.
    if (secret.length >= 12 && secret.length <= masked.length && masked.includes(secret)) masked = masked.split(secret).join('[prompt]');
  }
  masked = masked
    .replace(/\b(?:csk|sk)[-_][\w-]{8,}/g, '[key]')
    .replace(/\bBearer\s+\S+/gi, 'Bearer [key]')
    .replace(/(\b[a-z][\w+.-]*:\/\/)[^\s/@:]*:[^\s/@]*@/gi, '$1***@');
  return masked.length > MAX_DETAIL ? `${masked.slice(0, MAX_DETAIL)}…` : masked;
}
