/**
 * The arithmetic of every algorithm on a flat state array, three numbers per counter `[a, b, c]`:
 *
 * | algorithm      | a                    | b                         | c               |
 * |----------------|----------------------|---------------------------|-----------------|
 * | sliding-window | current window start | count in current window   | count in previous window |
 * | fixed-window   | window start         | count                     | -               |
 * | calendar       | period start         | amount spent              | -               |
 * | token-bucket   | last refill time     | tokens left (may go < 0)  | -               |
 * | gauge          | last touch time      | in flight                 | -               |
 *
 * `NaN` in `a` means "never used". The Redis script (`redis/limit-script.ts`) mirrors this file line
 * for line; the reference-model tests hold both to the same answers.
 */

/** Numbers of state kept per counter. */
export const STATE_STRIDE = 3;

/** Start of the rolling window containing `nowMs`. */
function windowStart(nowMs: number, windowMs: number): number {
  return nowMs - (nowMs % windowMs);
}

/**
 * Rolls the state at `offset` forward to `nowMs` and returns the units in use (before this request).
 * Writes the rolled state back (harmless when the request is then denied).
 */
export function rollCounter(
  state: Float64Array,
  offset: number,
  algorithm: number,
  windowMs: number,
  capacity: number,
  refill: number,
  nowMs: number,
  periodStart: number,
): number {
  const a = state[offset]!;
  switch (algorithm) {
    case 1: {
      // Usual case: still inside the current window (`a` is always a window start, so no `%`).
      const since = nowMs - a;
      if (since >= 0 && since < windowMs) return state[offset + 2]! * (1 - since / windowMs) + state[offset + 1]!;
      const start = windowStart(nowMs, windowMs);
      if (!(a >= start)) {
        state[offset + 2] = a === start - windowMs ? state[offset + 1]! : 0;
        state[offset + 1] = 0;
        state[offset] = start;
      }
      const elapsed = (nowMs - state[offset]!) / windowMs;
      const weight = elapsed >= 1 ? 0 : elapsed <= 0 ? 1 : 1 - elapsed;
      return state[offset + 2]! * weight + state[offset + 1]!;
    }
    case 2: {
      if (a !== a) {
        state[offset] = nowMs;
        state[offset + 1] = capacity;
      } else if (nowMs > a) {
        const refilled = state[offset + 1]! + ((nowMs - a) * refill) / windowMs;
        state[offset + 1] = refilled > capacity ? capacity : refilled;
        state[offset] = nowMs;
      }
      return capacity - state[offset + 1]!;
    }
    case 3: {
      const start = windowStart(nowMs, windowMs);
      if (!(a >= start)) {
        state[offset] = start;
        state[offset + 1] = 0;
      }
      return state[offset + 1]!;
    }
    case 4: {
      if (!(a >= periodStart)) {
        state[offset] = periodStart;
        state[offset + 1] = 0;
      }
      return state[offset + 1]!;
    }
    default: {
      if (a !== a || nowMs - a > windowMs) state[offset + 1] = 0;
      state[offset] = nowMs;
      return state[offset + 1]!;
    }
  }
}

/** Applies `amount` to a rolled counter: consume when positive, refund what was taken at `refundAtMs` when negative. */
export function applyCounter(
  state: Float64Array,
  offset: number,
  algorithm: number,
  windowMs: number,
  capacity: number,
  amount: number,
  refundAtMs: number,
  refundPeriodStart: number,
): void {
  if (amount >= 0) {
    if (algorithm === 2) state[offset + 1] = state[offset + 1]! - amount;
    else state[offset + 1] = state[offset + 1]! + amount;
    return;
  }
  switch (algorithm) {
    case 1: {
      const start = windowStart(refundAtMs, windowMs);
      const slot = start === state[offset] ? 1 : start === state[offset]! - windowMs ? 2 : 0;
      if (slot !== 0) state[offset + slot] = Math.max(0, state[offset + slot]! + amount);
      return;
    }
    case 2:
      state[offset + 1] = Math.min(capacity, state[offset + 1]! - amount);
      return;
    case 3:
      if (windowStart(refundAtMs, windowMs) === state[offset]) state[offset + 1] = Math.max(0, state[offset + 1]! + amount);
      return;
    case 4:
      if (refundPeriodStart === state[offset]) state[offset + 1] = Math.max(0, state[offset + 1]! + amount);
      return;
    default:
      state[offset + 1] = Math.max(0, state[offset + 1]! + amount);
  }
}

/** When the counter next frees room: end of window/period, bucket full, or now (gauge). */
export function counterResetAt(state: Float64Array, offset: number, algorithm: number, windowMs: number, capacity: number, refill: number, nowMs: number, periodEnd: number): number {
  switch (algorithm) {
    case 1:
    case 3:
      return state[offset]! + windowMs;
    case 2: {
      const missing = capacity - state[offset + 1]!;
      return missing <= 0 ? nowMs : nowMs + Math.ceil((missing * windowMs) / refill);
    }
    case 4:
      return periodEnd;
    default:
      return nowMs;
  }
}

/**
 * Milliseconds until `amount` fits in a rolled counter that it does not fit in now: `Infinity` when
 * it never will (amount above capacity, total budget), -1 when unknown (gauge).
 */
export function counterRetryAfter(
  state: Float64Array,
  offset: number,
  algorithm: number,
  windowMs: number,
  capacity: number,
  refill: number,
  amount: number,
  nowMs: number,
  periodEnd: number,
): number {
  if (algorithm === 5) return -1;
  if (amount > capacity) return Infinity;
  const a = state[offset]!;
  const b = state[offset + 1]!;
  switch (algorithm) {
    case 1: {
      const c = state[offset + 2]!;
      const elapsed = (nowMs - a) / windowMs;
      let wait: number;
      if (b + amount <= capacity && c > 0) {
        wait = Math.ceil((1 - (capacity - b - amount) / c - elapsed) * windowMs);
      } else {
        const fraction = b > 0 ? Math.max(0, 1 - (capacity - amount) / b) : 0;
        wait = Math.ceil((1 - elapsed + fraction) * windowMs);
      }
      // Float rounding must never promise a time at which the request would still be refused.
      wait = Math.max(1, wait);
      while (slidingUsedAt(a, b, c, windowMs, nowMs + wait) + amount > capacity) wait += 1;
      return wait;
    }
    case 2:
      return Math.max(1, Math.ceil(((amount - b) * windowMs) / refill));
    case 3:
      return Math.max(1, a + windowMs - nowMs);
    default:
      return periodEnd === Infinity ? Infinity : Math.max(1, periodEnd - nowMs);
  }
}

/** Units in use of a sliding window state `[a, b, c]` seen at a later time `atMs`. */
function slidingUsedAt(a: number, b: number, c: number, windowMs: number, atMs: number): number {
  const start = windowStart(atMs, windowMs);
  let current = b;
  let previous = c;
  let begin = a;
  if (start > a) {
    previous = start - windowMs === a ? b : 0;
    current = 0;
    begin = start;
  }
  const elapsed = (atMs - begin) / windowMs;
  const weight = elapsed >= 1 ? 0 : elapsed <= 0 ? 1 : 1 - elapsed;
  return previous * weight + current;
}
