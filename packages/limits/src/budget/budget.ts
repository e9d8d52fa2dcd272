import { z } from 'zod';
import { CascadeError, parseConfig } from '@cascade/core';
import { isValidTimeZone, type BudgetPeriod, type Weekday } from '../calendar/calendar-period';
import { admitOnStore } from '../decision/admit-on-store';
import { MICRO_USD, evaluateOnStore, toDecision, type DecisionContext, type LimitDecision } from '../decision/limit-decision';
import { resolveDependencies } from '../dependencies/resolve-dependencies';
import { budgetCounter, createPlan, planOperation, type CalendarSettings, type PlannedCounter } from '../plan/limit-plan';
import type { LimiterDependencies } from '../rate-limit/rate-limiter';
import { NOT_SETTLED, SETTLED, SETTLED_LATE, newHoldId, reservationLeaseSchema, type SettleResult } from '../reservation/reservation-lease';
import type { EvaluateRequest, HoldLease } from '../counter/counter';
import { renameModeToEnforcement } from '../config/enforcement';

/** An IANA time zone name, checked against this runtime's Intl data. */
export const timeZoneSchema = z
  .string()
  .refine(isValidTimeZone, { message: 'Unknown time zone: use an IANA name such as "UTC", "Europe/Berlin" or "America/New_York"' });

/** Configuration of {@link createBudget}. */
export const budgetConfigSchema = z
  .object({
    /** Namespace of the budget keys. @default 'cascade:budget' */
    prefix: z.string().min(1).max(200).default('cascade:budget'),
    /** Spend cap per calendar day, in USD. */
    dailyUsd: z.number().positive().optional(),
    /** Spend cap per calendar week, in USD. */
    weeklyUsd: z.number().positive().optional(),
    /** Spend cap per calendar month, in USD. */
    monthlyUsd: z.number().positive().optional(),
    /** Spend cap for all time, in USD. */
    totalUsd: z.number().positive().optional(),
    /** IANA time zone the calendar periods follow. @default 'UTC' */
    timeZone: timeZoneSchema.default('UTC'),
    /** First day of a week: 0 Sunday … 6 Saturday. @default 1 (Monday) */
    weekStartsOn: z.number().int().min(0).max(6).default(1),
    /** `block` denies a reservation that would cross a cap; `warn` allows and reports it. @default 'block' */
    enforcement: z.enum(['block', 'warn']).optional(),
    /** @deprecated Use `enforcement` (same values). Accepted until the next minor version. */
    mode: z.enum(['block', 'warn']).optional(),
    /**
     * A reservation never committed or released (crashed process, lost promise) stops counting after
     * this long: the first decision on the key after it gives the estimate back. Calls must finish
     * well within it; a commit after it records the actual cost in full. @default '10 m'
     */
    reservationLeaseMs: reservationLeaseSchema,
  })
  .refine((config) => [config.dailyUsd, config.weeklyUsd, config.monthlyUsd, config.totalUsd].some((value) => value !== undefined), {
    message: 'A budget needs at least one cap: dailyUsd, weeklyUsd, monthlyUsd or totalUsd',
  })
  .transform(renameModeToEnforcement);

/** What callers write to configure a budget. */
export type BudgetConfig = z.input<typeof budgetConfigSchema>;

/**
 * A hold on estimated spend; commit the actual cost or release it, once. Held for
 * `reservationLeaseMs`: never committed or released (a crash), it is given back after that.
 */
export interface BudgetReservation {
  readonly decision: LimitDecision;
  /**
   * Records the actual cost and frees the rest of the reservation (an overrun is recorded too).
   * After the lease lapsed the estimate was already given back: the actual cost is recorded in full
   * now (`expired: true`).
   */
  commit(actualUsd: number, options?: { abortSignal?: AbortSignal }): Promise<SettleResult>;
  /** Frees the whole reservation (the call failed before spending). */
  release(options?: { abortSignal?: AbortSignal }): Promise<SettleResult>;
}

/** Spend caps per key over calendar periods. */
export interface Budget {
  /** Reserves `estimatedUsd` against every period atomically; denied when any cap would be crossed. */
  reserve(key: string, estimatedUsd: number, options?: { abortSignal?: AbortSignal }): Promise<BudgetReservation>;
  /** What is left (in USD) in the tightest period, without spending. */
  check(key: string, options?: { abortSignal?: AbortSignal }): Promise<LimitDecision>;
}

/**
 * Creates a budget: reserve the estimated cost before a call, commit the actual cost after it,
 * release on failure. Concurrent reservations can never overspend beyond what was reserved.
 * Periods are calendar-aligned in `timeZone` (DST-correct) and reset whenever the period changes.
 *
 * @example
 * const budget = createBudget({ dailyUsd: 5, monthlyUsd: 50, timeZone: 'Europe/Berlin' });
 * const hold = await budget.reserve('org-7', 0.012);
 * if (!hold.decision.allowed) throw new Error('over budget');
 * try { const cost = await callModel(); await hold.commit(cost); } catch (error) { await hold.release(); throw error; }
 */
