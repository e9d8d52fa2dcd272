import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createMemoryStore } from '../memory/memory-store';
import { createBudget } from './budget';

function clock(iso: string) {
  let time = Date.parse(iso);
  return { now: () => time, set: (value: string) => (time = Date.parse(value)) };
}

describe('createBudget', () => {
  it('reserves the estimate, commits the actual and frees the rest', async () => {
    const time = clock('2025-05-10T10:00:00Z');
    const budget = createBudget({ dailyUsd: 1 }, { now: time.now });
    const hold = await budget.reserve('u1', 0.8);
    expect(hold.decision).toMatchObject({ allowed: true, remaining: 0.2 });
    // The room is held by the reservation in flight, not spent: retry soon, not at midnight.
    expect((await budget.reserve('u1', 0.3)).decision).toMatchObject({ allowed: false, reason: 'reservations-in-flight', retryAfterMs: 1_000, limit: { dimension: 'cost', label: 'daily', limit: 1, requested: 0.3 } });
    await hold.commit(0.25);
    expect((await budget.check('u1')).remaining).toBeCloseTo(0.75, 6);
  });

  it('release gives everything back; commit and release count once', async () => {
    const budget = createBudget({ totalUsd: 1 });
    const hold = await budget.reserve('u1', 1);
    await hold.release();
    await hold.commit(1);
    expect((await budget.check('u1')).remaining).toBe(1);
  });

  it('denies until the next local midnight, with retry-after to it', async () => {
    const time = clock('2025-05-10T21:00:00Z'); // 23:00 in Berlin
    const budget = createBudget({ dailyUsd: 1, timeZone: 'Europe/Berlin' }, { now: time.now });
    await (await budget.reserve('u1', 1)).commit(1);
    const denied = (await budget.reserve('u1', 0.01)).decision;
    expect(denied.retryAfterMs).toBe(3_600_000);
    time.set('2025-05-10T22:00:00Z'); // 00:00 in Berlin, still the 10th in UTC
    expect((await budget.reserve('u1', 0.5)).decision.allowed).toBe(true);
  });

  it('resets on a period change, not on a day-of-month compare (same day number, next month)', async () => {
    const time = clock('2025-01-31T12:00:00Z');
    const budget = createBudget({ monthlyUsd: 1 }, { now: time.now });
    await (await budget.reserve('u1', 1)).commit(1);
    time.set('2025-02-28T12:00:00Z');
    expect((await budget.reserve('u1', 1)).decision.allowed).toBe(true);
  });

  it('a commit after the period changed does not refund into the new period', async () => {
    const time = clock('2025-05-10T23:59:00Z');
    const budget = createBudget({ dailyUsd: 1 }, { now: time.now });
    const hold = await budget.reserve('u1', 0.9);
    time.set('2025-05-11T00:01:00Z');
    await hold.commit(0.1);
    // The new day counts nothing of yesterday's reservation; yesterday's refund is not credited today.
    expect((await budget.check('u1')).remaining).toBe(1);
  });

  it('a total budget never resets and says so', async () => {
    const budget = createBudget({ totalUsd: 0.5 });
    await (await budget.reserve('org', 0.5)).commit(0.5);
    expect((await budget.reserve('org', 0.1)).decision).toMatchObject({ allowed: false, retryAfterMs: Infinity });
  });

  it('every period is checked together: the tightest one decides', async () => {
    const budget = createBudget({ dailyUsd: 10, weeklyUsd: 1 });
    expect((await budget.reserve('u', 2)).decision).toMatchObject({ allowed: false, limit: { label: 'weekly' } });
  });

  it('property: concurrent reservations never reserve more than the cap', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 60 }), async (cents) => {
        const budget = createBudget({ dailyUsd: 10 }, { store: createMemoryStore(), now: () => Date.UTC(2025, 0, 1) });
        const holds = await Promise.all(cents.map((value) => budget.reserve('org', value / 100)));
        const reserved = holds.reduce((sum, hold, index) => sum + (hold.decision.allowed ? cents[index]! : 0), 0);
        expect(reserved).toBeLessThanOrEqual(1000);
      }),
    );
  });

  it('rejects bad config with a message that says what to fix', () => {
    expect(() => createBudget({})).toThrow(/at least one cap/);
    expect(() => createBudget({ dailyUsd: 1, timeZone: 'Mars/Base' })).toThrow(/IANA/);
  });
});
