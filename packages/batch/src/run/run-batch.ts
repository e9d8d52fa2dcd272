import type { CascadeAgent } from '@cascade/core';
import type { BatchDeps, BatchOptions } from '../options/batch-options';
import type { BatchItemResult, BatchReport } from '../results/batch-result';
import { type BatchSource, streamBatch } from './stream-batch';

/**
 * Runs many requests through the agent's full pipeline with bounded concurrency, per-item and
 * total timeouts that cancel the calls, retries with backoff, a USD budget and progress callbacks.
 * Returns one result per item in input order, and a summary. Per-item failures never reject:
 * `runBatch` rejects only for invalid options (`INVALID_CONFIG`) or an error thrown by your source or callbacks.
 *
 * @param agent - the cascade agent; every item goes through `agent.run(..., { mode: 'batch' })`.
 * @param items - prompts, messages, `ChatRequest`s or `BatchRequest`s (with id, user and policy), from an array or any (async) iterable.
 * @param options - see {@link BatchOptions}.
 * @param deps - clock and random source, for tests.
 *
 * @example
 * const { results, summary } = await runBatch(agent, ['Translate: hello', { id: 'q2', input: 'Sum 2+2', userId: 'u_1' }], {
 *   concurrency: 10, itemTimeoutMs: 30_000, retries: 2, budgetUsd: 5,
 * });
 * console.log(summary.ok, summary.costUsd, summary.latencyP95Ms);
 */
export async function runBatch(agent: CascadeAgent, items: BatchSource, options: BatchOptions = {}, deps: BatchDeps = {}): Promise<BatchReport> {
  const stream = streamBatch(agent, items, options, deps);
  const results: BatchItemResult[] = Array.isArray(items) ? new Array<BatchItemResult>(items.length) : [];
  for (;;) {
    const next = await stream.next();
    if (next.done) return { results, summary: next.value };
    results[next.value.index] = next.value;
  }
}
