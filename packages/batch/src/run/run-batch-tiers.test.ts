import { type CascadeMiddleware, type SettleInfo, createCascadeAgent } from '@cascade/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cheapModel, pricing, strongModel, usage, validator } from '../__fixtures__/test-agent';
import { runBatch } from './run-batch';

const TIERS = {
  free: { policy: { allowedModels: ['cheap'] }, maxRequests: 2 },
  pro: { policy: {}, maxRequests: 100 },
} as const;
const USERS: Record<string, keyof typeof TIERS> = { alice: 'free', bob: 'pro' };

/** A tiny profiles + limits stand-in: resolves a user's tier and policy, admits per-user request quotas. */
function tierMiddleware() {
  const used = new Map<string, number>();
  const settled: SettleInfo[] = [];
  const modes: string[] = [];
  let admitted = 0;
  const middleware: CascadeMiddleware = {
    name: 'test-tiers',
    resolve: (context) => {
      const tier = USERS[context.userId ?? ''] ?? 'free';
      return { principal: { userId: context.userId ?? 'anonymous', tier }, policy: TIERS[tier].policy };
    },
    admit: (context) => {
      modes.push(context.mode);
      const userId = context.principal!.userId;
      const count = (used.get(userId) ?? 0) + 1;
      if (count > TIERS[context.principal!.tier as keyof typeof TIERS].maxRequests) {
        return { allowed: false, code: 'RATE_LIMITED', reason: `${userId} used the ${context.principal!.tier} tier's quota` };
      }
      used.set(userId, count);
      admitted++;
      return { allowed: true, reservation: { settle: (info) => void settled.push(info) } };
    },
  };
  return { middleware, settled, modes, admitted: () => admitted };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  expect(vi.getTimerCount()).toBe(0);
  vi.useRealTimers();
});

describe('runBatch with users on different tiers', () => {
  it('resolves, admits and settles every item through the pipeline', async () => {
    const cheap = cheapModel(10, (prompt) => (prompt.startsWith('hard') ? { text: `BAD ${prompt}`, usage } : undefined));
    const strong = strongModel(10);
    const tiers = tierMiddleware();
    const agent = createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: false, middleware: [tiers.middleware], complexityRouting: false });
    const promise = runBatch(agent, [
      { id: 'a1', input: 'easy one', userId: 'alice' },
      { id: 'a2', input: 'hard one', userId: 'alice' },
      { id: 'a3', input: 'easy two', userId: 'alice' },
      { id: 'b1', input: 'hard two', userId: 'bob' },
      { id: 'b2', input: 'easy three', userId: 'bob' },
    ], { concurrency: 2, retries: 2 });
    await vi.runAllTimersAsync();
    const { results, summary } = await promise;
    const byId = Object.fromEntries(results.map((result) => [result.id, result]));

    // Free tier: only the cheap model, whose answer is final (nothing to escalate to).
    expect(byId['a2']!.result).toMatchObject({ modelId: 'cheap', escalated: false, principal: { userId: 'alice', tier: 'free' } });
    expect(byId['a2']!.result!.routing.skippedModels).toEqual(['strong']);
    // Over the free quota: a typed denial, not retried (no retry-after), the batch goes on.
    expect(byId['a3']).toMatchObject({ status: 'failed', attempts: 1 });
    expect(byId['a3']!.error?.code).toBe('RATE_LIMITED');
    // Pro tier: the cheap draft fails validation and escalates.
    expect(byId['b1']!.result).toMatchObject({ modelId: 'strong', escalated: true, principal: { tier: 'pro' } });
    expect(byId['b2']!.result).toMatchObject({ modelId: 'cheap', principal: { tier: 'pro' } });

    expect(strong.calls).toHaveLength(1);
    expect(tiers.modes.every((mode) => mode === 'batch')).toBe(true);
    // Every reservation is settled exactly once, with what the item cost.
    expect(tiers.settled).toHaveLength(tiers.admitted());
    const settledCost = tiers.settled.reduce((sum, info) => sum + info.costUsd, 0);
    expect(settledCost).toBeCloseTo(summary.costUsd);
    expect(summary).toMatchObject({ ok: 4, failed: 1 });
    expect(cheap.maxInFlight + strong.maxInFlight).toBeLessThanOrEqual(2 + 1);
  });
});
