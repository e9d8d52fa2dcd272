// Many concurrent reserve → settle/release/keep cycles on one key, each with an abort at a random
// point (before, a few microtasks in, after a timer), for the memory and the Redis store alike. It
// returns what was admitted and kept, and a probe that reads every counter of the key.
import { CascadeError } from '@cascade/core';
import fc from 'fast-check';
import { createBudget } from '../budget/budget';
import { createLayout, type LimitStore } from '../counter/counter';
import { createRateLimiter } from '../rate-limit/rate-limiter';

export type AbortPoint = 'none' | 'before' | 'microtask' | 'timer';

export interface ChaosStep {
  abort: AbortPoint;
  /** Microtasks (for `microtask`) or ms (for `timer`) before the abort. */
  delay: number;
  /** What the caller does with an admitted reservation. */
  then: 'settle' | 'release' | 'keep';
  /** ms of "model call" before settling. */
  work: number;
  actualTokens: number;
  actualCents: number;
}

/** Random steps: where the abort lands, what the caller then does. */
export const chaosStep: fc.Arbitrary<ChaosStep> = fc.record({
  abort: fc.constantFrom('none', 'before', 'microtask', 'timer'),
  delay: fc.integer({ min: 0, max: 6 }),
  then: fc.constantFrom('settle', 'release', 'keep'),
  work: fc.integer({ min: 0, max: 3 }),
  actualTokens: fc.integer({ min: 0, max: 80 }),
  actualCents: fc.integer({ min: 0, max: 9 }),
});

export const CHAOS_LIMITS = { requests: 100_000, tokens: 100_000_000, concurrent: 100_000, dailyUsd: 1_000 } as const;
/** What each reservation holds: tokens on the limiter, USD on the budget. */
export const CHAOS_HOLD = { tokens: 50, usd: 0.05 } as const;
const TOKENS = CHAOS_HOLD.tokens;
const CENTS = CHAOS_HOLD.usd * 100;

/** Reads the limiter's request, token and in-flight counters of `key` without taking anything. */
export async function probe(store: LimitStore, prefix: string, key: string, nowMs: number): Promise<{ requests: number; tokens: number; inFlight: number }> {
  const layout = createLayout([
    { id: 'r:sliding-window:3600000', algorithm: 'sliding-window', dimension: 'requests', windowMs: 3_600_000, label: 'per hour' },
    { id: 't:sliding-window:3600000', algorithm: 'sliding-window', dimension: 'tokens', windowMs: 3_600_000, label: 'per hour' },
    { id: 'c:gauge', algorithm: 'gauge', dimension: 'concurrency', windowMs: 600_000, label: 'in flight' },
  ]);
  const capacity = [CHAOS_LIMITS.requests, CHAOS_LIMITS.tokens, CHAOS_LIMITS.concurrent];
  const result = await store.evaluate({ nowMs, force: false, operations: [{ namespace: prefix, key, layout, capacity, refill: capacity, amounts: [0, 0, 0] }] });
  return { requests: capacity[0]! - result.remaining[0]!, tokens: capacity[1]! - result.remaining[1]!, inFlight: capacity[2]! - result.remaining[2]! };
}

export interface ChaosOutcome {
  /** Reservations of the rate limiter admitted (each counted one request). */
  admitted: number;
  /** Admitted reservations still held (limiter + budget): the holds the store must have now. */
  holds: number;
  /** Admitted limiter reservations still held: the in-flight count. */
  inFlight: number;
  /** Tokens the limiter must count now: actual tokens of settled reservations + held tokens of kept ones. */
  tokens: number;
  /** USD the budget must count now (spent + held). */
  usd: number;
  /** Releases every kept reservation. */
  releaseKept(): Promise<void>;
}

function abortAt(step: ChaosStep, controller: AbortController): void {
  if (step.abort === 'microtask') {
    let chain = Promise.resolve();
    for (let index = 0; index < step.delay; index++) chain = chain.then(() => undefined);
    void chain.then(() => controller.abort());
  } else if (step.abort === 'timer') {
    setTimeout(() => controller.abort(), step.delay);
  }
}

function isAbort(error: unknown): boolean {
  return CascadeError.isInstance(error) && (error.code === 'ABORTED' || error.code === 'TIMEOUT');
}

/** Runs every step at once against `store` (fixed clock: every decision lands in one window and day). */
export async function runChaos(store: LimitStore, prefix: string, key: string, nowMs: number, steps: readonly ChaosStep[]): Promise<ChaosOutcome> {
  const now = () => nowMs;
  const limiter = createRateLimiter(
    { prefix, maxConcurrent: CHAOS_LIMITS.concurrent, limits: [{ window: '1 h', requests: CHAOS_LIMITS.requests, tokens: CHAOS_LIMITS.tokens }] },
    { store, now },
  );
  const budget = createBudget({ prefix: `${prefix}:usd`, dailyUsd: CHAOS_LIMITS.dailyUsd }, { store, now });
  let admitted = 0;
  let inFlight = 0;
  let tokens = 0;
  let cents = 0;
  const kept: (() => Promise<unknown>)[] = [];
  await Promise.all(
    steps.map(async (step) => {
      const controller = new AbortController();
      if (step.abort === 'before') controller.abort();
      const abortSignal = controller.signal;
      const reserving = Promise.allSettled([limiter.reserve(key, { tokens: TOKENS, abortSignal }), budget.reserve(key, CENTS / 100, { abortSignal })]);
      abortAt(step, controller);
      const [rate, spend] = await reserving;
      for (const outcome of [rate, spend]) if (outcome.status === 'rejected' && !isAbort(outcome.reason)) throw outcome.reason;
      const hold = rate.status === 'fulfilled' && rate.value.decision.allowed ? rate.value : undefined;
      const money = spend.status === 'fulfilled' && spend.value.decision.allowed ? spend.value : undefined;
      if (hold) admitted += 1;
      if (step.work > 0) await new Promise((resolve) => setTimeout(resolve, step.work));
      // An admitted caller that was aborted meanwhile releases (the pipeline does the same).
      const then = abortSignal.aborted ? 'release' : step.then;
      if (then === 'keep') {
        if (hold) {
          tokens += TOKENS;
          inFlight += 1;
          kept.push(() => hold.release());
        }
        if (money) {
          cents += CENTS;
          kept.push(() => money.release());
        }
      } else if (then === 'settle') {
        if (hold) {
          await hold.settle({ tokens: step.actualTokens });
          tokens += step.actualTokens;
        }
        if (money) {
          await money.commit(step.actualCents / 100);
          cents += step.actualCents;
        }
      } else {
        await hold?.release();
        await money?.release();
      }
    }),
  );
  return {
    admitted,
    holds: kept.length,
    inFlight,
    tokens,
    usd: cents / 100,
    async releaseKept() {
      for (const release of kept.splice(0)) await release();
    },
  };
}
