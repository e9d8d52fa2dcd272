import { safeTimeoutMs } from '@cascade/core';

/** A child signal of a parent with an optional timeout; `timedOut` tells whether the timeout (not the parent) fired. */
export interface LinkedSignal {
  readonly signal: AbortSignal;
  readonly timedOut: boolean;
  /** Clears the timer and the parent listener. Always call it. */
  dispose(): void;
}

/**
 * Joins `parent` with a timeout whose abort reason is `timeoutReason()`. Without a timeout it
 * returns the parent itself (no listener, no timer). The timer uses `setTimeout`, so fake timers control it.
 */
export function linkSignal(parent: AbortSignal, timeoutMs: number | undefined, timeoutReason: () => unknown): LinkedSignal {
  if (timeoutMs === undefined) return { signal: parent, timedOut: false, dispose: noop };
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = (): void => controller.abort(parent.reason);
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(timeoutReason());
  }, safeTimeoutMs(timeoutMs));
  if (parent.aborted) controller.abort(parent.reason);
  else parent.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    dispose() {
      clearTimeout(timer);
      parent.removeEventListener('abort', onAbort);
    },
  };
}

function noop(): void {}
