import type { DrafterStats, LearningStats } from '@cascade/core';
import { describe, expect, it } from 'vitest';
import { estimateOf } from './learning-estimate';

const drafter = (modelId: string, requests: number, estimatedShare: number, interval: [number, number]): LearningStats['drafters'][number] => {
  const figures: DrafterStats = { estimatedShare, interval, acceptRate: 0.5, routedRate: 0, auditCostUsd: 0, labels: 10, requests, savingsUsd: 0,
    signals: { inUse: ['validator'], logprobsCoverage: 0, agreementCoverage: 0, probability: { logprobs: {}, agreement: {} } } };
  return { ...figures, modelId, kinds: {} };
};

describe('estimateOf', () => {
  it('is the drafter’s own estimate when one drafter saw every request', () => {
    const estimate = estimateOf({ drafters: [drafter('cheap', 100, 0.96, [0.94, 0.97])], auditCostUsd: 0, auditErrors: 0 }, 100)!;
    expect(estimate.estimatedShare).toBeCloseTo(0.96, 12);
    expect(estimate.interval[0]).toBeCloseTo(0.94, 12);
    expect(estimate.interval[1]).toBeCloseTo(0.97, 12);
  });

  it('adds each drafter’s loss weighted by the share of requests that reached it', () => {
    const stats = { drafters: [drafter('cheap', 100, 0.96, [0.94, 0.97]), drafter('mid', 40, 0.9, [0.85, 0.95])], auditCostUsd: 0, auditErrors: 0 };
    const estimate = estimateOf(stats, 100)!;
    expect(estimate.estimatedShare).toBeCloseTo(1 - (0.04 + 0.4 * 0.1), 12);
    expect(estimate.interval[0]).toBeCloseTo(1 - (0.06 + 0.4 * 0.15), 12);
    expect(estimate.interval[1]).toBeCloseTo(1 - (0.03 + 0.4 * 0.05), 12);
    expect(estimate.drafters.map((entry) => entry.modelId)).toEqual(['cheap', 'mid']);
  });

  it('is undefined without drafters', () => {
    expect(estimateOf({ drafters: [], auditCostUsd: 0, auditErrors: 0 }, 10)).toBeUndefined();
  });
});
