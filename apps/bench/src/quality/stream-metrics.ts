import type { PolicyFigures } from './metrics';

/** The seeded source of the shuffle and the learner's sampling (re-exported for the bench's callers). */
export { seededRandom } from '@cascade/core';

/** One request of the learning run, in the order the agent saw it. */
export interface StreamRecord {
  /** Label of the answer the agent returned (0/1 `correct` or 0..1 `score`). */
  quality: number;
  /** What the request cost: its model calls plus the audits and judge calls it triggered. */
  costUsd: number;
  /** Label and cost of the strongest tier's answer to the same query (the baseline). */
  strongQuality: number;
  strongCostUsd: number;
  /** Audit and judge spend included in `costUsd`. */
  auditCostUsd: number;
  /** The answer came from a drafter (any tier but the strongest). */
  accepted: boolean;
  /** The set the query came from (a file may mix several), for the per-set breakdown. */
  dataset?: string;
}

/** Quality, cost, savings and share of the strongest tier's quality over some records. */
export interface StreamFigures extends PolicyFigures {
  n: number;
  savings: number;
  qualityShare: number;
  acceptRate: number;
  auditCostUsd: number;
}

/** Sums records into figures; an empty slice gives zeros (share and savings 0), never NaN. */
export function summarizeStream(records: readonly StreamRecord[]): StreamFigures {
  let quality = 0;
  let cost = 0;
  let strongQuality = 0;
  let strongCost = 0;
  let audit = 0;
  let accepted = 0;
  for (const record of records) {
    quality += record.quality;
    cost += record.costUsd;
    strongQuality += record.strongQuality;
    strongCost += record.strongCostUsd;
    audit += record.auditCostUsd;
    if (record.accepted) accepted++;
  }
  const n = records.length;
  return {
    n,
    quality: n === 0 ? 0 : quality / n,
    costUsd: cost,
    savings: strongCost > 0 ? 1 - cost / strongCost : 0,
    qualityShare: strongQuality > 0 ? quality / strongQuality : 0,
    acceptRate: n === 0 ? 0 : accepted / n,
    auditCostUsd: audit,
  };
}

/** Figures per `dataset` of the records (records without one under `unknown`), in order of first appearance. */
export function byDataset(records: readonly StreamRecord[]): Record<string, StreamFigures> {
  const groups = new Map<string, StreamRecord[]>();
  for (const record of records) {
    const name = record.dataset ?? 'unknown';
    let group = groups.get(name);
    if (!group) groups.set(name, (group = []));
    group.push(record);
  }
  return Object.fromEntries([...groups].map(([name, group]) => [name, summarizeStream(group)]));
}

/** The figures of the last half of the stream (the later `ceil(n / 2)` records): what the agent does once it has learned. */
export function secondHalf(records: readonly StreamRecord[]): StreamFigures {
  return summarizeStream(records.slice(Math.floor(records.length / 2)));
}

/**
 * The signal-free baseline at the cascade's quality: answer a random share α with the cheapest model
 * alone and the rest with the strongest, α solved in closed form so that its expected quality equals
 * `quality`: α = (q_strong − quality) / (q_strong − q_cheap), clipped to [0, 1] (α = 1 when the cheap
 * model is at least as good as the strong one). Cost = α·cheap.cost + (1 − α)·strong.cost.
 */
export function randomRouter(cheap: PolicyFigures, strong: PolicyFigures, quality: number): PolicyFigures & { cheapShare: number } {
  const gap = strong.quality - cheap.quality;
  const raw = gap > 0 ? (strong.quality - quality) / gap : 1;
  const cheapShare = Math.min(1, Math.max(0, raw));
  return {
    cheapShare,
    quality: cheapShare * cheap.quality + (1 - cheapShare) * strong.quality,
    costUsd: cheapShare * cheap.costUsd + (1 - cheapShare) * strong.costUsd,
  };
}

/** Pass/fail of the conditions; `null` where a condition does not apply to this run. */
export interface QualityChecks {
  /** qualityShare ≥ 0.95. */
  share: boolean;
  /** n ≥ 500: cascade cost ≤ 1.02 × randomRouter cost + 0.05 × strong cost. */
  costVsRandomRouter: boolean | null;
  /** The agent's own estimate is not optimistic: estimatedShare ≤ qualityShare + 0.02 (null: no estimate). */
  honestEstimate: boolean | null;
  /** GSM8K only (the report keys on the set, the learner never does): savings ≥ 0.45, audits included. */
  gsm8kSavings: boolean | null;
  /** Every applicable check passed. */
  pass: boolean;
}

/** Evaluates the conditions on a run's figures. */
export function qualityChecks(input: {
  n: number;
  dataset: string;
  cascade: { qualityShare: number; costUsd: number; savings: number; estimatedShare: number | undefined };
  randomRouter: PolicyFigures;
  strong: PolicyFigures;
}): QualityChecks {
  const { n, cascade } = input;
  const checks = {
    share: cascade.qualityShare >= 0.95,
    costVsRandomRouter: n >= 500 ? cascade.costUsd <= 1.02 * input.randomRouter.costUsd + 0.05 * input.strong.costUsd : null,
    honestEstimate: cascade.estimatedShare === undefined ? null : cascade.estimatedShare <= cascade.qualityShare + 0.02,
    gsm8kSavings: /gsm8k/i.test(input.dataset) ? cascade.savings >= 0.45 : null,
  };
  return { ...checks, pass: Object.values(checks).every((value) => value !== false) };
}


/** A Fisher–Yates shuffled copy, driven by `random`. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other]!, copy[index]!];
  }
  return copy;
}
