import { z } from 'zod';
import { parseConfig } from '../errors/config-error';
import type { TokenUsage } from '../model/token-usage';
import type { CascadeMiddleware, SettleInfo } from '../pipeline/middleware';
import { type CalendarPeriod, assertTimeZone, calendarPeriod } from '../util/calendar';

/** The v0.2.0 budget shape: USD caps per calendar period. */
export const budgetConfigSchema = z.strictObject({
  daily: z.number().positive().optional(),
  weekly: z.number().positive().optional(),
  monthly: z.number().positive().optional(),
  total: z.number().positive().optional(),
});
export type BudgetConfig = z.input<typeof budgetConfigSchema>;

export const costTrackerConfigSchema = z.strictObject({
  /** Budgets per user id (the v0.2.0 `user_budgets`). */
  userBudgets: z.record(z.string(), budgetConfigSchema).default({}),
  /** Budget of users not listed in `userBudgets`. */
  defaultBudget: budgetConfigSchema.optional(),
  /** IANA time zone of the calendar periods. @default 'UTC' */
  timeZone: z.string().default('UTC'),
  /** Fraction of a budget at which `onAlert` fires once per period. @default 0.8 */
  alertThreshold: z.number().min(0).max(1).default(0.8),
  /** `block` denies requests of users over budget (as middleware); `warn` only reports. @default 'warn' */
  enforcement: z.enum(['block', 'warn']).default('warn'),
  /** Most users tracked at once; the least recently active are dropped beyond it. @default 100000 */
  maxUsers: z.number().int().positive().default(100_000),
});
export type CostTrackerConfig = z.input<typeof costTrackerConfigSchema>;

/** Totals of one model. */
export interface ModelCostSummary { costUsd: number; calls: number; inputTokens: number; outputTokens: number }

/** Spend of one user in each period, with budget state. */
export interface UserCostSummary {
  userId: string;
  dailyUsd: number;
  weeklyUsd: number;
  monthlyUsd: number;
  totalUsd: number;
  requests: number;
  byModel: Readonly<Record<string, ModelCostSummary>>;
  budget: BudgetConfig | undefined;
  /** Periods whose budget is spent. */
  exceeded: readonly ('daily' | 'weekly' | 'monthly' | 'total')[];
}

/** Totals over every tracked user. */
export interface CostSummary { totalUsd: number; requests: number; users: number; byModel: Readonly<Record<string, ModelCostSummary>> }

/** A budget crossing its alert threshold or its cap. */
export interface BudgetAlert { userId: string; period: 'daily' | 'weekly' | 'monthly' | 'total'; spentUsd: number; budgetUsd: number; kind: 'threshold' | 'exceeded' }

interface PeriodSum { end: number; usd: number }
interface UserEntry {
  day: PeriodSum; week: PeriodSum; month: PeriodSum; total: number; requests: number;
  byModel: Map<string, ModelCostSummary>;
  alerted: Set<string>;
}

/** Records cost per user and per model and checks v0.2.0 budgets. Memory is bounded by `maxUsers`. */
export interface CostTracker {
  /** Records one call's cost for a user. */
  record(userId: string, modelId: string, costUsd: number, usage?: TokenUsage): void;
  userSummary(userId: string): UserCostSummary;
  summary(): CostSummary;
  /** Periods whose budget the user has spent. */
  exceededPeriods(userId: string): UserCostSummary['exceeded'];
  /** Pipeline middleware: records every request's calls; with `enforcement: 'block'` it denies users over budget. */
  readonly middleware: CascadeMiddleware;
}

/**
 * The v0.2.0-compatible cost tracker, as pipeline middleware.
 *
 * @example
 * const tracker = createCostTracker({ userBudgets: { user_123: { daily: 1.0 } } });
 * const agent = createCascadeAgent({ models, middleware: [tracker.middleware] });
 * await agent.run('hi', { userId: 'user_123' });
 * tracker.userSummary('user_123').dailyUsd;
 */
