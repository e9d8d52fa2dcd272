/** One query of a trace file, reduced to what the cascade metrics need. */
export interface ScoredRow {
  /** Label of the cheap and the strong answer: 0/1 (`correct`) or 0..1 (`score`). */
  cheapQuality: number;
  strongQuality: number;
  /** USD of one call to each model. */
  cheapCostUsd: number;
  strongCostUsd: number;
  /** The validator's score of the cheap draft (independent of the threshold). */
  score: number;
  /** Lowest quality target at which complexity routing sends the query straight to the strong tier (Infinity: never). */
  routeFrom: number;
}

/** Quality and total cost of a policy over the dataset. */
export interface PolicyFigures {
  quality: number;
  costUsd: number;
}

/** A cascade at one threshold. */
export interface CascadePoint extends PolicyFigures {
  threshold: number;
  acceptRate: number;
  savings: number;
  qualityShare: number;
}

/** Replays the cascade decision at `threshold` over scored rows: route, accept or escalate (paying both calls). */
export function cascadeAt(rows: readonly ScoredRow[], threshold: number, strong: PolicyFigures): CascadePoint {
  let quality = 0;
  let cost = 0;
  let accepted = 0;
  for (const row of rows) {
    if (threshold >= row.routeFrom) {
      quality += row.strongQuality;
      cost += row.strongCostUsd;
    } else if (row.score >= threshold) {
      accepted++;
      quality += row.cheapQuality;
      cost += row.cheapCostUsd;
    } else {
      quality += row.strongQuality;
      cost += row.cheapCostUsd + row.strongCostUsd;
    }
  }
  const n = Math.max(1, rows.length);
  return {
    threshold,
    quality: quality / n,
    costUsd: cost,
    acceptRate: accepted / n,
    savings: 1 - cost / strong.costUsd,
    qualityShare: quality / n / strong.quality,
  };
}

/** Thresholds of the sweep: 0.05 to 0.95 in steps of 0.05, 0.01 from 0.6 to 0.9 where decisions crowd, plus `extra` (the shipped default). */
export function sweepThresholds(extra: readonly number[]): number[] {
  const thresholds = new Set<number>(extra);
  for (let step = 1; step <= 19; step++) thresholds.add(Math.round(step * 5) / 100);
  for (let step = 60; step <= 90; step++) thresholds.add(step / 100);
  return [...thresholds].sort((left, right) => left - right);
}

/** The largest savings on the curve that keeps at least 95% of the strong model's quality (null if none). */
export function savingsAt95(curve: readonly CascadePoint[]): number | null {
  let best: number | null = null;
  for (const point of curve) if (point.qualityShare >= 0.95 && (best === null || point.savings > best)) best = point.savings;
  return best;
}
