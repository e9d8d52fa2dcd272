/** Threshold-free and thresholded figures of a scored binary task. */
export interface ScoreMetrics {
  positives: number;
  negatives: number;
  /** At the detector's own decision (its default thresholds). */
  recall: number;
  fpr: number;
  precision: number;
  /** Area under the ROC curve of the scores. */
  auc: number;
  /** Best recall at a false-positive rate ≤ 10 % on these negatives: a point on the ROC curve, not a threshold to ship. */
  recallAtFpr10: number;
}

const round = (value: number): number => Math.round(value * 1000) / 1000;

export function scoreMetrics(rows: readonly { score: number; flagged: boolean; label: 0 | 1 }[]): ScoreMetrics {
  const positives = rows.filter((row) => row.label === 1);
  const negatives = rows.filter((row) => row.label === 0);
  const tp = positives.filter((row) => row.flagged).length;
  const fp = negatives.filter((row) => row.flagged).length;
  const sortedNegatives = negatives.map((row) => row.score).sort((a, b) => b - a);
  // Scores strictly above the negative at the 10 % mark keep FPR ≤ 10 %.
  const cut = sortedNegatives[Math.floor(sortedNegatives.length * 0.1)] ?? Number.NEGATIVE_INFINITY;
  const recallAtFpr10 = positives.filter((row) => row.score > cut).length / Math.max(1, positives.length);
  return {
    positives: positives.length,
    negatives: negatives.length,
    recall: round(tp / Math.max(1, positives.length)),
    fpr: round(fp / Math.max(1, negatives.length)),
    precision: round(tp / Math.max(1, tp + fp)),
    auc: round(auc(positives.map((row) => row.score), sortedNegatives)),
    recallAtFpr10: round(recallAtFpr10),
  };
}

function auc(positives: readonly number[], negatives: readonly number[]): number {
  if (positives.length === 0 || negatives.length === 0) return Number.NaN;
  const all = [...positives.map((score) => [score, 1] as const), ...negatives.map((score) => [score, 0] as const)].sort((a, b) => a[0] - b[0]);
  let rankSum = 0;
  for (let index = 0; index < all.length; ) {
    let end = index;
    while (end < all.length && all[end]![0] === all[index]![0]) end++;
    const rank = (index + end + 1) / 2;
    for (let tie = index; tie < end; tie++) if (all[tie]![1] === 1) rankSum += rank;
    index = end;
  }
  return (rankSum - (positives.length * (positives.length + 1)) / 2) / (positives.length * negatives.length);
}
