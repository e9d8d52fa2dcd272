import { describe, expect, it } from 'vitest';
import { isValidTimeZone, periodContaining, startOfLocalDay } from './calendar-period';

const iso = (ms: number): string => new Date(ms).toISOString();

describe('periodContaining', () => {
  it('UTC days, ISO weeks (Monday) and months', () => {
    const now = Date.parse('2025-03-13T15:00:00Z'); // a Thursday
    expect(periodContaining('daily', now, 'UTC')).toEqual({ start: Date.parse('2025-03-13T00:00:00Z'), end: Date.parse('2025-03-14T00:00:00Z') });
    expect(iso(periodContaining('weekly', now, 'UTC').start)).toBe('2025-03-10T00:00:00.000Z');
    expect(iso(periodContaining('weekly', now, 'UTC', 0).start)).toBe('2025-03-09T00:00:00.000Z');
    expect(periodContaining('monthly', now, 'UTC')).toEqual({ start: Date.parse('2025-03-01T00:00:00Z'), end: Date.parse('2025-04-01T00:00:00Z') });
    expect(periodContaining('total', now, 'UTC')).toEqual({ start: 0, end: Infinity });
  });

  it('aligns to local midnight in the zone, not UTC', () => {
    // 02:30 in Tokyo on the 14th is still the 13th in UTC.
    const now = Date.parse('2025-03-13T17:30:00Z');
    expect(iso(periodContaining('daily', now, 'Asia/Tokyo').start)).toBe('2025-03-13T15:00:00.000Z');
    expect(iso(periodContaining('daily', now, 'Asia/Kolkata').start)).toBe('2025-03-12T18:30:00.000Z');
  });

  it('a spring-forward day lasts 23 hours and a fall-back day 25 (Europe/Berlin)', () => {
    const spring = periodContaining('daily', Date.parse('2025-03-30T12:00:00Z'), 'Europe/Berlin');
    expect(iso(spring.start)).toBe('2025-03-29T23:00:00.000Z');
    expect((spring.end - spring.start) / 3_600_000).toBe(23);
    const fall = periodContaining('daily', Date.parse('2025-10-26T12:00:00Z'), 'Europe/Berlin');
    expect((fall.end - fall.start) / 3_600_000).toBe(25);
    const march = periodContaining('monthly', Date.parse('2025-03-15T12:00:00Z'), 'Europe/Berlin');
    expect(iso(march.start)).toBe('2025-02-28T23:00:00.000Z');
    expect(iso(march.end)).toBe('2025-03-31T22:00:00.000Z');
  });

  it('America/New_York months and weeks across DST', () => {
    const november = periodContaining('monthly', Date.parse('2025-11-15T12:00:00Z'), 'America/New_York');
    expect(iso(november.start)).toBe('2025-11-01T04:00:00.000Z');
    expect(iso(november.end)).toBe('2025-12-01T05:00:00.000Z');
    const week = periodContaining('weekly', Date.parse('2025-03-12T12:00:00Z'), 'America/New_York');
    expect(iso(week.start)).toBe('2025-03-10T04:00:00.000Z');
    const dstWeek = periodContaining('weekly', Date.parse('2025-03-05T12:00:00Z'), 'America/New_York');
    expect((dstWeek.end - dstWeek.start) / 3_600_000).toBe(7 * 24 - 1);
  });

  it('a day whose midnight does not exist starts when the clocks jump (America/Santiago)', () => {
    // 2024-09-08: clocks go from 00:00 (UTC-4) to 01:00 (UTC-3).
    expect(iso(startOfLocalDay(2024, 9, 8, 'America/Santiago'))).toBe('2024-09-08T04:00:00.000Z');
    const day = periodContaining('daily', Date.parse('2024-09-08T15:00:00Z'), 'America/Santiago');
    expect((day.end - day.start) / 3_600_000).toBe(23);
  });

  it('periods chain without gaps or overlaps through a year of DST changes', () => {
    for (const zone of ['Europe/London', 'Australia/Sydney', 'America/Santiago', 'Asia/Kathmandu']) {
      let period = periodContaining('daily', Date.parse('2024-01-01T12:00:00Z'), zone);
      for (let day = 0; day < 366; day++) {
        const next = periodContaining('daily', period.end, zone);
        expect(next.start).toBe(period.end);
        expect(next.end - next.start).toBeGreaterThanOrEqual(23 * 3_600_000);
        expect(next.end - next.start).toBeLessThanOrEqual(25 * 3_600_000);
        period = next;
      }
    }
  });

  it('validates zones', () => {
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });
});
