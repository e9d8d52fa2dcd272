import type { LearningStats } from '@cascade/core';

/** One drafter's live estimate, as the closing report shows it. */
export interface DrafterEstimate {
  modelId: string;
  /** The agent's own estimate of the share of the strongest tier's quality kept on requests that reached this drafter. */
  estimatedShare: number;
  interval: [number, number];
  labels: number;
  requests: number;
  acceptRate: number;
  routedRate: number;
  auditCostUsd: number;
}

/** What the agent learned during the run (`agent.stats()` after every background audit settled). */
export interface LearningReport {
  drafters: DrafterEstimate[];
  /** Labels the run started from: learned by earlier runs on the same SQLite file. */
  labelsAtStart: number;
  labelsAtEnd: number;
  /** Spend on audits, exploration drafts and judge calls (off the response path, not in any answer's cost). */
  auditCostUsd: number;
  auditErrors: number;
}

/** Labels across drafters. */
export function labelCount(stats: LearningStats): number {
  return stats.drafters.reduce((sum, drafter) => sum + drafter.labels, 0);
}

/** The learning part of the closing report. */
export function summarizeLearning(stats: LearningStats, labelsAtStart: number): LearningReport {
  return {
    drafters: stats.drafters.map((drafter) => ({
      modelId: drafter.modelId,
      estimatedShare: drafter.estimatedShare,
      interval: drafter.interval,
      labels: drafter.labels,
      requests: drafter.requests,
      acceptRate: drafter.acceptRate,
      routedRate: drafter.routedRate,
      auditCostUsd: drafter.auditCostUsd,
    })),
    labelsAtStart,
    labelsAtEnd: labelCount(stats),
    auditCostUsd: stats.auditCostUsd,
    auditErrors: stats.auditErrors,
  };
}
