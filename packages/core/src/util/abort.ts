import { CascadeError } from '../errors/cascade-error';
import { safeTimeoutMs } from './timeout-ms';

/** Throws `ABORTED` (or `TIMEOUT` for a timeout reason) when the signal has fired. */
export function throwIfAborted(signal: AbortSignal | undefined, what = 'The operation'): void {
  if (signal?.aborted) throw abortErrorFrom(signal, what);
}

/** The typed error for a fired signal: `TIMEOUT` when its reason is a TimeoutError, else `ABORTED`. */
export function abortErrorFrom(signal: AbortSignal, what = 'The operation'): CascadeError {
  const reason: unknown = signal.reason;
  if (CascadeError.isInstance(reason)) return reason;
  if (typeof reason === 'object' && reason !== null && (reason as { name?: unknown }).name === 'TimeoutError') {
    return new CascadeError('TIMEOUT', `${what} timed out.`, { cause: reason, retryable: true });
  }
  return new CascadeError('ABORTED', `${what} was aborted by the caller.`, { cause: reason });
}

/**
 * Joins the caller's signal with an optional timeout. Returns the signal to pass down and a
 * `dispose` that clears the timer (always call it: no stray timers). A timeout over 2³¹−1 ms is
 * clamped to it (validated options reject it earlier, see `timeoutMsSchema`).
 */
export function withTimeout(signal: AbortSignal | undefined, timeoutMs: number | undefined): { signal: AbortSignal | undefined; dispose: () => void } {
  if (timeoutMs === undefined || !Number.isFinite(timeoutMs)) return { signal, dispose: noop };
  const controller = new AbortController();
  // Clamped: a timeout over 2^31-1 ms would otherwise fire after 1 ms.
  const timer = setTimeout(() => {
    controller.abort(new DOMException(`Timed out after ${timeoutMs} ms`, 'TimeoutError'));
  }, safeTimeoutMs(timeoutMs));
  const onAbort = (): void => controller.abort(signal?.reason);
  if (signal) {
    if (signal.aborted) controller.abort(signal.reason);
    else signal.addEventListener('abort', onAbort, { once: true });
  }
  return {
    signal: controller.signal,
    dispose: () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    },
  };
}

/**
 * Settles like `promise`, but rejects with `ABORTED`/`TIMEOUT` as soon as `signal` fires — for work
 * that ignores the signal. The work itself is not cancelled; its late rejection is handled, never
 * unhandled. The listener is removed when either side settles.
 */
export function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined, what = 'The operation'): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(noop);
    return Promise.reject(abortErrorFrom(signal, what));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      signal.removeEventListener('abort', onAbort);
      reject(abortErrorFrom(signal, what));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Sleeps `ms` (clamped to [0, 2³¹−1]), rejecting with `ABORTED` as soon as the signal fires. The timer is always cleared. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortErrorFrom(signal, 'The wait'));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortErrorFrom(signal!, 'The wait'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, safeTimeoutMs(ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function noop(): void {}
