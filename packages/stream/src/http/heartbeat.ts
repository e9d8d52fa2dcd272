/** The SSE comment written when a response has been idle: ignored by `EventSource` and by the `openai` SDK. */
export const SSE_HEARTBEAT = ': ping\n\n';

/** A running heartbeat: `touch()` after every write, `stop()` on every way the response ends. */
export interface Heartbeat {
  /** Something was written: the idle time starts again. */
  touch(): void;
  /** Clears the timer; no beat runs after this. Idempotent. */
  stop(): void;
}

const NO_HEARTBEAT: Heartbeat = { touch: () => undefined, stop: () => undefined };

/**
 * Calls `beat` whenever nothing was written for `intervalMs` (then again every `intervalMs` while the
 * response stays idle). One timer at a time, re-armed for the remaining idle time, so a busy stream
 * costs a `Date.now()` per write and no timer churn. The timer is unref'd (the connection keeps the
 * process alive, not the heartbeat). `intervalMs` 0 disables it.
 */
export function startHeartbeat(intervalMs: number, beat: () => void): Heartbeat {
  if (intervalMs <= 0) return NO_HEARTBEAT;
  let lastWrite = Date.now();
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (delayMs: number): void => {
    timer = setTimeout(tick, delayMs);
    // Node and Bun have unref; browsers, Deno and Workers return a number.
    if (typeof timer === 'object' && typeof timer.unref === 'function') timer.unref();
  };
  const tick = (): void => {
    timer = undefined;
    if (stopped) return;
    const idleMs = Date.now() - lastWrite;
    if (idleMs < intervalMs) {
      arm(intervalMs - idleMs);
      return;
    }
    beat();
    lastWrite = Date.now();
    if (!stopped) arm(intervalMs);
  };
  arm(intervalMs);
  return {
    touch() {
      lastWrite = Date.now();
    },
    stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}