export function createBudget(config: BudgetConfig, dependencies: LimiterDependencies = {}): Budget {
  const options = parseConfig(budgetConfigSchema, config, 'createBudget config');
  const { store, now } = resolveDependencies(dependencies, 'createBudget');
  const counters: PlannedCounter[] = [];
  const caps: [BudgetPeriod, number | undefined][] = [
    ['daily', options.dailyUsd],
    ['weekly', options.weeklyUsd],
    ['monthly', options.monthlyUsd],
    ['total', options.totalUsd],
  ];
  for (const [period, usd] of caps) if (usd !== undefined) counters.push(budgetCounter(period, usd, MICRO_USD));
  const plan = createPlan(counters);
  const calendar: CalendarSettings = { timeZone: options.timeZone, weekStartsOn: options.weekStartsOn as Weekday };
  const context: DecisionContext = { mode: options.enforcement, costScale: MICRO_USD };

  function toMicro(usd: number, what: string): number {
    if (!Number.isFinite(usd) || usd < 0) throw new CascadeError('INVALID_INPUT', `${what} must be a finite number of USD ≥ 0; got ${usd}.`);
    return Math.ceil(usd * MICRO_USD - 1e-6);
  }

  /**
   * `admit`: a reservation (a caller who aborts meanwhile leaves nothing held); `hold`: open it under
   * a lease; `settle`: close one (`lateCost` applies once it lapsed).
   */
  async function decide(
    key: string,
    cost: number,
    force: boolean,
    abortSignal: AbortSignal | undefined,
    nowMs: number,
    refundAtMs?: number,
    lease?: { admit?: boolean; hold?: HoldLease; settle?: string; lateCost?: number },
  ): Promise<{ decision: LimitDecision; lapsed: boolean }> {
    if (typeof key !== 'string' || key.length === 0) throw new CascadeError('INVALID_INPUT', 'A budget key must be a non-empty string (a user or organization id).');
    let operation = planOperation(plan, options.prefix, key, { requests: 0, tokens: 0, concurrency: 0, cost }, nowMs, calendar, refundAtMs);
    if (lease?.hold) operation = { ...operation, held: operation.amounts };
    if (lease?.settle !== undefined) operation = { ...operation, lateAmounts: operation.amounts.map(() => lease.lateCost ?? 0) };
    const request: EvaluateRequest = {
      nowMs,
      force,
      operations: [operation],
      ...(refundAtMs === undefined ? {} : { refundAtMs }),
      ...(lease?.hold ? { hold: lease.hold } : {}),
      ...(lease?.settle === undefined ? {} : { settle: lease.settle }),
    };
    const result = lease?.admit ? await admitOnStore(store, request, abortSignal) : await evaluateOnStore(store, request, abortSignal);
    return { decision: toDecision(result, request, context), lapsed: (result.lapsedHolds ?? 0) > 0 };
  }

  function settled(outcome: { decision: LimitDecision; lapsed: boolean }): SettleResult {
    if (outcome.decision.reason === 'store-unavailable') return NOT_SETTLED;
    return outcome.lapsed ? SETTLED_LATE : SETTLED;
  }

  return {
    async reserve(key, estimatedUsd, reserveOptions) {
      const reserved = toMicro(estimatedUsd, 'The estimated cost');
      const reservedAtMs = now();
      // A nonzero estimate is held under a lease: a crashed holder's estimate comes back after it.
      const holdId = reserved > 0 ? newHoldId() : undefined;
      const { decision } = await decide(
        key,
        reserved,
        options.enforcement === 'warn',
        reserveOptions?.abortSignal,
        reservedAtMs,
        undefined,
        holdId === undefined ? { admit: true } : { admit: true, hold: { id: holdId, expiresAt: reservedAtMs + options.reservationLeaseMs } },
      );
      let open = decision.allowed && decision.reason !== 'store-unavailable';
      return {
        decision,
        async commit(actualUsd, commitOptions) {
          const actual = toMicro(actualUsd, 'The actual cost');
          if (!open) return NOT_SETTLED;
          open = false;
          if (holdId === undefined) {
            if (actual === 0) return SETTLED;
            return settled(await decide(key, actual, true, commitOptions?.abortSignal, now(), reservedAtMs));
          }
          return settled(await decide(key, actual - reserved, true, commitOptions?.abortSignal, now(), reservedAtMs, { settle: holdId, lateCost: actual }));
        },
        async release(releaseOptions) {
          if (!open) return NOT_SETTLED;
          open = false;
          if (holdId === undefined) return SETTLED;
          return settled(await decide(key, -reserved, true, releaseOptions?.abortSignal, now(), reservedAtMs, { settle: holdId, lateCost: 0 }));
        },
      };
    },
    async check(key, checkOptions) {
      return (await decide(key, 0, false, checkOptions?.abortSignal, now())).decision;
    },
  };
}
