import { type Weekday, calendarPeriod } from '@cascade/core';
import type { CounterPeriod } from '../counter/counter';

/** A budget period, calendar-aligned in a time zone. `total` never resets. */
export type BudgetPeriod = 'daily' | 'weekly' | 'monthly' | 'total';

export { isValidTimeZone, startOfLocalDay, type Weekday } from '@cascade/core';

const CALENDAR = { daily: 'day', weekly: 'week', monthly: 'month' } as const;
const FOREVER: CounterPeriod = Object.freeze({ start: 0, end: Number.POSITIVE_INFINITY });

/**
 * The budget period containing `nowMs` in `timeZone`: `[start, end)` in epoch ms, from core's
 * calendar (DST-correct). `total` spans all time.
 *
 * @param weekStartsOn - first day of a week for `weekly`. @default 1 (Monday, ISO 8601)
 * @example
 * periodContaining('monthly', Date.now(), 'Europe/Berlin'); // { start: <1st 00:00 Berlin>, end: <next 1st> }
 */
export function periodContaining(period: BudgetPeriod, nowMs: number, timeZone: string, weekStartsOn: Weekday = 1): CounterPeriod {
  if (period === 'total') return FOREVER;
  return calendarPeriod(nowMs, CALENDAR[period], timeZone, weekStartsOn);
}
