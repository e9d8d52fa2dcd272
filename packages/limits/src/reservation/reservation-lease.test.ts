import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { AgentPolicy, PipelineContext } from '@cascade/core';
import { createBudget } from '../budget/budget';
import { createMemoryStore } from '../memory/memory-store';
import { createLimitsMiddleware } from '../middleware/limits-middleware';
import { createRateLimiter } from '../rate-limit/rate-limiter';

const START = Date.UTC(2025, 4, 10, 10, 0, 0);
const LEASE = 10 * 60_000;

function clock(start = START) {
  let time = start;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

describe('reservation leases (memory store)', () => {
  function tokenLimiter(time: ReturnType<typeof clock>, store = createMemoryStore()) {
    // A day window: without a lease a leaked reservation would block for the rest of the day.
    return { store, limiter: createRateLimiter({ limits: [{ window: '1 d', requests: 1_000, tokens: 1_000 }], reservationLeaseMs: '10 m' }, { now: time.now, store }) };
  }

  it('a token reservation never settled stops blocking after the lease, and counts until then', async () => {
    const time = clock();
    const { limiter, store } = tokenLimiter(time);
    const dropped = await limiter.reserve('u', { tokens: 800 });
    expect(dropped.decision.allowed).toBe(true);
    expect(store.stats().holds).toBe(1);
    time.advance(LEASE - 1);
    expect((await limiter.consume('u', { tokens: 300 })).allowed).toBe(false); // still held 1 ms before
    time.advance(1);
    const after = await limiter.consume('u', { tokens: 300 });
    expect(after).toMatchObject({ allowed: true, remaining: 1_000 - 2 }); // the reserve's request is not given back
    expect(store.stats().holds).toBe(0);
  });

  it('a settle after the lease counts the actual tokens in full, once, and says so', async () => {
    const time = clock();
    const { limiter } = tokenLimiter(time);
    const late = await limiter.reserve('u', { tokens: 800 });
    time.advance(LEASE + 1);
    expect(await late.settle({ tokens: 300 })).toEqual({ settled: true, expired: true });
    expect(await late.settle({ tokens: 300 })).toEqual({ settled: false, expired: false });
    // 300 counted (not 800, not 300 - 800 refunded again): 700 left.
    expect((await limiter.consume('u', { tokens: 700 })).allowed).toBe(true);
    expect((await limiter.consume('u', { tokens: 1 })).allowed).toBe(false);
  });

  it('a release after the lease changes nothing (never below zero); a settle in time is not expired', async () => {
    const time = clock();
    const { limiter } = tokenLimiter(time);
    const inTime = await limiter.reserve('u', { tokens: 100 });
    time.advance(LEASE - 1);
    expect(await inTime.settle({ tokens: 100 })).toEqual({ settled: true, expired: false });
    const lapsed = await limiter.reserve('u', { tokens: 500 });
    time.advance(LEASE);
    expect(await lapsed.release()).toEqual({ settled: true, expired: true });
    expect((await limiter.consume('u', { tokens: 900 })).allowed).toBe(true);
    expect((await limiter.consume('u', { tokens: 1 })).allowed).toBe(false);
  });

  it('a settled reservation is not given back again when its lease would have lapsed', async () => {
    const time = clock();
    const { limiter } = tokenLimiter(time);
    await (await limiter.reserve('u', { tokens: 600 })).settle({ tokens: 600 });
    time.advance(2 * LEASE);
    expect((await limiter.consume('u', { tokens: 401 })).allowed).toBe(false);
  });

  it('a crashed holder (dropped handle) of a monthly budget blocks only until the lease', async () => {
    const time = clock(Date.parse('2025-05-03T10:00:00Z'));
    const budget = createBudget({ monthlyUsd: 10, reservationLeaseMs: '10 m' }, { now: time.now });
    await budget.reserve('org', 9); // the process "crashes": never committed nor released
    expect((await budget.reserve('org', 2)).decision.allowed).toBe(false);
    time.advance(LEASE);
    expect((await budget.check('org')).remaining).toBe(10);
    const next = await budget.reserve('org', 2);
    expect(next.decision.allowed).toBe(true);
    expect(await next.commit(1.5)).toEqual({ settled: true, expired: false });
    expect((await budget.check('org')).remaining).toBeCloseTo(8.5, 6);
  });

  it('a budget commit after the lease records the actual cost in full', async () => {
    const time = clock(Date.parse('2025-05-03T10:00:00Z'));
    const budget = createBudget({ monthlyUsd: 10 }, { now: time.now });
    const hold = await budget.reserve('org', 4);
    time.advance(LEASE + 5_000);
    expect(await hold.commit(3)).toEqual({ settled: true, expired: true });
    expect((await budget.check('org')).remaining).toBeCloseTo(7, 6);
  });

  it('the middleware holds tokens and cost under the lease', async () => {
    let time = START;
    const middleware = createLimitsMiddleware({ reservationLeaseMs: '1 m' }, { store: createMemoryStore(), now: () => time });
    const policy: AgentPolicy = { limits: { user: { rate: { tokensPerDay: 1_000 }, budget: { monthlyUsd: 1 } } } };
    const context = (costUsd: number) =>
      ({ requestId: 'r', mode: 'run', userId: 'a', principal: { userId: 'a' }, policy, request: { messages: [] }, estimate: { inputTokens: 100, maxOutputTokens: 700, costUsd }, abortSignal: undefined, state: new Map() }) as unknown as PipelineContext;
    expect((await middleware.admit!(context(0.9))).allowed).toBe(true); // never settled
    expect((await middleware.admit!(context(0.9))).allowed).toBe(false);
    time += 60_000;
    expect((await middleware.admit!(context(0.9))).allowed).toBe(true);
  });

  it('property: concurrent reserve/settle/drop with lapsing leases never admits over the limit while holds are live', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ tokens: fc.integer({ min: 1, max: 400 }), actual: fc.integer({ min: 0, max: 400 }), fate: fc.constantFrom('settle', 'release', 'drop', 'late'), gap: fc.integer({ min: 0, max: 40_000 }) }), { minLength: 1, maxLength: 40 }),
        async (calls) => {
          const time = clock();
          const limiter = createRateLimiter({ limits: [{ window: '1 d', tokens: 1_000 }], reservationLeaseMs: 60_000 }, { now: time.now, store: createMemoryStore() });
          // Model: tokens live holds + committed must never exceed the limit at admission.
          const live: { tokens: number; expiresAt: number }[] = [];
          let committed = 0;
          const late: { hold: Awaited<ReturnType<typeof limiter.reserve>>; actual: number }[] = [];
          for (const call of calls) {
            time.advance(call.gap);
            for (let index = live.length - 1; index >= 0; index--) if (live[index]!.expiresAt <= time.now()) live.splice(index, 1);
            const hold = await limiter.reserve('k', { tokens: call.tokens });
            const held = live.reduce((sum, each) => sum + each.tokens, 0);
            expect(hold.decision.allowed).toBe(held + committed + call.tokens <= 1_000);
            if (!hold.decision.allowed) continue;
            const actual = Math.min(call.actual, call.tokens);
            if (call.fate === 'settle') {
              expect((await hold.settle({ tokens: actual })).expired).toBe(false);
              committed += actual;
            } else if (call.fate === 'release') {
              await hold.release();
            } else {
              live.push({ tokens: call.tokens, expiresAt: time.now() + 60_000 });
              if (call.fate === 'late') late.push({ hold, actual });
            }
          }
          time.advance(60_000);
          for (const each of late) {
            expect(await each.hold.settle({ tokens: each.actual })).toEqual({ settled: true, expired: true });
            committed += each.actual;
          }
          const remaining = (await limiter.consume('k', { tokens: 0 })).remaining;
          expect(remaining).toBe(Math.max(0, 1_000 - committed));
        },
      ),
      { numRuns: 80 },
    );
  });
});
