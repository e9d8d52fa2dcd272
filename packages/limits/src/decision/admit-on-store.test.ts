import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CHAOS_HOLD, CHAOS_LIMITS, chaosStep, probe, runChaos } from '../__fixtures__/abort-chaos';
import { createBudget } from '../budget/budget';
import { createConcurrencyLimiter } from '../concurrency/concurrency-limiter';
import type { PipelineContext } from '@cascade/core';
import type { LimitStore } from '../counter/counter';
import { createMemoryStore, type MemoryStore } from '../memory/memory-store';
import { createLimitsMiddleware } from '../middleware/limits-middleware';
import { createRateLimiter } from '../rate-limit/rate-limiter';

const NOW = Date.parse('2025-06-01T12:00:00Z');

describe('admissions abandoned by their caller (memory store)', () => {
  /** A memory store whose caller aborts right after each decision (between the decision and its return). */
  function abortingAfterDecision(): { store: LimitStore; memory: MemoryStore; signal: () => AbortSignal } {
    const memory = createMemoryStore();
    let controller = new AbortController();
    const store: LimitStore = {
      kind: 'memory',
      evaluate(request, options) {
        const result = memory.evaluate(request, options);
        controller.abort();
        return result;
      },
    };
    return { store, memory, signal: () => (controller = new AbortController()).signal };
  }

  it('an abort between the decision and its return leaves no hold, no counted request, no slot', async () => {
    const { store, memory, signal } = abortingAfterDecision();
    const limiter = createRateLimiter({ maxConcurrent: 1, limits: [{ window: '1 h', requests: 1, tokens: 100 }] }, { store, now: () => NOW });
    await expect(limiter.reserve('u', { tokens: 100, abortSignal: signal() })).rejects.toMatchObject({ code: 'ABORTED' });
    await expect(limiter.consume('u', { abortSignal: signal() })).rejects.toMatchObject({ code: 'ABORTED' });
    expect(memory.stats().holds).toBe(0);
    // The request, the tokens and the slot are all free again.
    const again = createRateLimiter({ maxConcurrent: 1, limits: [{ window: '1 h', requests: 1, tokens: 100 }] }, { store: memory, now: () => NOW });
    expect((await again.reserve('u', { tokens: 100 })).decision).toMatchObject({ allowed: true });
  });

  it('budgets, concurrency slots and the middleware give back the same way; an aborted signal decides nothing', async () => {
    const { store, memory, signal } = abortingAfterDecision();
    const budget = createBudget({ dailyUsd: 0.05 }, { store, now: () => NOW });
    const slots = createConcurrencyLimiter({ max: 1 }, { store, now: () => NOW });
    await expect(budget.reserve('u', 0.05, { abortSignal: signal() })).rejects.toMatchObject({ code: 'ABORTED' });
    await expect(slots.acquire('u', { abortSignal: signal() })).rejects.toMatchObject({ code: 'ABORTED' });
    const middleware = createLimitsMiddleware({}, { store, now: () => NOW });
    const context = {
      requestId: 'r',
      mode: 'run',
      userId: 'u',
      policy: { limits: { user: { rate: { requestsPerHour: 1, maxConcurrent: 1 }, budget: { dailyUsd: 0.05 } } } },
      request: { messages: [{ role: 'user', content: 'hi' }] },
      estimate: { inputTokens: 10, maxOutputTokens: 10, costUsd: 0.05 },
      abortSignal: signal(),
      state: new Map(),
    } as unknown as PipelineContext;
    await expect(middleware.admit!(context)).rejects.toMatchObject({ code: 'ABORTED' });
    const aborted = new AbortController();
    aborted.abort();
    await expect(createBudget({ dailyUsd: 0.05 }, { store: memory, now: () => NOW }).reserve('u', 0.05, { abortSignal: aborted.signal })).rejects.toMatchObject({ code: 'ABORTED' });
    expect(memory.stats().holds).toBe(0);
    expect((await createBudget({ dailyUsd: 0.05 }, { store: memory, now: () => NOW }).reserve('u', 0.05)).decision.allowed).toBe(true);
    expect((await createConcurrencyLimiter({ max: 1 }, { store: memory, now: () => NOW }).acquire('u')).decision.allowed).toBe(true);
    const fresh = await createLimitsMiddleware({}, { store: memory, now: () => NOW }).admit!({ ...context, abortSignal: undefined });
    expect(fresh.allowed).toBe(true);
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
