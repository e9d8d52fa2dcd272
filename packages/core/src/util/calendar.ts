import { CascadeError } from '../errors/cascade-error';

/** Calendar periods of budgets. Weeks start on Monday (ISO 8601). */
export type CalendarPeriod = 'day' | 'week' | 'month';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
    } catch (error) {
      throw new CascadeError('INVALID_CONFIG', `Unknown time zone "${timeZone}". Use an IANA name such as "UTC" or "Europe/Berlin".`, { cause: error });
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

interface LocalTime { year: number; month: number; day: number; hour: number; minute: number; second: number }

function localTime(at: number, timeZone: string): LocalTime {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(at)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** Offset of `timeZone` from UTC at instant `at`, in ms. */
function offsetAt(at: number, timeZone: string): number {
  const local = localTime(at, timeZone);
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
  return asUtc - Math.floor(at / 1000) * 1000;
}

/** The instant of local midnight starting `year-month-day` in `timeZone`, DST-correct. */
function localMidnight(year: number, month: number, day: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day);
  // Two passes settle the offset across a DST change; a midnight that does not exist moves forward.
  let guess = wall - offsetAt(wall, timeZone);
  guess = wall - offsetAt(guess, timeZone);
  return guess;
}

/**
 * Start and end (exclusive) of the calendar period containing `at`, in `timeZone`.
 * A period changes when the local calendar does (not on a day-of-month compare), DST included.
 *
 * @example
 * calendarPeriod(Date.now(), 'month', 'Europe/Berlin'); // { start, end } as epoch ms
 */
export function calendarPeriod(at: number, period: CalendarPeriod, timeZone = 'UTC'): { start: number; end: number } {
  const local = localTime(at, timeZone);
  if (period === 'day') {
    const next = new Date(Date.UTC(local.year, local.month - 1, local.day + 1));
    return { start: localMidnight(local.year, local.month, local.day, timeZone), end: localMidnight(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate(), timeZone) };
  }
  if (period === 'week') {
    const weekday = (new Date(Date.UTC(local.year, local.month - 1, local.day)).getUTCDay() + 6) % 7; // Monday = 0
    const monday = new Date(Date.UTC(local.year, local.month - 1, local.day - weekday));
    const nextMonday = new Date(Date.UTC(local.year, local.month - 1, local.day - weekday + 7));
    return {
      start: localMidnight(monday.getUTCFullYear(), monday.getUTCMonth() + 1, monday.getUTCDate(), timeZone),
      end: localMidnight(nextMonday.getUTCFullYear(), nextMonday.getUTCMonth() + 1, nextMonday.getUTCDate(), timeZone),
    };
  }
  const nextMonth = new Date(Date.UTC(local.year, local.month, 1));
  return { start: localMidnight(local.year, local.month, 1, timeZone), end: localMidnight(nextMonth.getUTCFullYear(), nextMonth.getUTCMonth() + 1, 1, timeZone) };
}

/** Checks a time zone name, throwing `INVALID_CONFIG` for an unknown one. */
export function assertTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}
