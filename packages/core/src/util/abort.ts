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
