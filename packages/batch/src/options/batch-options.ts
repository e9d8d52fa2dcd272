import { abortSignalSchema, delayMsSchema, timeoutMsSchema } from '@cascade/core';
import { z } from 'zod';
import type { BatchItemResult, BatchProgress } from '../results/batch-result';
import type { NormalizedBatchItem } from '../items/batch-item';

const isFunction = (value: unknown): boolean => typeof value === 'function';

/** Exponential backoff with full jitter between retries of one item. */
export const batchBackoffSchema = z.strictObject({
  /** Upper bound of the first retry's delay in ms (full jitter: the delay is uniform in [0, bound]). @default 500 */
  initialDelayMs: delayMsSchema.default(500),
  /** The bound doubles (times `multiplier`) per retry. @default 2 */
  multiplier: z.number().min(1).max(10).default(2),
  /** The bound never exceeds this. @default 30000 */
  maxDelayMs: delayMsSchema.default(30_000),
  /** A Retry-After longer than this is not waited for: the item fails with the rate-limit error. @default 60000 */
  maxRetryAfterMs: delayMsSchema.default(60_000),
});
export type BatchBackoff = z.input<typeof batchBackoffSchema>;

/**
 * Options of `runBatch` and `streamBatch`. Parsed once with zod; a bad or unknown field throws `INVALID_CONFIG`
 * naming it. Timeouts and delays are at most 2³¹−1 ms (Node's longest timer; longer ones would fire at once).
 */
export const batchOptionsSchema = z.strictObject({
  /** Items running at once (each holds its slot through its retries and waits). @default 8 */
  concurrency: z.number().int().positive().max(100_000).default(8),
  /** Time limit of one run of an item through the cascade, all tiers, in ms. Each retry gets a fresh limit. A timeout cancels the call. */
  itemTimeoutMs: timeoutMsSchema.optional(),
  /** Time limit of the whole batch in ms. When it fires, running items are cancelled (`timed-out`), unstarted ones are `skipped`, finished results are kept. */
  totalTimeoutMs: timeoutMsSchema.optional(),
  /** Retries per item for retryable errors (HTTP 408/409/429/5xx, timeouts). Aborts are never retried. @default 2 */
  retries: z.number().int().nonnegative().max(20).default(2),
  /** Backoff between retries. */
  backoff: batchBackoffSchema.prefault({}),
  /**
   * Wait out `RATE_LIMITED` denials (and provider 429s) that carry a retry-after, without spending a retry,
   * up to `maxRateLimitWaitMs` in total per item. Off: a rate limit is an ordinary retryable error. @default false
   */
  waitOnRateLimit: z.boolean().default(false),
  /** Total time one item may spend waiting on rate limits when `waitOnRateLimit` is on. @default 60000 */
  maxRateLimitWaitMs: delayMsSchema.default(60_000),
  /** Spend cap for the batch in USD: no item starts when committed + reserved + its estimate would pass it. */
  budgetUsd: z.number().positive().optional(),
  /**
   * Pre-flight cost estimate of one item, for the budget. @default the agent's conservative estimate:
   * prompt tokens + max output tokens priced at every tier the item's policy allows.
   */
  estimateCostUsd: z.custom<(item: NormalizedBatchItem) => number>(isFunction, { message: 'estimateCostUsd must be a function (item) => number' }).optional(),
  /** `continue`: a failed item is recorded and the batch goes on. `stop`: the first failure cancels the rest. @default 'continue' */
  onError: z.enum(['continue', 'stop']).default('continue'),
  /** How long to wait for cancelled calls to settle when the batch stops before returning without them. @default 5000 */
  cancelGraceMs: delayMsSchema.default(5_000),
  /** Cancels the batch: running items end `aborted`, unstarted ones `skipped`. */
  abortSignal: abortSignalSchema.optional(),
  /** Called with every result as it completes. */
  onResult: z.custom<(result: BatchItemResult) => void>(isFunction, { message: 'onResult must be a function' }).optional(),
  /** Called after every result with running counts (for progress bars). */
  onProgress: z.custom<(progress: BatchProgress) => void>(isFunction, { message: 'onProgress must be a function' }).optional(),
});

/** What callers pass to `runBatch` / `streamBatch`. */
export type BatchOptions = z.input<typeof batchOptionsSchema>;
/** Options after defaults. */
export type ResolvedBatchOptions = z.output<typeof batchOptionsSchema>;

/** Injected dependencies (not config), for tests: clock and random source for jitter. */
export interface BatchDeps {
  /** Milliseconds clock. @default performance.now */
  now?: () => number;
  /** Uniform random in [0, 1). @default Math.random */
  random?: () => number;
}
