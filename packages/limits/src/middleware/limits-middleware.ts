import { z } from 'zod';
import {
  parseConfig,
  type AdmitResult,
  type BudgetPolicy,
  type CascadeMiddleware,
  type PipelineContext,
  type RateLimitPolicy,
  type Reservation,
  type SettleInfo,
} from '@cascade/core';
import type { BudgetPeriod, Weekday } from '../calendar/calendar-period';
import type { EvaluateRequest, EvaluateResult, KeyOperation, LimitStore } from '../counter/counter';
import { admitOnStore } from '../decision/admit-on-store';
import { MICRO_USD, describeWindow, evaluateOnStore, toDecision, type LimitDecision } from '../decision/limit-decision';
import { resolveDependencies } from '../dependencies/resolve-dependencies';
import { durationSchema } from '../duration/duration';
import { amountsOf, budgetCounter, createPlan, planOperation, type CalendarSettings, type LimitPlan, type PlanAmounts, type PlannedCounter } from '../plan/limit-plan';
import { rateLimitAlgorithmSchema } from '../rate-limit/rate-limit-config';
import { newHoldId, reservationLeaseSchema } from '../reservation/reservation-lease';

/** Configuration of {@link createLimitsMiddleware}. Limits themselves come from each request's policy. */
export const limitsMiddlewareConfigSchema = z.strictObject({
  /** Middleware name in the pipeline. @default 'limits' */
  name: z.string().min(1).default('limits'),
  /** Namespace of every key (Redis key prefix). @default 'cascade:limits' */
  prefix: z.string().min(1).max(200).default('cascade:limits'),
  /** Algorithm of the policy's rate windows. @default 'sliding-window' */
  algorithm: rateLimitAlgorithmSchema.default('sliding-window'),
  /** Untouched in-flight counts reset after this long (crashed holders). @default '10 m' */
  concurrencyLeaseMs: durationSchema.default(600_000),
  /**
   * Tokens and cost reserved by a request that is never settled (crashed process) stop counting
   * after this long. Model calls must finish well within it. @default '10 m'
   */
  reservationLeaseMs: reservationLeaseSchema,
  /** First day of a week for weekly budgets: 0 Sunday … 6 Saturday. @default 1 */
  weekStartsOn: z.number().int().min(0).max(6).default(1),
  /** Key for requests with limits but no principal or user id. @default 'anonymous' */
  anonymousKey: z.string().min(1).default('anonymous'),
});

/** What callers write to configure the limits middleware. */
export type LimitsMiddlewareConfig = z.input<typeof limitsMiddlewareConfigSchema>;

/** Dependencies of the middleware. */
export interface LimitsMiddlewareDependencies {
  /** @default a new memory store */
  store?: LimitStore;
  /** @default Date.now */
  now?: () => number;
  /** Called when settling fails (the store is down); settle never throws into the pipeline. */
  onError?: (error: unknown) => void;
}

type Scope = 'user' | 'organization' | 'workspace';

/** USD for messages: up to six decimals, no trailing zeros. */
function usd(value: number): string {
  return String(Number(value.toFixed(6)));
}
const MAX_PLANS = 1024;

const RATE_WINDOWS: readonly [keyof RateLimitPolicy, 'requests' | 'tokens', number, boolean][] = [
  ['requestsPerSecond', 'requests', 1_000, true],
  ['requestsPerMinute', 'requests', 60_000, true],
  ['requestsPerHour', 'requests', 3_600_000, false],
  ['requestsPerDay', 'requests', 86_400_000, false],
  ['tokensPerMinute', 'tokens', 60_000, false],
  ['tokensPerHour', 'tokens', 3_600_000, false],
  ['tokensPerDay', 'tokens', 86_400_000, false],
];
const BUDGET_PERIODS: readonly [keyof BudgetPolicy, BudgetPeriod][] = [
  ['dailyUsd', 'daily'],
  ['weeklyUsd', 'weekly'],
  ['monthlyUsd', 'monthly'],
  ['totalUsd', 'total'],
];

/**
 * Creates the pipeline middleware that enforces `policy.limits`: before any model call it reserves
 * one request, the estimated tokens (prompt + max output), a concurrency slot and the estimated
 * cost from the user's, organization's and workspace's limits — all keys in one atomic store
 * decision. After the call, `settle` commits the actual tokens and cost and frees the rest, on
 * success, error and abort. A denial is `RATE_LIMITED` or `BUDGET_EXCEEDED` with `retryAfterMs`;
 * only the key over its limit is affected.
 *
 * @example
 * const agent = createCascadeAgent({ models, middleware: [profilesMiddleware, createLimitsMiddleware({}, { store })] });
 */
