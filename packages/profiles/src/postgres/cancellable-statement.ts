import { abortErrorFrom, type CascadeError } from '@cascade/core';
import type pg from 'pg';

/** SQLSTATE `query_canceled`: the server stopped the statement and rolled its transaction back. */
export const QUERY_CANCELED = '57014';

/** How often a cancel is repeated while the statement has not stopped (a cancel that reaches an idle backend is ignored). */
const CANCEL_RETRY_MS = 200;

/** A client checked out of the pool for one call. */
export interface StatementSession {
  readonly client: pg.PoolClient;
  /**
   * True when the connection's state is unknown: a cancel was sent and not consumed by a
   * `query_canceled` error, or a statement may still be running. Such a client is destroyed on release.
   */
  dirty: boolean;
}

/** Opens the short-lived connection a `pg_cancel_backend` is sent from. */
export type CancelClientFactory = () => pg.Client;

/** What the caller learns about a statement its signal aborted. */
export type AbortedStatement =
  /** The server cancelled it: nothing it did is committed. */
  | { readonly kind: 'cancelled' }
  /** It finished (and, outside a transaction, committed) before the cancel took effect. */
  | { readonly kind: 'completed'; readonly result: pg.QueryResult }
  /** It failed on its own, not by the cancel. */
  | { readonly kind: 'failed'; readonly error: unknown }
  /** The cancel could not be confirmed in time: the statement may still commit. */
  | { readonly kind: 'unknown' };

/** Thrown by {@link runStatement} when the outcome of an aborted statement is unknown (the statement may commit). */
export class OutcomeUnknownError extends Error {
  constructor(readonly abortError: CascadeError) {
    super(abortError.message);
    this.name = 'OutcomeUnknownError';
  }
}

/** True for a `pg.Pool` (or anything with its checkout): only those let the store cancel a running statement. */
export function isCheckoutPool(value: unknown): value is pg.Pool {
  return typeof (value as { connect?: unknown }).connect === 'function' && typeof (value as { totalCount?: unknown }).totalCount === 'number';
}

/**
 * Checks a client out of the pool. When the signal fires first the call rejects at once and the
 * client, once it arrives, goes back to the pool unused: nothing was sent.
 */
