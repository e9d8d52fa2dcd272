import { periodContaining, type BudgetPeriod, type Weekday } from '../calendar/calendar-period';
import { createLayout, type CounterLayout, type CounterPeriod, type CounterSpec, type KeyOperation } from '../counter/counter';

/** Which amount of a request a counter takes. */
export type AmountSource = 'requests' | 'tokens' | 'concurrency' | 'cost';

/** One counter of a plan with its numbers. */
export interface PlannedCounter {
  readonly spec: CounterSpec;
  readonly capacity: number;
  readonly refill: number;
  readonly source: AmountSource;
  /** Calendar counters: which period. */
  readonly period?: BudgetPeriod;
}

/** Amounts of one request (cost in micro-USD). */
export interface PlanAmounts {
  requests: number;
  tokens: number;
  concurrency: number;
  cost: number;
}

/** Counters of one key compiled once: layout, numbers, and where each amount comes from. */
export interface LimitPlan {
  readonly layout: CounterLayout;
  readonly capacity: readonly number[];
  readonly refill: readonly number[];
  readonly sources: readonly AmountSource[];
  readonly periods: readonly (BudgetPeriod | undefined)[];
  readonly hasCalendar: boolean;
}

/** Compiles counters into a plan. */
export function createPlan(counters: readonly PlannedCounter[]): LimitPlan {
  return {
    layout: createLayout(counters.map((counter) => counter.spec)),
    capacity: counters.map((counter) => counter.capacity),
    refill: counters.map((counter) => counter.refill),
    sources: counters.map((counter) => counter.source),
    periods: counters.map((counter) => counter.period),
    hasCalendar: counters.some((counter) => counter.period !== undefined),
  };
}

/** The amounts of `plan`'s counters, by source. */
export function amountsOf(plan: LimitPlan, amounts: PlanAmounts): number[] {
  return plan.sources.map((source) => amounts[source]);
}

/** Calendar settings of an operation. */
export interface CalendarSettings {
  readonly timeZone: string;
  readonly weekStartsOn: Weekday;
}

/**
 * The store operation of a plan for one key: amounts by source, calendar periods at `nowMs`, and
 * (when refunding) the periods the refunded units were taken in.
 */
export function planOperation(
  plan: LimitPlan,
  namespace: string,
  key: string,
  amounts: PlanAmounts,
  nowMs: number,
  calendar: CalendarSettings,
  refundAtMs?: number,
): KeyOperation {
  const values = plan.sources.map((source) => amounts[source]);
  if (!plan.hasCalendar) return { namespace, key, layout: plan.layout, capacity: plan.capacity, refill: plan.refill, amounts: values };
  const periods: (CounterPeriod | undefined)[] = [];
  const refundPeriodStarts: (number | undefined)[] = [];
  for (const period of plan.periods) {
    periods.push(period === undefined ? undefined : periodContaining(period, nowMs, calendar.timeZone, calendar.weekStartsOn));
    refundPeriodStarts.push(period === undefined || refundAtMs === undefined ? undefined : periodContaining(period, refundAtMs, calendar.timeZone, calendar.weekStartsOn).start);
  }
  return { namespace, key, layout: plan.layout, capacity: plan.capacity, refill: plan.refill, amounts: values, periods, refundPeriodStarts };
}

/** Counter spec of a calendar budget period. */
export function budgetCounter(period: BudgetPeriod, limitUsd: number, microPerUsd: number): PlannedCounter {
  return {
    spec: { id: `$:${period}`, algorithm: 'calendar', dimension: 'cost', windowMs: 0, label: period },
    capacity: Math.round(limitUsd * microPerUsd),
    refill: 0,
    source: 'cost',
    period,
  };
}