export function createCostTracker(config: CostTrackerConfig = {}, deps: { now?: () => number; onAlert?: (alert: BudgetAlert) => void } = {}): CostTracker {
  const options = parseConfig(costTrackerConfigSchema, config, 'cost tracker config');
  assertTimeZone(options.timeZone);
  const now = deps.now ?? Date.now;
  const users = new Map<string, UserEntry>();
  const models = new Map<string, ModelCostSummary>();
  let totalUsd = 0;
  let requests = 0;

  const budgetOf = (userId: string): BudgetConfig | undefined => options.userBudgets[userId] ?? options.defaultBudget;

  const sumFor = (sum: PeriodSum, period: CalendarPeriod, at: number): PeriodSum => {
    if (at < sum.end) return sum;
    return { end: calendarPeriod(at, period, options.timeZone).end, usd: 0 };
  };

  const entryFor = (userId: string, at: number): UserEntry => {
    let entry = users.get(userId);
    if (entry) {
      users.delete(userId); // re-insert: Map order is our LRU order
    } else {
      entry = { day: { end: 0, usd: 0 }, week: { end: 0, usd: 0 }, month: { end: 0, usd: 0 }, total: 0, requests: 0, byModel: new Map(), alerted: new Set() };
      if (users.size >= options.maxUsers) users.delete(users.keys().next().value!);
    }
    const day = sumFor(entry.day, 'day', at);
    if (day !== entry.day) entry.alerted.clear();
    entry.day = day;
    entry.week = sumFor(entry.week, 'week', at);
    entry.month = sumFor(entry.month, 'month', at);
    users.set(userId, entry);
    return entry;
  };

  const spent = (entry: UserEntry): Record<'daily' | 'weekly' | 'monthly' | 'total', number> => ({ daily: entry.day.usd, weekly: entry.week.usd, monthly: entry.month.usd, total: entry.total });

  const exceededOf = (userId: string, entry: UserEntry | undefined): UserCostSummary['exceeded'] => {
    const budget = budgetOf(userId);
    if (!budget || !entry) return [];
    const amounts = spent(entry);
    return (['daily', 'weekly', 'monthly', 'total'] as const).filter((period) => budget[period] !== undefined && amounts[period] >= budget[period]!);
  };

  const addTo = (map: Map<string, ModelCostSummary>, modelId: string, costUsd: number, usage: TokenUsage | undefined): void => {
    const summary = map.get(modelId) ?? { costUsd: 0, calls: 0, inputTokens: 0, outputTokens: 0 };
    summary.costUsd += costUsd;
    summary.calls++;
    summary.inputTokens += usage?.inputTokens ?? 0;
    summary.outputTokens += usage?.outputTokens ?? 0;
    map.set(modelId, summary);
  };

  const record = (userId: string, modelId: string, costUsd: number, usage?: TokenUsage): void => {
    const entry = entryFor(userId, now());
    entry.day.usd += costUsd;
    entry.week.usd += costUsd;
    entry.month.usd += costUsd;
    entry.total += costUsd;
    totalUsd += costUsd;
    addTo(entry.byModel, modelId, costUsd, usage);
    addTo(models, modelId, costUsd, usage);
    const budget = budgetOf(userId);
    if (!budget || !deps.onAlert) return;
    const amounts = spent(entry);
    for (const period of ['daily', 'weekly', 'monthly', 'total'] as const) {
      const cap = budget[period];
      if (cap === undefined) continue;
      const kind = amounts[period] >= cap ? 'exceeded' : amounts[period] >= cap * options.alertThreshold ? 'threshold' : undefined;
      if (!kind || entry.alerted.has(`${period}:${kind}`)) continue;
      entry.alerted.add(`${period}:${kind}`);
      deps.onAlert({ userId, period, spentUsd: amounts[period], budgetUsd: cap, kind });
    }
  };

  const userSummary = (userId: string): UserCostSummary => {
    const entry = users.get(userId);
    const at = now();
    const live = (sum: PeriodSum | undefined): number => (sum && at < sum.end ? sum.usd : 0);
    return {
      userId,
      dailyUsd: live(entry?.day),
      weeklyUsd: live(entry?.week),
      monthlyUsd: live(entry?.month),
      totalUsd: entry?.total ?? 0,
      requests: entry?.requests ?? 0,
      byModel: Object.fromEntries(entry?.byModel ?? []),
      budget: budgetOf(userId),
      exceeded: entry ? exceededOf(userId, entryFor(userId, at)) : [],
    };
  };

  const middleware: CascadeMiddleware = {
    name: 'cost-tracker',
    admit(context) {
      const userId = context.principal?.userId ?? context.userId;
      if (!userId || options.enforcement !== 'block') return { allowed: true, reservation: settleFor(userId) };
      const exceeded = users.has(userId) ? exceededOf(userId, entryFor(userId, now())) : [];
      if (exceeded.length > 0) {
        return { allowed: false, code: 'BUDGET_EXCEEDED', reason: `User ${userId} has spent the ${exceeded.join(', ')} budget. Wait for the next period or raise the budget.`, details: { exceeded } };
      }
      return { allowed: true, reservation: settleFor(userId) };
    },
  };

  function settleFor(userId: string | undefined) {
    return {
      settle(info: SettleInfo) {
        if (!userId) return;
        requests++;
        const calls = info.calls ?? (info.costUsd > 0 ? [{ modelId: 'unknown', usage: info.usage, costUsd: info.costUsd }] : []);
        for (const call of calls) record(userId, call.modelId, call.costUsd, call.usage);
        entryFor(userId, now()).requests++;
      },
    };
  }

  return {
    record,
    userSummary,
    summary: () => ({ totalUsd, requests, users: users.size, byModel: Object.fromEntries(models) }),
    exceededPeriods: (userId) => exceededOf(userId, users.has(userId) ? entryFor(userId, now()) : undefined),
    middleware,
  };
}
