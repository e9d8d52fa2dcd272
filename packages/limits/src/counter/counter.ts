/**
 * Counters are the one primitive every limit compiles to: a rate window, a token bucket, a calendar
 * budget period, or an in-flight gauge. A store evaluates all counters of a decision atomically.
 */

/** How a counter measures use over time. */
export type CounterAlgorithm = 'sliding-window' | 'token-bucket' | 'fixed-window' | 'calendar' | 'gauge';

/** What a counter counts: requests, tokens, cost in micro-USD, or requests in flight. */
export type CounterDimension = 'requests' | 'tokens' | 'cost' | 'concurrency';

/** Numeric algorithm codes shared by the memory kernel and the Redis script. */
export const ALGORITHM_CODE: Readonly<Record<CounterAlgorithm, number>> = Object.freeze({
  'sliding-window': 1,
  'token-bucket': 2,
  'fixed-window': 3,
  calendar: 4,
  gauge: 5,
});

/** The static shape of one counter; its numbers (capacity, amount, period) come with each operation. */
export interface CounterSpec {
  /** Stable state name inside a key, e.g. `r:sliding-window:60000`. Same id = same state. */
  readonly id: string;
  readonly algorithm: CounterAlgorithm;
  readonly dimension: CounterDimension;
  /**
   * Window length in ms (sliding/fixed window), refill interval (token bucket), lease in ms after
   * which an untouched gauge resets (gauge), or 0 (calendar: periods come with each operation).
   */
  readonly windowMs: number;
  /** Human label for messages, e.g. `per minute`, `daily`. */
  readonly label: string;
}

/** The counters of one key, compiled once. Stores key their state layout by `signature`. */
export interface CounterLayout {
  readonly signature: string;
  readonly counters: readonly CounterSpec[];
  /** {@link ALGORITHM_CODE} per counter, precomputed for the hot path. */
  readonly codes: Uint8Array;
  /** `windowMs` per counter, precomputed for the hot path. */
  readonly windows: Float64Array;
}

/** Builds a layout from counters (the signature is derived from the ids). */
export function createLayout(counters: readonly CounterSpec[]): CounterLayout {
  return {
    signature: counters.map((counter) => counter.id).join('|'),
    counters,
    codes: Uint8Array.from(counters.map((counter) => ALGORITHM_CODE[counter.algorithm])),
    windows: Float64Array.from(counters.map((counter) => counter.windowMs)),
  };
}

/** A calendar period `[start, end)` in epoch ms; `end` is `Infinity` for a total budget. */
export interface CounterPeriod {
  start: number;
  end: number;
}

/**
 * One key's part of a decision. Arrays are indexed like `layout.counters`.
 * Positive amounts consume at `nowMs`; negative amounts refund what was consumed at `refundAtMs`.
 */
export interface KeyOperation {
  /** Namespace of the limiter (memory table / Redis key prefix). */
  readonly namespace: string;
  /** The limited key, e.g. a user id. */
  readonly key: string;
  readonly layout: CounterLayout;
  /** Capacity of each counter (limit + burst). */
  readonly capacity: readonly number[];
  /** Token bucket: units refilled per `windowMs` (the base rate). Ignored by other algorithms. */
  readonly refill: readonly number[];
  /** Units to take (positive) or give back (negative) per counter. */
  readonly amounts: readonly number[];
  /** Calendar counters: the period containing `nowMs`. */
  readonly periods?: readonly (CounterPeriod | undefined)[];
  /** Calendar counters: start of the period containing `refundAtMs` (for refunds). */
  readonly refundPeriodStarts?: readonly (number | undefined)[];
  /**
   * With {@link EvaluateRequest.hold}: the part of `amounts` held by the reservation, per counter —
   * given back (like a release) by the first decision on this key at or after the lease's expiry.
   */
  readonly held?: readonly number[];
  /**
   * With {@link EvaluateRequest.settle}: the amounts to apply instead of `amounts` when the
   * reservation is no longer held on this key (its lease lapsed and the held part was given back).
   */
  readonly lateAmounts?: readonly number[];
}

/** A reservation's lease: its id (unique across processes) and when it lapses, epoch ms. */
export interface HoldLease {
  readonly id: string;
  readonly expiresAt: number;
}

/** A request to a store: every operation is decided together, all or nothing. */
export interface EvaluateRequest {
  readonly nowMs: number;
  /** Consume even when over capacity (warn mode, settling an overrun). */
  readonly force: boolean;
  /**
   * When the refunded units were consumed (the reservation time). Set on settlements only: a store
   * never undoes a request that carries it when its caller gave up (see `RedisStore.evaluate`).
   */
  readonly refundAtMs?: number;
  readonly operations: readonly KeyOperation[];
  /**
   * Opens a reservation: when the amounts are applied, each operation's `held` amounts are recorded
   * under this lease. A hold never settled is given back by the first decision on its key at or
   * after `expiresAt` (lazy expiry, no timers). Give back what was taken at `nowMs`.
   */
  readonly hold?: HoldLease;
  /**
   * Settles the reservation with this id: on each key where it is still held, the hold is closed and
   * `amounts` apply; where it is not (lapsed, or the key was forgotten) `lateAmounts` apply instead
   * and {@link EvaluateResult.lapsedHolds} counts it. Settle requests are forced.
   */
  readonly settle?: string;
}

/** What a store answers. `remaining`/`resetAt` are flattened over every operation's counters. */
export interface EvaluateResult {
  /** Every counter had room. The amounts were applied when `allowed`, or always with `force`. */
  readonly allowed: boolean;
  /** Operation index of the counter that decided a denial (or the tightest exceeded one), else -1. */
  readonly failedOperation: number;
  /** Counter index inside that operation, else -1. */
  readonly failedCounter: number;
  /** How long until the request would fit: 0 when it fits, `Infinity` when it never will, -1 when unknown (gauge). */
  readonly retryAfterMs: number;
  /** Units left per counter after this decision (not below 0). */
  readonly remaining: ArrayLike<number>;
  /** When each counter next frees room (end of the window or period; bucket full), epoch ms. */
  readonly resetAt: ArrayLike<number>;
  /**
   * Set when the store could not decide (down, slow): the result is the store's fail mode
   * (`allowed` true for fail-open) and nothing was counted.
   */
  readonly unavailable?: { readonly failMode: 'open' | 'closed'; readonly error: Error };
  /** Settle requests: how many operations found their hold lapsed (and applied `lateAmounts`). */
  readonly lapsedHolds?: number;
  /**
   * Denials: the deciding counter would have room without the reservations still held on its key
   * (requests in flight). `retryAfterMs` is then at most {@link HOLD_RETRY_MS} and never past the
   * earliest lease expiry: holds clear when their requests settle, usually long before the period ends.
   */
  readonly heldByReservations?: boolean;
}

/**
 * Longest `retryAfterMs` of a denial that only reservations in flight cause: they clear when their
 * requests settle (seconds), not at the end of the window or period.
 */
export const HOLD_RETRY_MS = 1_000;

/**
 * A place where counters live. The memory store answers synchronously; Redis asynchronously.
 * `evaluate` must be atomic over all operations of the request (the Redis store documents its
 * Cluster exception).
 */
export interface LimitStore {
  readonly kind: string;
  evaluate(request: EvaluateRequest, options?: { abortSignal?: AbortSignal }): EvaluateResult | Promise<EvaluateResult>;
}
