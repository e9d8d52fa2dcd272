import { CascadeError, createCascadeAgent, createPricing } from '@cascade/core';
import { MockChatModel } from '@cascade/core/test';
import { describe, expect, it } from 'vitest';
import { createBudget } from '../budget/budget';
import { createLimitsMiddleware } from '../middleware/limits-middleware';
import { createMemoryStore } from '../memory/memory-store';
import { createRateLimiter, fixedWindow } from '../index';

// Issue 14.11: `mode` named three things; limits now say `enforcement`. The old key keeps working
// for one minor version, in each config that had it.
function thrown(run: () => unknown): CascadeError {
  try {
    run();
  } catch (error) {
    if (CascadeError.isInstance(error)) return error;
  }
  throw new Error('expected a CascadeError');
}

describe('deprecated mode in limits configs', () => {
  it('createRateLimiter({ mode }) maps to enforcement', () => {
    const limiter = createRateLimiter({ mode: 'warn', limits: [fixedWindow(1, '1 m')] });
    limiter.consumeSync('k');
    expect(limiter.consumeSync('k')).toMatchObject({ allowed: true, reason: 'warned' });
    const blocking = createRateLimiter({ limits: [fixedWindow(1, '1 m')] });
    blocking.consumeSync('k');
    expect(blocking.consumeSync('k').allowed).toBe(false);
  });

  it('createBudget({ mode }) maps to enforcement', async () => {
    const hold = await createBudget({ dailyUsd: 1, mode: 'warn' }).reserve('k', 2);
    expect(hold.decision).toMatchObject({ allowed: true, reason: 'warned' });
    expect((await createBudget({ dailyUsd: 1 }).reserve('k', 2)).decision.allowed).toBe(false);
  });

  it('policy.limits.mode maps to enforcement through the agent', async () => {
    const pricing = createPricing({ includeDefaults: false, prices: { m: { inputUsdPerMTok: 1, outputUsdPerMTok: 1 } } });
    const agent = createCascadeAgent({
      models: [new MockChatModel({ modelId: 'm', responses: [{ text: 'a' }, { text: 'b' }] })],
      pricing,
      middleware: [createLimitsMiddleware({}, { store: createMemoryStore() })],
      policy: { limits: { mode: 'warn', user: { rate: { requestsPerMinute: 1 } } } },
    });
    await agent.run('q', { userId: 'u' });
    const second = await agent.run('q', { userId: 'u' });
    expect(second.warnings.join(' ')).toMatch(/over its limit/);
  });

  it('a different value under both names is refused, naming the deprecated one', () => {
    expect(thrown(() => createRateLimiter({ mode: 'warn', enforcement: 'block', limits: [fixedWindow(1, '1 m')] })).message).toMatch(/mode is the deprecated name of enforcement/);
    expect(thrown(() => createBudget({ dailyUsd: 1, mode: 'block', enforcement: 'warn' })).code).toBe('INVALID_CONFIG');
  });
});
