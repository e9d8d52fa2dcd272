import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calendarPeriod } from './calendar';

describe('calendarPeriod', () => {
  it('aligns days, ISO weeks and months in UTC', () => {
    const at = Date.UTC(2026, 10, 23, 15, 30); // Monday 2026-11-23
    expect(calendarPeriod(at, 'day')).toEqual({ start: Date.UTC(2026, 10, 23), end: Date.UTC(2026, 10, 24) });
    expect(calendarPeriod(at, 'week')).toEqual({ start: Date.UTC(2026, 10, 23), end: Date.UTC(2026, 10, 30) });
    expect(calendarPeriod(at, 'month')).toEqual({ start: Date.UTC(2026, 10, 1), end: Date.UTC(2026, 11, 1) });
    expect(calendarPeriod(Date.UTC(2026, 11, 31, 23), 'month').end).toBe(Date.UTC(2027, 0, 1));
  });

  it('uses the local calendar of the time zone', () => {
    // 23:30 UTC on Nov 23 is already Nov 24 in Tokyo (UTC+9).
    const at = Date.UTC(2026, 10, 23, 23, 30);
    expect(calendarPeriod(at, 'day', 'Asia/Tokyo')).toEqual({ start: Date.UTC(2026, 10, 23, 15), end: Date.UTC(2026, 10, 24, 15) });
  });

  it('has 23- and 25-hour days across DST changes', () => {
    // Europe/Berlin: 2026-03-29 spring forward, 2026-10-25 fall back.
    const spring = calendarPeriod(Date.UTC(2026, 2, 29, 12), 'day', 'Europe/Berlin');
    expect(spring.end - spring.start).toBe(23 * 3_600_000);
    expect(spring.start).toBe(Date.UTC(2026, 2, 28, 23));
    const fall = calendarPeriod(Date.UTC(2026, 9, 25, 12), 'day', 'Europe/Berlin');
    expect(fall.end - fall.start).toBe(25 * 3_600_000);
    const newYork = calendarPeriod(Date.UTC(2026, 2, 8, 12), 'day', 'America/New_York');
    expect(newYork.end - newYork.start).toBe(23 * 3_600_000);
  });

  it('always contains the instant and tiles time without gaps', () => {
    const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Pacific/Chatham'];
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }), fc.constantFrom(...zones), fc.constantFrom('day' as const, 'week' as const, 'month' as const), (at, zone, period) => {
        const { start, end } = calendarPeriod(at, period, zone);
        expect(start).toBeLessThanOrEqual(at);
        expect(end).toBeGreaterThan(at);
        expect(calendarPeriod(end, period, zone).start).toBe(end);
        expect(calendarPeriod(start - 1, period, zone).end).toBe(start);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects an unknown time zone with the fix', () => {
    expect(() => calendarPeriod(0, 'day', 'Mars/Olympus')).toThrow(/IANA name/);
  });
});
