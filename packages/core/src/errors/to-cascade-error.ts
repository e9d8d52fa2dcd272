import { CascadeError, type CascadeErrorCode } from './cascade-error';

/** True for an abort caused by an AbortSignal (DOMException AbortError or our ABORTED code). */
export function isAbortError(error: unknown): boolean {
  if (CascadeError.isInstance(error)) return error.code === 'ABORTED';
  if (typeof error !== 'object' || error === null) return false;
  const name = (error as { name?: unknown }).name;
  return name === 'AbortError' || name === 'APIUserAbortError';
}

/** True for a timeout raised by AbortSignal.timeout or our TIMEOUT code. */
export function isTimeoutError(error: unknown): boolean {
  if (CascadeError.isInstance(error)) return error.code === 'TIMEOUT';
  if (typeof error !== 'object' || error === null) return false;
  return (error as { name?: unknown }).name === 'TimeoutError';
}

/**
 * Normalizes anything thrown into a CascadeError, keeping the original as `cause`.
 * Already-typed errors pass through unchanged.
 */
export function toCascadeError(error: unknown, fallbackCode: CascadeErrorCode = 'MODEL_CALL_FAILED', context?: string): CascadeError {
  if (CascadeError.isInstance(error)) return error;
  const prefix = context ? `${context}: ` : '';
  if (isTimeoutError(error)) return new CascadeError('TIMEOUT', `${prefix}the operation timed out. Raise the timeout or retry later.`, { cause: error, retryable: true });
  if (isAbortError(error)) return new CascadeError('ABORTED', `${prefix}the operation was aborted by the caller.`, { cause: error });
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : JSON.stringify(error) ?? String(error);
  return new CascadeError(fallbackCode, `${prefix}${message}`, { cause: error });
}
