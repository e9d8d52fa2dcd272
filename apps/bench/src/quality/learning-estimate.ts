import type { LearningStats } from '@cascade/core';

/** The agent's own estimate of the share of the strongest tier's quality it kept, from `agent.stats()`. */
export interface LearningEstimate {
  estimatedShare: number;
  interval: [number, number];
  /** Per drafter, cheapest first, as the agent reports it. */
  drafters: { modelId: string; estimatedShare: number; interval: [number, number]; requests: number; labels: number; acceptRate: number; routedRate: number; auditCostUsd: number; savingsUsd: number }[];
}

/**
 * Combines the drafters' estimates into one for the whole stream of `total` requests: each drafter
 * loses (1 − its share) on the requests that reached it, so the cascade keeps
 * 1 − Σ (requestsᵢ / total)·(1 − shareᵢ), bounds alike. With one drafter that reached every request
 * this is its own estimate. Undefined when the agent reports no drafter.
 */
export function estimateOf(stats: LearningStats, total: number): LearningEstimate | undefined {
  if (stats.drafters.length === 0 || total <= 0) return undefined;
  let loss = 0;
  let lossLow = 0;
  let lossHigh = 0;
  for (const drafter of stats.drafters) {
    const reach = Math.min(1, drafter.requests / total);
    loss += reach * (1 - drafter.estimatedShare);
    lossHigh += reach * (1 - drafter.interval[0]);
    lossLow += reach * (1 - drafter.interval[1]);
  }
  return {
    estimatedShare: 1 - loss,
    interval: [1 - lossHigh, 1 - lossLow],
    drafters: stats.drafters.map((drafter) => ({
      modelId: drafter.modelId,
      estimatedShare: drafter.estimatedShare,
      interval: drafter.interval,
      requests: drafter.requests,
      labels: drafter.labels,
      acceptRate: drafter.acceptRate,
      routedRate: drafter.routedRate,
      auditCostUsd: drafter.auditCostUsd,
      savingsUsd: drafter.savingsUsd,
    })),
  };
}
