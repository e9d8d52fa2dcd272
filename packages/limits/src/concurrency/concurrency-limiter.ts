import { z } from 'zod';
import { CascadeError, parseConfig } from '@cascade/core';
import { admitOnStore } from '../decision/admit-on-store';
import { MICRO_USD, evaluateOnStore, toDecision, type DecisionContext, type LimitDecision } from '../decision/limit-decision';
import { resolveDependencies } from '../dependencies/resolve-dependencies';
import { durationSchema } from '../duration/duration';
import { createPlan, planOperation } from '../plan/limit-plan';
import type { LimiterDependencies } from '../rate-limit/rate-limiter';

/** Configuration of {@link createConcurrencyLimiter}. */
export const concurrencyLimiterConfigSchema = z.strictObject({
  /** Namespace of the keys. @default 'cascade:cc' */
  prefix: z.string().min(1).max(200).default('cascade:cc'),
  /** Most holders in flight per key. */
  max: z.number().int().positive(),
  /**
   * A key whose count was not touched this long is reset to 0, so a crashed holder cannot hold a
   * slot forever. Set it above your longest call. @default '10 m'
   */
  leaseMs: durationSchema.default(600_000),
});

/** What callers write to configure a concurrency limiter. */
export type ConcurrencyLimiterConfig = z.input<typeof concurrencyLimiterConfigSchema>;

/** A slot taken by `acquire`; release it exactly once (extra calls do nothing). */
export interface ConcurrencySlot {
  readonly decision: LimitDecision;
  release(options?: { abortSignal?: AbortSignal }): Promise<void>;
}

/** Most requests in flight per key. */
export interface ConcurrencyLimiter {
  acquire(key: string, options?: { abortSignal?: AbortSignal }): Promise<ConcurrencySlot>;
}

/**
 * Creates a concurrency limiter: at most `max` holders per key at once.
 *
 * @example
 * const limiter = createConcurrencyLimiter({ max: 4 });
 * const slot = await limiter.acquire('user-1');
 * if (slot.decision.allowed) { try { await work(); } finally { await slot.release(); } }
 */
export function createConcurrencyLimiter(config: ConcurrencyLimiterConfig, dependencies: LimiterDependencies = {}): ConcurrencyLimiter {
  const options = parseConfig(concurrencyLimiterConfigSchema, config, 'createConcurrencyLimiter config');
  const { store, now } = resolveDependencies(dependencies, 'createConcurrencyLimiter');
  const plan = createPlan([
    { spec: { id: 'c:gauge', algorithm: 'gauge', dimension: 'concurrency', windowMs: options.leaseMs, label: 'in flight' }, capacity: options.max, refill: 0, source: 'concurrency' },
  ]);
  const context: DecisionContext = { mode: 'block', costScale: MICRO_USD };
  const calendar = { timeZone: 'UTC', weekStartsOn: 1 } as const;

  async function change(key: string, delta: number, force: boolean, abortSignal: AbortSignal | undefined): Promise<LimitDecision> {
    if (typeof key !== 'string' || key.length === 0) throw new CascadeError('INVALID_INPUT', 'A concurrency key must be a non-empty string.');
    const nowMs = now();
    const request = { nowMs, force, operations: [planOperation(plan, options.prefix, key, { requests: 0, tokens: 0, concurrency: delta, cost: 0 }, nowMs, calendar)] };
    // Taking a slot is an admission: a caller who aborts meanwhile leaves no slot taken.
    const result = delta > 0 ? await admitOnStore(store, request, abortSignal) : await evaluateOnStore(store, request, abortSignal);
    return toDecision(result, request, context);
  }

  return {
    async acquire(key, acquireOptions) {
      const decision = await change(key, 1, false, acquireOptions?.abortSignal);
      let held = decision.allowed && decision.reason !== 'store-unavailable';
      return {
        decision,
        async release(releaseOptions) {
          if (!held) return;
          held = false;
          await change(key, -1, true, releaseOptions?.abortSignal);
        },
      };
    },
  };
}
