import { CascadeError } from '../errors/cascade-error';

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
 * `dispose` that clears the timer (always call it: no stray timers).
 */
export function withTimeout(signal: AbortSignal | undefined, timeoutMs: number | undefined): { signal: AbortSignal | undefined; dispose: () => void } {
  if (timeoutMs === undefined || !Number.isFinite(timeoutMs)) return { signal, dispose: noop };
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort(new DOMException(`Timed out after ${timeoutMs} ms`, 'TimeoutError'));
  }, timeoutMs);
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

/** Sleeps `ms`, rejecting with `ABORTED` as soon as the signal fires. The timer is always cleared. */
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
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function noop(): void {}