export function createLimitsMiddleware(config: LimitsMiddlewareConfig = {}, dependencies: LimitsMiddlewareDependencies = {}): CascadeMiddleware {
  const options = parseConfig(limitsMiddlewareConfigSchema, config, 'createLimitsMiddleware config');
  const { store, now } = resolveDependencies(dependencies, 'createLimitsMiddleware', ['onError']);
  const plans = new Map<string, LimitPlan>();

  function planFor(rate: RateLimitPolicy | undefined, budget: BudgetPolicy | undefined): LimitPlan | undefined {
    const cacheKey = JSON.stringify([rate ?? null, budget ?? null]);
    const cached = plans.get(cacheKey);
    if (cached) return cached;
    const counters: PlannedCounter[] = [];
    for (const [field, dimension, windowMs, bursts] of RATE_WINDOWS) {
      const limit = rate?.[field];
      if (typeof limit !== 'number') continue;
      counters.push({
        spec: { id: `${dimension === 'requests' ? 'r' : 't'}:${options.algorithm}:${windowMs}`, algorithm: options.algorithm, dimension, windowMs, label: describeWindow(windowMs) },
        capacity: limit + (bursts ? (rate?.burst ?? 0) : 0),
        refill: limit,
        source: dimension,
      });
    }
    if (rate?.maxConcurrent !== undefined) {
      counters.push({
        spec: { id: 'c:gauge', algorithm: 'gauge', dimension: 'concurrency', windowMs: options.concurrencyLeaseMs, label: 'in flight' },
        capacity: rate.maxConcurrent,
        refill: 0,
        source: 'concurrency',
      });
    }
    for (const [field, period] of BUDGET_PERIODS) {
      const usd = budget?.[field];
      if (usd !== undefined) counters.push(budgetCounter(period, usd, MICRO_USD));
    }
    if (counters.length === 0) return undefined;
    const plan = createPlan(counters);
    if (plans.size >= MAX_PLANS) plans.clear();
    plans.set(cacheKey, plan);
    return plan;
  }

  interface Target {
    scope: Scope;
    key: string;
    plan: LimitPlan;
  }

  function targetsOf(context: PipelineContext): Target[] {
    const limits = context.policy.limits;
    if (!limits) return [];
    const principal = context.principal;
    const targets: Target[] = [];
    const scopes: [Scope, string | undefined, { rate?: RateLimitPolicy; budget?: BudgetPolicy } | undefined][] = [
      ['user', principal?.userId ?? context.userId ?? options.anonymousKey, limits.user],
      ['organization', principal?.organizationId, limits.organization],
      ['workspace', principal?.workspaceId, limits.workspace],
    ];
    for (const [scope, id, scopeLimits] of scopes) {
      if (id === undefined || !scopeLimits) continue;
      const plan = planFor(scopeLimits.rate, scopeLimits.budget);
      if (plan) targets.push({ scope, key: `${scope}:${id}`, plan });
    }
    return targets;
  }

  function operations(targets: readonly Target[], amounts: PlanAmounts, nowMs: number, calendar: CalendarSettings, refundAtMs?: number): KeyOperation[] {
    return targets.map((target) => planOperation(target.plan, options.prefix, target.key, amounts, nowMs, calendar, refundAtMs));
  }

  function describe(decision: LimitDecision, targets: readonly Target[]): string {
    const limit = decision.limit;
    if (!limit) return 'The request is over a limit.';
    const target = targets.find((candidate) => candidate.key === limit.key);
    const who = target ? `${target.scope} "${limit.key.slice(target.scope.length + 1)}"` : `"${limit.key}"`;
    const retry = Number.isFinite(decision.retryAfterMs) ? ` Retry in ${Math.ceil(decision.retryAfterMs / 1000)} s.` : '';
    const inFlight = 'is held by requests still in flight (each reserves its worst case, prompt plus max output tokens, until it finishes).';
    switch (limit.dimension) {
      case 'cost':
        if (decision.reason === 'exceeds-capacity') {
          return `The request's worst-case cost estimate ($${usd(limit.requested)}, prompt plus max output tokens) alone is above the ${who}'s ${limit.label} budget of $${limit.limit}; nothing was spent. Set a lower max_tokens (maxOutputTokens) or shorten the prompt so the estimate fits.`;
        }
        if (decision.reason === 'reservations-in-flight') {
          return `The ${who}'s ${limit.label} budget of $${limit.limit} ${inFlight}${retry} Or set a lower max_tokens so this request's estimate ($${usd(limit.requested)}) fits.`;
        }
        // Some budget left, but not this request's worst case: say both, so the caller knows a smaller max_tokens may fit.
        if (decision.remaining > 0 && limit.requested > decision.remaining) {
          return `The ${who} has $${usd(decision.remaining)} left of its ${limit.label} budget of $${limit.limit}, less than this request's worst-case estimate ($${usd(limit.requested)}, prompt plus max output tokens). Set a lower max_tokens (maxOutputTokens) to fit, or wait for the budget to reset.${retry || ' It does not reset: raise the budget.'}`;
        }
        return `The ${who} has used its ${limit.label} budget of $${limit.limit}.${retry || ' It does not reset: raise the budget.'}`;
      case 'concurrency':
        return `The ${who} already has ${limit.limit} requests in flight; wait for one to finish.`;
      case 'tokens':
        if (decision.reason === 'exceeds-capacity') {
          return `The request needs ${limit.requested} tokens (prompt plus max output tokens), more than the ${who} may use ${limit.label} (${limit.limit}); set a lower max_tokens (maxOutputTokens) or shorten the prompt.`;
        }
        if (decision.reason === 'reservations-in-flight') return `The ${who}'s limit of ${limit.limit} tokens ${limit.label} ${inFlight}${retry} Or set a lower max_tokens.`;
        return `The ${who} is over its limit of ${limit.limit} tokens ${limit.label}.${retry}`;
      default:
        return `The ${who} is over its limit of ${limit.limit} requests ${limit.label}.${retry}`;
    }
  }

  async function admit(context: PipelineContext): Promise<AdmitResult> {
    const targets = targetsOf(context);
    if (targets.length === 0) return { allowed: true };
    const limits = context.policy.limits!;
    const mode = limits.enforcement ?? 'block';
    const calendar: CalendarSettings = { timeZone: limits.timeZone ?? 'UTC', weekStartsOn: options.weekStartsOn as Weekday };
    const tokens = Math.max(0, Math.ceil(context.estimate.inputTokens + context.estimate.maxOutputTokens));
    const cost = Math.max(0, Math.ceil(context.estimate.costUsd * MICRO_USD - 1e-6));
    const nowMs = now();
    // Tokens and cost are held under a lease, so a crashed process's reservation comes back after it.
    const holdId = tokens > 0 || cost > 0 ? newHoldId() : undefined;
    const reserveOperations = operations(targets, { requests: 1, tokens, concurrency: 1, cost }, nowMs, calendar);
    const request: EvaluateRequest =
      holdId === undefined
        ? { nowMs, force: mode === 'warn', operations: reserveOperations }
        : {
            nowMs,
            force: mode === 'warn',
            hold: { id: holdId, expiresAt: nowMs + options.reservationLeaseMs },
            operations: reserveOperations.map((operation, index) => ({ ...operation, held: amountsOf(targets[index]!.plan, { requests: 0, tokens, concurrency: 0, cost }) })),
          };
    // A caller who aborts while this decides leaves nothing reserved (see admitOnStore).
    const result: EvaluateResult = await admitOnStore(store, request, context.abortSignal);
    const decision = toDecision(result, request, { mode, costScale: MICRO_USD });

    if (decision.reason === 'store-unavailable') {
      if (!decision.allowed) {
        return { allowed: false, code: 'RATE_LIMITED', reason: `Limits could not be checked (${decision.error?.message ?? 'store unavailable'}); the store fails closed.`, retryAfterMs: decision.retryAfterMs, details: { reason: decision.reason } };
      }
      return { allowed: true, warnings: [`Limits were not checked: the limit store is unavailable and fails open (${decision.error?.message ?? 'unknown error'}).`] };
    }
    if (!decision.allowed) {
      const limit = decision.limit!;
      return {
        allowed: false,
        code: limit.dimension === 'cost' ? 'BUDGET_EXCEEDED' : 'RATE_LIMITED',
        reason: describe(decision, targets),
        ...(Number.isFinite(decision.retryAfterMs) ? { retryAfterMs: decision.retryAfterMs } : {}),
        details: { reason: decision.reason, key: limit.key, dimension: limit.dimension, window: limit.label, limit: limit.limit, requested: limit.requested, remaining: decision.remaining },
      };
    }

    let settled = false;
    const reservation: Reservation = {
      async settle(info: SettleInfo) {
        if (settled) return;
        settled = true;
        const actualTokens = Math.max(0, Math.ceil(info.usage.inputTokens + info.usage.outputTokens));
        const actualCost = Math.max(0, Math.round(info.costUsd * MICRO_USD));
        const settleAt = now();
        const amounts: PlanAmounts = { requests: 0, tokens: actualTokens - tokens, concurrency: -1, cost: actualCost - cost };
        // Once the lease lapsed the reservation was given back: count the actual usage in full.
        const late: PlanAmounts = { requests: 0, tokens: actualTokens, concurrency: -1, cost: actualCost };
        let settleOperations = operations(targets, amounts, settleAt, calendar, nowMs);
        if (holdId !== undefined) settleOperations = settleOperations.map((operation, index) => ({ ...operation, lateAmounts: amountsOf(targets[index]!.plan, late) }));
        try {
          await evaluateOnStore(store, { nowMs: settleAt, force: true, refundAtMs: nowMs, ...(holdId === undefined ? {} : { settle: holdId }), operations: settleOperations }, undefined);
        } catch (error) {
          dependencies.onError?.(error);
        }
      },
    };
    return decision.reason === 'warned' ? { allowed: true, reservation, warnings: [describe(decision, targets)] } : { allowed: true, reservation };
  }

  return { name: options.name, enforces: ['limits'], admit };
}
