const MARKER = Symbol.for('cascade.error');

/** Machine-readable error codes. Closed union: switch on it exhaustively. */
export type CascadeErrorCode =
  | 'INVALID_CONFIG'
  | 'INVALID_INPUT'
  | 'RATE_LIMITED'
  | 'BUDGET_EXCEEDED'
  | 'GUARDRAIL_BLOCKED'
  | 'MODEL_NOT_ALLOWED'
  | 'FEATURE_NOT_ALLOWED'
  | 'MODEL_CALL_FAILED'
  | 'ALL_MODELS_FAILED'
  | 'REPLAY_MISS'
  | 'OUTPUT_INVALID'
  | 'STORE_FAILED'
  | 'ABORTED'
  | 'TIMEOUT';

/** HTTP status an edge (server, SSE endpoint) should answer for each code. */
export const HTTP_STATUS_BY_CODE: Readonly<Record<CascadeErrorCode, number>> = Object.freeze({
  INVALID_CONFIG: 500,
  INVALID_INPUT: 400,
  RATE_LIMITED: 429,
  BUDGET_EXCEEDED: 429,
  GUARDRAIL_BLOCKED: 400,
  MODEL_NOT_ALLOWED: 403,
  FEATURE_NOT_ALLOWED: 403,
  MODEL_CALL_FAILED: 502,
  ALL_MODELS_FAILED: 502,
  OUTPUT_INVALID: 502,
  REPLAY_MISS: 404,
  STORE_FAILED: 503,
  ABORTED: 499,
  TIMEOUT: 504,
});

export interface CascadeErrorOptions {
  /** The underlying error or value. Always set it when wrapping. */
  cause?: unknown;
  /** True when retrying the same call may succeed (HTTP 408/409/429/5xx, network reset). */
  retryable?: boolean;
  /** HTTP status of the provider response that caused this error, when there was one. */
  statusCode?: number;
  /** How long to wait before retrying, from a Retry-After header or a limiter decision. */
  retryAfterMs?: number;
  /** Structured facts for machines (findings of a guardrail, limit that was hit, ...). */
  details?: Readonly<Record<string, unknown>>;
}

/**
 * The one error type of Cascade. `code` is for machines, `message` says what was wrong and what to do.
 * Use {@link CascadeError.isInstance} instead of `instanceof`: two installed copies of core stay compatible.
 *
 * @example
 * try { await agent.run('hi') } catch (error) {
 *   if (CascadeError.isInstance(error) && error.code === 'RATE_LIMITED') retryIn(error.retryAfterMs);
 * }
 */
export class CascadeError extends Error {
  readonly [MARKER] = true;
  readonly code: CascadeErrorCode;
  readonly retryable: boolean;
  readonly statusCode: number | undefined;
  readonly retryAfterMs: number | undefined;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: CascadeErrorCode, message: string, options: CascadeErrorOptions = {}) {
    super(message, { cause: options.cause });
    this.name = 'CascadeError';
    this.code = code;
    this.retryable = options.retryable ?? false;
    this.statusCode = options.statusCode;
    this.retryAfterMs = options.retryAfterMs;
    this.details = options.details;
  }

  /** Marker check that works across duplicated installs and realms. */
  static isInstance(error: unknown): error is CascadeError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }

  /** HTTP status for this error at an edge. */
  get httpStatus(): number {
    return HTTP_STATUS_BY_CODE[this.code];
  }

  /** A JSON body safe to return to a client (no cause, no stack). */
  toJSON(): { code: CascadeErrorCode; message: string; retryable: boolean; retryAfterMs?: number; details?: Readonly<Record<string, unknown>> } {
    return {
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...(this.retryAfterMs !== undefined ? { retryAfterMs: this.retryAfterMs } : {}),
      ...(this.details !== undefined ? { details: this.details } : {}),
    };
  }
}
