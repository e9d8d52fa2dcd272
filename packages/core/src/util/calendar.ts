import { CascadeError } from '../errors/cascade-error';

/** Calendar periods of budgets. */
export type CalendarPeriod = 'day' | 'week' | 'month';

/** Day a week starts on: 0 Sunday … 6 Saturday. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

const MAX_CACHED = 512;
const formatters = new Map<string, Intl.DateTimeFormat>();
const lastPeriods = new Map<string, { start: number; end: number }>();

/** True when `timeZone` is an IANA zone (or `UTC`) this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    if (formatters.size >= MAX_CACHED) formatters.clear();
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallTime(epochMs: number, timeZone: string): WallTime {
  const wall: WallTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of formatterFor(timeZone).formatToParts(epochMs)) {
    if (part.type === 'year' || part.type === 'month' || part.type === 'day' || part.type === 'hour' || part.type === 'minute' || part.type === 'second') {
      wall[part.type] = Number(part.value);
    }
  }
  return wall;
}

/** Offset of `timeZone` from UTC at `epochMs`, in ms (positive east of Greenwich). */
function offsetAt(epochMs: number, timeZone: string): number {
  const wall = wallTime(epochMs, timeZone);
  const seconds = Math.floor(epochMs / 1000) * 1000;
  return Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second) - seconds;
}

/**
 * First instant whose local date in `timeZone` is the civil date (year, month, day) — local
 * midnight, or the end of a DST gap when midnight does not exist that day. Month/day may overflow
 * (day 0, month 13); they are normalized like `Date.UTC`.
 */
export function startOfLocalDay(year: number, month: number, day: number, timeZone: string): number {
  const civil = new Date(Date.UTC(year, month - 1, day));
  const target = civil.getTime();
  const first = target - offsetAt(target, timeZone);
  const second = target - offsetAt(first, timeZone);
  let best = Number.POSITIVE_INFINITY;
  for (const candidate of [first, second]) {
    const wall = wallTime(candidate, timeZone);
    if (Date.UTC(wall.year, wall.month - 1, wall.day) === target && candidate < best) best = candidate;
  }
  return best === Number.POSITIVE_INFINITY ? first : best;
}

/**
 * Start and end (exclusive) of the calendar period containing `at`, in `timeZone`, as epoch ms.
 * A period changes when the local calendar does (not on a day-of-month compare): a day may last
 * 23 or 25 hours across DST, and a day whose midnight does not exist starts when the gap ends.
 *
 * @param weekStartsOn - first day of a week. @default 1 (Monday, ISO 8601)
 * @example
 * calendarPeriod(Date.now(), 'month', 'Europe/Berlin'); // { start: <1st 00:00 Berlin>, end: <next 1st> }
 */
export function calendarPeriod(at: number, period: CalendarPeriod, timeZone = 'UTC', weekStartsOn: Weekday = 1): { start: number; end: number } {
  const cacheKey = `${timeZone}|${period}|${weekStartsOn}`;
  const cached = lastPeriods.get(cacheKey);
  if (cached && at >= cached.start && at < cached.end) return cached;
  assertTimeZone(timeZone);
  const wall = wallTime(at, timeZone);
  let result: { start: number; end: number };
  if (period === 'day') {
    result = { start: startOfLocalDay(wall.year, wall.month, wall.day, timeZone), end: startOfLocalDay(wall.year, wall.month, wall.day + 1, timeZone) };
  } else if (period === 'week') {
    const weekday = new Date(Date.UTC(wall.year, wall.month - 1, wall.day)).getUTCDay();
    const back = (weekday - weekStartsOn + 7) % 7;
    result = {
      start: startOfLocalDay(wall.year, wall.month, wall.day - back, timeZone),
      end: startOfLocalDay(wall.year, wall.month, wall.day - back + 7, timeZone),
    };
  } else {
    result = { start: startOfLocalDay(wall.year, wall.month, 1, timeZone), end: startOfLocalDay(wall.year, wall.month + 1, 1, timeZone) };
  }
  if (lastPeriods.size >= MAX_CACHED) lastPeriods.clear();
  lastPeriods.set(cacheKey, result);
  return result;
}

/** Checks a time zone name, throwing `INVALID_CONFIG` for an unknown one. */
export function assertTimeZone(timeZone: string): void {
  if (!isValidTimeZone(timeZone)) {
    throw new CascadeError('INVALID_CONFIG', `Unknown time zone "${timeZone}". Use an IANA name such as "UTC" or "Europe/Berlin".`);
  }
}
