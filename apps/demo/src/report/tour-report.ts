import { percentile } from '@cascade/batch';
import type { LearningStats } from '@cascade/core';
import { type LearningReport, summarizeLearning } from './learning-report';
import type { LedgerEntry, RunLedger } from './run-ledger';

/** Spend of one tier. */
export interface TierSpend {
  requests: number;
  costUsd: number;
  strongCostUsd: number;
  /** Drafts adaptive routing skipped (they would not have paid at the tier's target). */
  draftsSkipped: number;
}

/** The closing figures of a run. Quality figures are undefined when no labels were available (live models). */
export interface TourReport {
  answered: number;
  denied: number;
  blocked: number;
  costUsd: number;
  /** Cost of sending every answered query to the strongest model alone. */
  strongCostUsd: number;
  /** `1 - costUsd / strongCostUsd`. */
  savings: number;
  /** Mean label of the returned answers (0..1). */
  quality: number | undefined;
  /** Mean label of the strongest model's answers to the same queries. */
  strongQuality: number | undefined;
  /** `quality / strongQuality`. */
  qualityRatio: number | undefined;
  /** Share of validated drafts the validator accepted (tiers with a single allowed model are not validated). */
  acceptRate: number;
  /** Share of answers that came from the cheapest model. */
  cheapestShare: number;
  /** Share of answers with at least one rejected draft. */
  escalationRate: number;
  perTier: Readonly<Record<string, TierSpend>>;
  latencyP50Ms: number;
  latencyP95Ms: number;
  /** What the agent learned and its live estimate, with the share measured from the trace labels beside it. */
  learning: (LearningReport & { measuredShare: Readonly<Record<string, number | undefined>> }) | undefined;
}

const mean = (values: readonly number[]): number | undefined => (values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0) / values.length);

/** `Σ quality / Σ strongQuality` over labelled entries: the share of the strongest model's quality kept (undefined without labels). */
export function measuredShare(entries: readonly LedgerEntry[]): number | undefined {
  const labelled = entries.filter((entry) => entry.quality !== undefined && entry.strongQuality !== undefined);
  const strong = labelled.reduce((sum, entry) => sum + entry.strongQuality!, 0);
  return labelled.length === 0 || strong <= 0 ? undefined : labelled.reduce((sum, entry) => sum + entry.quality!, 0) / strong;
}

/**
 * Computes the report from a ledger and, when given, the agent's learning stats (taken after
 * `agent.settled()`, so every audit is counted): audits are part of the run's cost.
 */
export function summarizeLedger(ledger: RunLedger, learned?: { stats: LearningStats; labelsAtStart: number }): TourReport {
  const entries = ledger.entries;
  const learning = learned ? summarizeLearning(learned.stats, learned.labelsAtStart) : undefined;
  const costUsd = entries.reduce((sum, entry) => sum + entry.costUsd, 0) + (learning?.auditCostUsd ?? 0);
  const strongCostUsd = entries.reduce((sum, entry) => sum + entry.strongCostUsd, 0);
  const labelled = entries.filter((entry) => entry.quality !== undefined && entry.strongQuality !== undefined);
  const quality = mean(labelled.map((entry) => entry.quality!));
  const strongQuality = mean(labelled.map((entry) => entry.strongQuality!));
  const perTier: Record<string, TierSpend> = {};
  for (const entry of entries) {
    const tier = (perTier[entry.tier] ??= { requests: 0, costUsd: 0, strongCostUsd: 0, draftsSkipped: 0 });
    tier.requests += 1;
    tier.costUsd += entry.costUsd;
    tier.strongCostUsd += entry.strongCostUsd;
    tier.draftsSkipped += entry.draftsSkipped;
  }
  const validated = entries.reduce((sum, entry) => sum + entry.validatedDrafts, 0);
  const latencies = entries.map((entry) => entry.latencyMs).sort((a, b) => a - b);
  return {
    answered: entries.length,
    denied: ledger.denials.filter((denial) => denial.code === 'RATE_LIMITED' || denial.code === 'BUDGET_EXCEEDED').length,
    blocked: ledger.denials.filter((denial) => denial.code === 'GUARDRAIL_BLOCKED').length,
    costUsd,
    strongCostUsd,
    savings: strongCostUsd > 0 ? 1 - costUsd / strongCostUsd : 0,
    quality,
    strongQuality,
    qualityRatio: quality !== undefined && strongQuality !== undefined && strongQuality > 0 ? quality / strongQuality : undefined,
    acceptRate: validated === 0 ? 0 : entries.reduce((sum, entry) => sum + entry.acceptedDrafts, 0) / validated,
    cheapestShare: entries.length === 0 ? 0 : entries.filter((entry) => entry.cheapestAnswered).length / entries.length,
    escalationRate: entries.length === 0 ? 0 : entries.filter((entry) => entry.escalated).length / entries.length,
    perTier,
    latencyP50Ms: percentile(latencies, 50),
    latencyP95Ms: percentile(latencies, 95),
    learning: learning && {
      ...learning,
      measuredShare: Object.fromEntries(learning.drafters.map((drafter) => [drafter.modelId, measuredShare(entries.filter((entry) => entry.drafterId === drafter.modelId))])),
    },
  };
}
