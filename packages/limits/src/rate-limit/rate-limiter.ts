import { CascadeError, abortErrorFrom, parseConfig } from '@cascade/core';
import { createLayout, type CounterLayout, type CounterSpec, type EvaluateRequest, type EvaluateResult, type KeyOperation, type LimitStore } from '../counter/counter';
import { admitOnStore } from '../decision/admit-on-store';
import { MICRO_USD, describeWindow, evaluateOnStore, toDecision, toStoreError, type DecisionContext, type LimitDecision } from '../decision/limit-decision';
import { resolveDependencies } from '../dependencies/resolve-dependencies';
import { evaluateIntoOf, type MutableResult } from '../memory/memory-store';
import { NOT_SETTLED, SETTLED, SETTLED_LATE, newHoldId, type SettleResult } from '../reservation/reservation-lease';
import { rateLimiterConfigSchema, type RateLimiterConfig } from './rate-limit-config';

/** Dependencies of a limiter: where counters live and what time it is. */
export interface LimiterDependencies {
  /** @default a new {@link createMemoryStore} */
  store?: LimitStore;
  /** Clock in epoch ms; inject it in tests. @default Date.now */
  now?: () => number;
}

/** What to take from a key in one decision. */
export interface ConsumeOptions {
  /** Requests to count. @default 1 */
  requests?: number;
  /** Tokens to count (prompt + expected output). @default 0 */
  tokens?: number;
  abortSignal?: AbortSignal;
}

/**
 * A hold on requests, tokens and a concurrency slot, to settle once the call is done. The tokens are
 * held for `reservationLeaseMs`: if neither `settle` nor `release` comes by then (a crash), the
 * first decision on the key after it gives them back.
 */
export interface RateLimitReservation {
  readonly decision: LimitDecision;
  /**
   * Settles to the tokens actually used: the unused part of the reservation is refunded, an overrun
   * is counted; the concurrency slot is freed. Only the first settle/release counts. After the lease
   * lapsed the reserved tokens were already given back, so the actual tokens are counted in full
   * (`expired: true`).
   */
  settle(actual: { tokens: number }, options?: { abortSignal?: AbortSignal }): Promise<SettleResult>;
  /** Gives back every reserved token and the concurrency slot (the call failed or was aborted). */
  release(options?: { abortSignal?: AbortSignal }): Promise<SettleResult>;
}

/** A rate limiter over one or more windows, for any string key. */
export interface RateLimiter {
  /** Checks every window and, when all have room, consumes from all of them, atomically. */
  consume(key: string, options?: ConsumeOptions): Promise<LimitDecision>;
  /**
   * `consume` without a promise, for synchronous stores (the memory store): the fastest path for
   * in-process limits. Throws `INVALID_CONFIG` when the store answers asynchronously (Redis).
   */
  consumeSync(key: string, options?: Omit<ConsumeOptions, 'abortSignal'>): LimitDecision;
  /** Like `consume` for `requests` + reserved `tokens`, and holds a concurrency slot until settled. */
  reserve(key: string, options: ConsumeOptions & { tokens: number }): Promise<RateLimitReservation>;
}

interface CompiledLimiter {
  layout: CounterLayout;
  capacity: number[];
  refill: number[];
  /** Dimension per counter: 0 requests, 1 tokens, 2 concurrency. */
  kinds: Uint8Array;
}

function compile(config: ReturnType<typeof rateLimiterConfigSchema.parse>): CompiledLimiter {
  const counters: CounterSpec[] = [];
  const capacity: number[] = [];
  const refill: number[] = [];
  const kinds: number[] = [];
  for (const dimension of ['requests', 'tokens'] as const) {
    for (const rule of config.limits) {
      const limit = dimension === 'requests' ? rule.requests : rule.tokens;
      if (limit === undefined) continue;
      const algorithm = rule.algorithm ?? config.algorithm;
      counters.push({ id: `${dimension === 'requests' ? 'r' : 't'}:${algorithm}:${rule.window}`, algorithm, dimension, windowMs: rule.window, label: describeWindow(rule.window) });
      capacity.push(limit + (dimension === 'requests' ? rule.burst : rule.tokenBurst));
      refill.push(limit);
      kinds.push(dimension === 'requests' ? 0 : 1);
    }
  }
  if (config.maxConcurrent !== undefined) {
    counters.push({ id: 'c:gauge', algorithm: 'gauge', dimension: 'concurrency', windowMs: config.concurrencyLeaseMs, label: 'in flight' });
    capacity.push(config.maxConcurrent);
    refill.push(0);
    kinds.push(2);
  }
  return { layout: createLayout(counters), capacity, refill, kinds: Uint8Array.from(kinds) };
}

function assertKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) {
    throw new CascadeError('INVALID_INPUT', `A limiter key must be a non-empty string (a user, organization or workspace id); got ${JSON.stringify(key)}.`);
  }
}

