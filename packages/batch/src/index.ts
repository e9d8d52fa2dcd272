// Running many requests through the cascade.
export { runBatch } from './run/run-batch';
export { streamBatch, type BatchSource, type BatchStream } from './run/stream-batch';
// Items, options, results.
export { normalizeBatchItem, type BatchItem, type BatchRequest, type NormalizedBatchItem } from './items/batch-item';
export { batchOptionsSchema, batchBackoffSchema, type BatchOptions, type BatchBackoff, type ResolvedBatchOptions, type BatchDeps } from './options/batch-options';
export type {
  BatchItemStatus, BatchItemResult, BatchItemSuccess, BatchItemFailure, BatchProgress, BatchSummary, BatchStopReason, BatchReport,
} from './results/batch-result';
// Building blocks.
export { retryDelay, type RetryDelaySettings } from './retry/retry-delay';
export { percentile } from './summary/batch-tally';
