import { CascadeError, isAbortError, toCascadeError } from '@cascade/core';

const RETRYABLE_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN',
  // PostgreSQL: serialization failure, deadlock, admin shutdown, cannot connect now, too many connections.
  '40001', '40P01', '57P01', '57P03', '53300',
  // SQLite: database busy or locked.
  'SQLITE_BUSY', 'SQLITE_LOCKED',
]);

/**
 * Normalizes a store failure: typed errors and aborts pass through, everything else becomes
 * `STORE_FAILED` (retryable for connection resets, busy databases and serialization failures).
 *
 * @param what - what failed, e.g. `SQLite profile store: load "user_1"`.
 */
export function toStoreError(error: unknown, what: string): CascadeError {
  if (CascadeError.isInstance(error) || isAbortError(error)) return toCascadeError(error, 'STORE_FAILED', what);
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  return new CascadeError('STORE_FAILED', `${what} failed: ${message}. Check that the database is reachable and writable, then retry.`, {
    cause: error,
    // SQLite's extended codes (SQLITE_BUSY_SNAPSHOT, SQLITE_LOCKED_SHAREDCACHE, ...) are as retryable as their base code.
    retryable: typeof code === 'string' && (RETRYABLE_CODES.has(code) || /^SQLITE_(BUSY|LOCKED)_/.test(code)),
  });
}