function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/**
 * Creates a rate limiter: requests and tokens per window, with burst, over any number of windows,
 * all checked and consumed in one atomic store decision. Denials are data, never thrown.
 *
 * @param config - see {@link rateLimiterConfigSchema}; invalid config throws `INVALID_CONFIG`.
 * @param dependencies - `store` (memory by default) and `now` (clock).
 * @example
 * const limiter = createRateLimiter({
 *   limits: [{ window: '1 s', requests: 10, burst: 5 }, { window: '1 m', requests: 100, tokens: 50_000 }],
 * });
 * const decision = await limiter.consume('user-42', { tokens: 1200 });
 * if (!decision.allowed) reply(429, { retryAfterMs: decision.retryAfterMs });
 */
export function createRateLimiter(config: RateLimiterConfig, dependencies: LimiterDependencies = {}): RateLimiter {
  const options = parseConfig(rateLimiterConfigSchema, config, 'createRateLimiter config');
  const { store, now } = resolveDependencies(dependencies, 'createRateLimiter');
  const compiled = compile(options);
  const { layout, capacity, refill, kinds } = compiled;
  const counterCount = kinds.length;
  const hasTokenCounters = kinds.includes(1);
  const context: DecisionContext = { mode: options.enforcement, costScale: MICRO_USD };
  const force = options.enforcement === 'warn';
  const defaultAmounts = amountsFor(1, 0, 0);
  // The amounts of the last (requests, tokens) pair, reused while callers repeat it (never mutated:
  // an asynchronous store may still read an earlier request's array).
  let lastRequests = 1;
  let lastTokens = 0;
  let lastAmounts = defaultAmounts;
  // Counters of the primary dimension (the first counter's), for the allowed-decision fast path.
  const primaryDimension = layout.counters[0]?.dimension;
  const primaryCounters = Int32Array.from(layout.counters.flatMap((counter, index) => (counter.dimension === primaryDimension ? [index] : [])));
  const primaryScale = primaryDimension === 'cost' ? context.costScale : 1;
  // Memory store: evaluate in place into reused scratch (a synchronous store keeps nothing of it).
  const evaluateInto = evaluateIntoOf(store);
  const scratchOperation: { -readonly [K in keyof KeyOperation]: KeyOperation[K] } = { namespace: options.prefix, key: '', layout, capacity, refill, amounts: defaultAmounts };
  const scratchRequest: { -readonly [K in keyof EvaluateRequest]: EvaluateRequest[K] } = { nowMs: 0, force, operations: [scratchOperation] };
  const scratchRemaining = new Float64Array(counterCount);
  const scratchResetAt = new Float64Array(counterCount);
  const scratchResult: MutableResult = { allowed: true, failedOperation: -1, failedCounter: -1, retryAfterMs: 0, remaining: scratchRemaining, resetAt: scratchResetAt };

  function amountsFor(requests: number, tokens: number, gauge: number): number[] {
    const amounts = new Array<number>(counterCount);
    for (let index = 0; index < counterCount; index++) {
      const kind = kinds[index];
      amounts[index] = kind === 0 ? requests : kind === 1 ? tokens : gauge;
    }
    return amounts;
  }

  function checkAmount(name: string, value: number): void {
    if (!Number.isInteger(value) || value < 0) {
      throw new CascadeError('INVALID_INPUT', `${name} must be a whole number ≥ 0; got ${value}.`);
    }
  }

  const decisionOf = (result: EvaluateResult, request: EvaluateRequest): LimitDecision => toDecision(result, request, context);

  /** An admission: a caller who aborts meanwhile leaves nothing counted (see {@link admitOnStore}). */
  function run(request: EvaluateRequest, abortSignal: AbortSignal | undefined): Promise<LimitDecision> {
    return admitOnStore(store, request, abortSignal, decisionOf);
  }

  function operation(key: string, amounts: number[]): KeyOperation {
    return { namespace: options.prefix, key, layout, capacity, refill, amounts };
  }

  /**
   * Closes a reservation: `amounts` apply while it is held, `lateAmounts` once its lease lapsed
   * (`holdId` undefined: nothing was held, `amounts` apply).
   */
  async function settleWith(key: string, reservedAtMs: number, holdId: string | undefined, amounts: number[], lateAmounts: number[], abortSignal: AbortSignal | undefined): Promise<SettleResult> {
    if (holdId === undefined) {
      if (amounts.every((amount) => amount === 0)) return SETTLED;
      await evaluateOnStore(store, { nowMs: now(), force: true, refundAtMs: reservedAtMs, operations: [operation(key, amounts)] }, abortSignal);
      return SETTLED;
    }
    const result = await evaluateOnStore(
      store,
      { nowMs: now(), force: true, refundAtMs: reservedAtMs, settle: holdId, operations: [{ ...operation(key, amounts), lateAmounts }] },
      abortSignal,
    );
    if (result.unavailable) return NOT_SETTLED;
    return (result.lapsedHolds ?? 0) > 0 ? SETTLED_LATE : SETTLED;
  }

  function consumeAmounts(key: string, consumeOptions: Omit<ConsumeOptions, 'abortSignal'> | undefined): number[] {
    assertKey(key);
    if (!consumeOptions) return defaultAmounts;
    const requestsOption = consumeOptions.requests;
    const tokensOption = consumeOptions.tokens;
    if (requestsOption === undefined && tokensOption === undefined) return defaultAmounts;
    const requests = requestsOption ?? 1;
    const tokens = tokensOption ?? 0;
    if (requests === lastRequests && tokens === lastTokens) return lastAmounts;
    checkAmount('requests', requests);
    checkAmount('tokens', tokens);
    lastAmounts = amountsFor(requests, tokens, 0);
    lastRequests = requests;
    lastTokens = tokens;
    return lastAmounts;
  }

  function consumeRequest(key: string, consumeOptions: Omit<ConsumeOptions, 'abortSignal'> | undefined): EvaluateRequest {
    const amounts = consumeAmounts(key, consumeOptions);
    return { nowMs: now(), force, operations: [operation(key, amounts)] };
  }

  /** `consumeSync` on the memory store: no request, result or array allocated, one decision object. */
  function consumeInPlace(evaluate: NonNullable<typeof evaluateInto>, key: string, consumeOptions: Omit<ConsumeOptions, 'abortSignal'> | undefined): LimitDecision {
    const amounts = consumeAmounts(key, consumeOptions);
    const nowMs = now();
    scratchOperation.key = key;
    scratchOperation.amounts = amounts;
    scratchRequest.nowMs = nowMs;
    try {
      evaluate(scratchRequest, scratchRemaining, scratchResetAt, scratchResult);
    } catch (error) {
      throw toStoreError(store, error);
    }
    if (!scratchResult.allowed) return toDecision(scratchResult, scratchRequest, context);
    let best = -1;
    let bestRemaining = 0;
    for (let index = 0; index < primaryCounters.length; index++) {
      const counter = primaryCounters[index]!;
      const left = scratchRemaining[counter]!;
      if (best === -1 || left < bestRemaining) {
        best = counter;
        bestRemaining = left;
      }
    }
    return { allowed: true, remaining: best === -1 ? 0 : bestRemaining / primaryScale, resetAt: best === -1 ? nowMs : scratchResetAt[best]!, retryAfterMs: 0, reason: 'allowed' };
  }

  return {
    consume(key, consumeOptions) {
      if (evaluateInto) {
        const abortSignal = consumeOptions?.abortSignal;
        if (abortSignal?.aborted) return Promise.reject(abortErrorFrom(abortSignal, 'The limit check'));
        try {
          return Promise.resolve(consumeInPlace(evaluateInto, key, consumeOptions));
        } catch (error) {
          return Promise.reject(error);
        }
      }
      let request: EvaluateRequest;
      try {
        request = consumeRequest(key, consumeOptions);
      } catch (error) {
        return Promise.reject(error);
      }
      return run(request, consumeOptions?.abortSignal);
    },

    consumeSync(key, consumeOptions) {
      if (evaluateInto) return consumeInPlace(evaluateInto, key, consumeOptions);
      const request = consumeRequest(key, consumeOptions);
      let result: EvaluateResult | Promise<EvaluateResult>;
      try {
        result = store.evaluate(request);
      } catch (error) {
        throw toStoreError(store, error);
      }
      if (isPromise(result)) {
        result.catch(() => undefined);
        throw new CascadeError('INVALID_CONFIG', `consumeSync needs a synchronous store (the memory store); the ${store.kind} store is asynchronous. Use await limiter.consume() instead.`);
      }
      return toDecision(result, request, context);
    },

    async reserve(key, reserveOptions) {
      assertKey(key);
      const requests = reserveOptions.requests ?? 1;
      const tokens = reserveOptions.tokens;
      checkAmount('requests', requests);
      checkAmount('tokens', tokens);
      const nowMs = now();
      // Tokens are held under a lease (a crashed holder's tokens come back after it); requests are not refunded.
      const holdId = tokens > 0 && hasTokenCounters ? newHoldId() : undefined;
      const request: EvaluateRequest = { nowMs, force, operations: [{ ...operation(key, amountsFor(requests, tokens, 1)), ...(holdId ? { held: amountsFor(0, tokens, 0) } : {}) }] };
      const decision = await run(holdId ? { ...request, hold: { id: holdId, expiresAt: nowMs + options.reservationLeaseMs } } : request, reserveOptions.abortSignal);
      let open = decision.allowed && decision.reason !== 'store-unavailable';
      return {
        decision,
        async settle(actual, settleOptions) {
          checkAmount('actual tokens', actual.tokens);
          if (!open) return NOT_SETTLED;
          open = false;
          return settleWith(key, nowMs, holdId, amountsFor(0, actual.tokens - tokens, -1), amountsFor(0, actual.tokens, -1), settleOptions?.abortSignal);
        },
        async release(releaseOptions) {
          if (!open) return NOT_SETTLED;
          open = false;
          return settleWith(key, nowMs, holdId, amountsFor(0, -tokens, -1), amountsFor(0, 0, -1), releaseOptions?.abortSignal);
        },
      };
    },
  };
}
