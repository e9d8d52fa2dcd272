import type { DrafterStats, LearningStats } from '@cascade/core';

/** One drafter's (or one kind's) figures as the bench reports them. */
type DrafterFigures = Pick<DrafterStats, 'estimatedShare' | 'interval' | 'requests' | 'labels' | 'acceptRate' | 'routedRate' | 'auditCostUsd' | 'savingsUsd'>;

const figuresOf = (stats: DrafterStats): DrafterFigures => ({
  estimatedShare: stats.estimatedShare,
  interval: stats.interval,
  requests: stats.requests,
  labels: stats.labels,
  acceptRate: stats.acceptRate,
  routedRate: stats.routedRate,
  auditCostUsd: stats.auditCostUsd,
  savingsUsd: stats.savingsUsd,
});

/** The agent's own estimate of the share of the strongest tier's quality it kept, from `agent.stats()`. */
export interface LearningEstimate {
  estimatedShare: number;
  interval: [number, number];
  /** Per drafter, cheapest first, as the agent reports it. */
  drafters: (DrafterFigures & { modelId: string; kinds: Record<string, DrafterFigures> })[];
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
      ...figuresOf(drafter),
      kinds: Object.fromEntries(Object.entries(drafter.kinds).flatMap(([kind, figures]) => (figures ? [[kind, figuresOf(figures)]] : []))),
    })),
  };
}
