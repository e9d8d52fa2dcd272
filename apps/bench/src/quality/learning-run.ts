import { type CascadeResult, type LearningStats, type Pricing, createCascadeAgent } from '@cascade/core';
import { type Trace, createReplayModels } from '@cascade/core/replay';
import { createRecordedJudge } from './recorded-judge';
import { type StreamRecord, seededRandom } from './stream-metrics';
import { callCost, labelOf, requestOf } from './trace-tiers';

/** What one learning run measured. */
export interface LearningRun {
  /** One record per request, in stream order. */
  records: StreamRecord[];
  /** The agent's own view at the end (`agent.stats()`), after every audit settled. */
  stats: LearningStats;
  /** Answers per model id. */
  answeredBy: Record<string, number>;
  /** `result.learning.decision` counts, and how many requests were audited. */
  decisions: Record<string, number>;
  audited: number;
  /** Audit and judge calls reported through `onAudit`, and recorded-judge calls. */
  auditEvents: number;
  judgeCalls: number;
  /** Requests that failed outright (every tier failed). */
  failed: number;
  elapsedMs: number;
}

/**
 * Replays `order` through ONE long-lived agent with the shipped defaults (learning on, no quality
 * target override), exactly as production would see it: drafts, the stronger tier's answers when
 * bought (escalations, audits), and for `score` files a paid judge that returns the recorded judge
 * scores. It never sees `correct` labels; those only score the answers afterwards.
 *
 * After each request it awaits `agent.settled()`, so the background audits a request triggered are
 * charged to that request and the run is reproducible (a live audit would land a little later).
 */
export async function runLearning(options: {
  traces: readonly Trace[];
  order: readonly Trace[];
  tiers: readonly string[];
  pricing: Pricing;
  seed: number;
  scoreLabelled: boolean;
  source: string;
}): Promise<LearningRun> {
  const { traces, order, tiers, pricing } = options;
  const strongest = tiers[tiers.length - 1]!;
  const judge = options.scoreLabelled ? createRecordedJudge({ traces, judgeModelId: strongest, pricing }) : undefined;
  let pendingAuditUsd = 0;
  let auditEvents = 0;
  const agent = createCascadeAgent({
    models: createReplayModels(traces, tiers, { pacing: false, source: options.source }),
    pricing,
    learning: {
      random: seededRandom(options.seed ^ 0x5eed),
      ...(judge ? { judge } : {}),
      onAudit: (event) => {
        auditEvents++;
        pendingAuditUsd += event.costUsd;
      },
    },
  });

  const records: StreamRecord[] = [];
  const answeredBy: Record<string, number> = {};
  const decisions: Record<string, number> = {};
  let audited = 0;
  let failed = 0;
  const started = performance.now();
  for (const trace of order) {
    const strongQuality = labelOf(trace, strongest)!;
    const strongCostUsd = callCost(trace, strongest, pricing);
    let result: CascadeResult | undefined;
    let costUsd = 0;
    try {
      result = await agent.run(requestOf(trace), { requestId: trace.id });
      costUsd = result.costUsd;
    } catch (error) {
      // Count what a failed request spent; it returns no answer (quality 0).
      failed++;
      const details = (error as { details?: { costUsd?: unknown } }).details;
      costUsd = typeof details?.costUsd === 'number' ? details.costUsd : 0;
    }
    await agent.settled();
    const auditCostUsd = pendingAuditUsd;
    pendingAuditUsd = 0;
    if (result) {
      answeredBy[result.modelId] = (answeredBy[result.modelId] ?? 0) + 1;
      const learning = result.learning;
      if (learning) {
        decisions[learning.decision] = (decisions[learning.decision] ?? 0) + 1;
        if (learning.audited) audited++;
      }
    }
    records.push({
      quality: result ? (labelOf(trace, result.modelId) ?? 0) : 0,
      costUsd: costUsd + auditCostUsd,
      strongQuality,
      strongCostUsd,
      auditCostUsd,
      accepted: result !== undefined && result.modelId !== strongest,
      ...(trace.dataset !== undefined ? { dataset: trace.dataset } : {}),
    });
  }
  await agent.settled();
  const last = records[records.length - 1];
  if (last && pendingAuditUsd > 0) {
    last.costUsd += pendingAuditUsd;
    last.auditCostUsd += pendingAuditUsd;
  }
  const elapsedMs = performance.now() - started;
  return { records, stats: agent.stats(), answeredBy, decisions, audited, auditEvents, judgeCalls: judge?.calls ?? 0, failed, elapsedMs };
}