export function checkout(pool: pg.Pool, signal: AbortSignal | undefined, what: string): Promise<StatementSession> {
  if (signal?.aborted) return Promise.reject(abortErrorFrom(signal, what));
  const pending = pool.connect();
  if (!signal) return pending.then((client) => ({ client, dirty: false }));
  return new Promise<StatementSession>((resolve, reject) => {
    let abandoned = false;
    const onAbort = (): void => {
      abandoned = true;
      reject(abortErrorFrom(signal, what));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (client) => {
        signal.removeEventListener('abort', onAbort);
        if (abandoned) client.release();
        else resolve({ client, dirty: false });
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        if (!abandoned) reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** Gives the client back: clean ones to the pool, dirty ones are closed (the pool opens a new one). */
export function release(session: StatementSession): void {
  session.client.release(session.dirty ? true : undefined);
}

/**
 * Runs one statement on a checked-out client. An abort before the statement is sent rejects without
 * touching the database. An abort while it runs cancels it on the server (`pg_cancel_backend`) and
 * waits for the truth: the statement's own result when it completed first, `ABORTED`/`TIMEOUT` when
 * the server cancelled it, its own error when it failed otherwise, and {@link OutcomeUnknownError}
 * when nothing was confirmed within `cancelTimeoutMs` (the session is then dirty).
 */
export async function runStatement<R extends pg.QueryResultRow>(
  session: StatementSession,
  text: string,
  values: unknown[] | undefined,
  signal: AbortSignal | undefined,
  what: string,
  cancel: { openClient: CancelClientFactory; timeoutMs: number },
): Promise<pg.QueryResult<R>> {
  if (signal?.aborted) throw abortErrorFrom(signal, what);
  // The client is ours alone and idle: `query` writes the statement to the socket now.
  const pending = session.client.query<R>(text, values);
  if (!signal) return pending;
  const abortedFirst = await new Promise<boolean>((resolve) => {
    const onAbort = (): void => resolve(true);
    signal.addEventListener('abort', onAbort, { once: true });
    const done = (): void => {
      signal.removeEventListener('abort', onAbort);
      resolve(false);
    };
    pending.then(done, done);
  });
  if (!abortedFirst) return pending;
  const outcome = await cancelRunning(session, pending as Promise<pg.QueryResult>, cancel.openClient, cancel.timeoutMs);
  switch (outcome.kind) {
    case 'completed':
      return outcome.result as pg.QueryResult<R>;
    case 'cancelled':
      throw abortErrorFrom(signal, what);
    case 'failed':
      throw outcome.error;
    case 'unknown':
      throw new OutcomeUnknownError(abortErrorFrom(signal, what));
  }
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

/**
 * Cancels the statement running on `session` and waits (at most `timeoutMs`) for it to settle. The
 * cancel is repeated until the statement settles: one that reaches the backend before it starts
 * executing is ignored by PostgreSQL. Every cancel request has returned before this resolves, so a
 * late one cannot hit the next statement on a connection that goes back to the pool.
 */
export async function cancelRunning(
  session: StatementSession,
  pending: Promise<pg.QueryResult>,
  openClient: CancelClientFactory,
  timeoutMs: number,
): Promise<AbortedStatement> {
  const deadline = Date.now() + timeoutMs;
  let settled: Settled<pg.QueryResult> | undefined;
  const settling = pending.then(
    (value): Settled<pg.QueryResult> => (settled = { ok: true, value }),
    (error: unknown): Settled<pg.QueryResult> => (settled = { ok: false, error }),
  );
  // Unknown until proven clean: a cancel may be in flight.
  let cancelSent = false;
  let cancelUnknown = false;
  let cancelInFlight = false;
  const pid = (session.client as unknown as { processID?: number | null }).processID;
  if (typeof pid === 'number' && pid > 0) {
    const client = openClient();
    client.on('error', () => undefined);
    try {
      const connected = await within(client.connect().then(() => true), deadline);
      if (connected === true) {
        while (!settled && Date.now() < deadline) {
          cancelInFlight = true;
          const sent = await within(
            client.query<{ cancelled: boolean }>('SELECT pg_cancel_backend($1) AS cancelled', [pid]).then((result) => result.rows[0]?.cancelled === true),
            deadline,
          );
          if (sent === TIMED_OUT) {
            cancelUnknown = true; // it may still reach the backend later
            break;
          }
          cancelInFlight = false;
          cancelSent ||= sent;
          await within(settling, Math.min(deadline, Date.now() + CANCEL_RETRY_MS));
        }
      }
    } catch {
      // The cancel connection failed: before a request nothing was sent; during one, it may have been.
      cancelUnknown ||= cancelInFlight;
    } finally {
      await within(
        client.end().catch(() => undefined),
        Date.now() + 1000,
      );
    }
  }
  const result = settled ?? (await within(settling, deadline));
  if (result === TIMED_OUT) {
    session.dirty = true;
    return { kind: 'unknown' };
  }
  const consumed = !result.ok && (result.error as { code?: unknown }).code === QUERY_CANCELED;
  // A cancel that did not end this statement may still be pending on the backend: close the connection.
  if (cancelUnknown || (cancelSent && !consumed)) session.dirty = true;
  if (result.ok) return { kind: 'completed', result: result.value };
  if (consumed) return { kind: 'cancelled' };
  return { kind: 'failed', error: result.error };
}

const TIMED_OUT = Symbol('timed out');

/** `promise`'s value, or TIMED_OUT at `deadline` (epoch ms). Rejections propagate; the timer is always cleared. */
async function within<T>(promise: Promise<T>, deadline: number): Promise<T | typeof TIMED_OUT> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<typeof TIMED_OUT>((resolve) => {
        timer = setTimeout(() => resolve(TIMED_OUT), Math.max(0, deadline - Date.now()));
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
