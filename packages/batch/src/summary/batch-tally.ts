import type { BatchItemResult, BatchProgress, BatchStopReason, BatchSummary } from '../results/batch-result';

/** Nearest-rank percentile of an ascending array (0 when empty). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

/**
 * Running totals of a batch: counts, cost and latencies, turned into progress and a summary.
 * Keeps one number per item that ran (for percentiles), nothing else.
 */
export class BatchTally {
  ok = 0;
  failed = 0;
  timedOut = 0;
  skipped = 0;
  aborted = 0;
  retries = 0;
  costUsd = 0;
  baselineCostUsd = 0;
  private answeredCostUsd = 0;
  private readonly latencies: number[] = [];

  get completed(): number {
    return this.ok + this.failed + this.timedOut + this.skipped + this.aborted;
  }

  add(result: BatchItemResult): void {
    switch (result.status) {
      case 'ok':
        this.ok++;
        this.baselineCostUsd += result.result.baselineCostUsd;
        this.answeredCostUsd += result.result.costUsd;
        break;
      case 'failed':
        this.failed++;
        break;
      case 'timed-out':
        this.timedOut++;
        break;
      case 'skipped':
        this.skipped++;
        break;
      case 'aborted':
        this.aborted++;
        break;
    }
    this.costUsd += result.costUsd;
    if (result.attempts > 0) {
      this.retries += result.attempts - 1;
      this.latencies.push(result.latencyMs);
    }
  }

  progress(total: number | undefined, inFlight: number, elapsedMs: number): BatchProgress {
    return {
      total, completed: this.completed, inFlight, ok: this.ok, failed: this.failed, timedOut: this.timedOut,
      skipped: this.skipped, aborted: this.aborted, costUsd: this.costUsd, elapsedMs,
    };
  }

  summary(wallMs: number, stoppedBy: BatchStopReason | undefined, unsettledCalls: number): BatchSummary {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const ran = this.completed - this.skipped;
    return {
      total: this.completed, ok: this.ok, failed: this.failed, timedOut: this.timedOut, skipped: this.skipped, aborted: this.aborted,
      retries: this.retries,
      costUsd: this.costUsd,
      baselineCostUsd: this.baselineCostUsd,
      savings: this.baselineCostUsd > 0 ? 1 - this.answeredCostUsd / this.baselineCostUsd : 0,
      wallMs,
      latencyP50Ms: percentile(sorted, 50),
      latencyP95Ms: percentile(sorted, 95),
      itemsPerSecond: wallMs > 0 ? (ran * 1000) / wallMs : 0,
      stoppedBy,
      unsettledCalls,
    };
  }
}
