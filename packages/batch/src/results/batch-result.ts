import type { CascadeError, CascadeResult } from '@cascade/core';

/**
 * How an item ended.
 * - `ok`: answered; `result` holds the cascade result.
 * - `failed`: errored (after its retries, or at once for a non-retryable error).
 * - `timed-out`: its own time limit fired on the last attempt, or the batch's total timeout cancelled it while running.
 * - `skipped`: never started: over budget, after a stop-on-error, after the total timeout or an abort.
 * - `aborted`: running when the caller aborted the batch (or a `streamBatch` consumer stopped early); the call was cancelled.
 */
export type BatchItemStatus = 'ok' | 'failed' | 'timed-out' | 'skipped' | 'aborted';

interface BatchItemResultBase {
  /** Position in the input. */
  index: number;
  /** The item's id (its index as a string when it had none). */
  id: string;
  /** Runs through the cascade (1 + retries); 0 when skipped. Rate-limit waits do not count. */
  attempts: number;
  /** USD spent on the item (its answered run; failed runs report no usage). */
  costUsd: number;
  /** From the item's first start to its end, retries and waits included; 0 when skipped. */
  latencyMs: number;
}

/** An answered item. */
export interface BatchItemSuccess extends BatchItemResultBase {
  status: 'ok';
  result: CascadeResult;
  error?: undefined;
}

/** An item that did not answer, with the typed reason. */
export interface BatchItemFailure extends BatchItemResultBase {
  status: Exclude<BatchItemStatus, 'ok'>;
  error: CascadeError;
  result?: undefined;
}

/** The outcome of one item. */
export type BatchItemResult = BatchItemSuccess | BatchItemFailure;

/** Running counts, given to `onProgress` after every result. */
export interface BatchProgress {
  /** Items in the batch, when known up front (arrays and sized collections). */
  total: number | undefined;
  /** Items finished (any status). */
  completed: number;
  /** Items running now. */
  inFlight: number;
  ok: number;
  failed: number;
  timedOut: number;
  skipped: number;
  aborted: number;
  /** USD spent so far. */
  costUsd: number;
  elapsedMs: number;
}

/** Why a batch stopped before running every item. */
export type BatchStopReason = 'budget' | 'error' | 'abort' | 'timeout';

/** Totals of a batch. */
export interface BatchSummary {
  total: number;
  ok: number;
  failed: number;
  timedOut: number;
  skipped: number;
  aborted: number;
  /** Retries made (attempts beyond the first), all items. */
  retries: number;
  /** USD spent. */
  costUsd: number;
  /** What answering every answered item with its strongest allowed tier alone would have cost. */
  baselineCostUsd: number;
  /** `1 - costUsd / baselineCostUsd` over answered items (0 when none). */
  savings: number;
  wallMs: number;
  /** Median latency of items that ran. */
  latencyP50Ms: number;
  /** 95th percentile latency of items that ran. */
  latencyP95Ms: number;
  /** Items finished (not skipped) per second of wall time. */
  itemsPerSecond: number;
  /** Set when the batch stopped early. */
  stoppedBy: BatchStopReason | undefined;
  /** Calls that had not settled `cancelGraceMs` after the batch was cancelled (their slots were abandoned). */
  unsettledCalls: number;
}

/** What `runBatch` returns: one result per item, in input order, and the totals. */
export interface BatchReport {
  results: BatchItemResult[];
  summary: BatchSummary;
}
