import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CHAOS_HOLD, CHAOS_LIMITS, chaosStep, probe, runChaos } from '../__fixtures__/abort-chaos';
import { createBudget } from '../budget/budget';
import { createConcurrencyLimiter } from '../concurrency/concurrency-limiter';
import { createMemoryStore } from '../memory/memory-store';
import { createRateLimiter } from '../rate-limit/rate-limiter';

const NOW = Date.parse('2025-06-01T12:00:00Z');

describe('admissions abandoned by their caller (memory store)', () => {
  it('an abort between the decision and its return leaves no hold, no counted request, no slot', async () => {
    const store = createMemoryStore();
    const limiter = createRateLimiter({ maxConcurrent: 1, limits: [{ window: '1 h', requests: 1, tokens: 100 }] }, { store, now: () => NOW });
    const controller = new AbortController();
    const pending = limiter.reserve('u', { tokens: 100, abortSignal: controller.signal });
    // The memory store decides synchronously; the abort lands before reserve returns.
    queueMicrotask(() => controller.abort());
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
    expect(store.stats().holds).toBe(0);
    // The request, the tokens and the slot are all free again.
    expect((await limiter.reserve('u', { tokens: 100 })).decision).toMatchObject({ allowed: true });
  });

  it('budgets and concurrency slots are given back the same way; an aborted signal decides nothing', async () => {
    const store = createMemoryStore();
    const budget = createBudget({ dailyUsd: 0.05 }, { store, now: () => NOW });
    const slots = createConcurrencyLimiter({ max: 1 }, { store, now: () => NOW });
    for (const take of [() => budget.reserve('u', 0.05, { abortSignal: controller() }), () => slots.acquire('u', { abortSignal: controller() })]) {
      await expect(take()).rejects.toMatchObject({ code: 'ABORTED' });
    }
    const aborted = new AbortController();
    aborted.abort();
    await expect(budget.reserve('u', 0.05, { abortSignal: aborted.signal })).rejects.toMatchObject({ code: 'ABORTED' });
    expect(store.stats().holds).toBe(0);
    expect((await budget.reserve('u', 0.05)).decision.allowed).toBe(true);
    expect((await slots.acquire('u')).decision.allowed).toBe(true);

    function controller(): AbortSignal {
      const each = new AbortController();
      queueMicrotask(() => each.abort());
      return each.signal;
    }
  });

  it('property: with aborts at random points, holds = reservations in flight and counted requests = admitted', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(chaosStep, { minLength: 1, maxLength: 60 }), async (steps) => {
        const store = createMemoryStore();
        const outcome = await runChaos(store, 'chaos', 'u', NOW, steps);
        expect(store.stats().holds).toBe(outcome.holds);
        expect(await probe(store, 'chaos', 'u', NOW)).toEqual({ requests: outcome.admitted, tokens: outcome.tokens, inFlight: outcome.inFlight });
        const budget = createBudget({ prefix: 'chaos:usd', dailyUsd: CHAOS_LIMITS.dailyUsd }, { store, now: () => NOW });
        expect((await budget.check('u')).remaining).toBeCloseTo(CHAOS_LIMITS.dailyUsd - outcome.usd, 6);
        await outcome.releaseKept();
        expect(store.stats().holds).toBe(0);
        const heldTokens = outcome.inFlight * CHAOS_HOLD.tokens;
        expect(await probe(store, 'chaos', 'u', NOW)).toEqual({ requests: outcome.admitted, tokens: outcome.tokens - heldTokens, inFlight: 0 });
      }),
      { numRuns: 40 },
    );
  });
});
