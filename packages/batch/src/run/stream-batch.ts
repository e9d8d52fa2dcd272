import { setMaxListeners } from 'node:events';
import {
  type CascadeAgent, CascadeError, type CascadeResult, mergePolicies, parseConfig, sleep, toCascadeError,
} from '@cascade/core';
import { BatchBudget } from '../budget/batch-budget';
import { type BatchItem, type NormalizedBatchItem, normalizeBatchItem, rawItemId } from '../items/batch-item';
import { type BatchDeps, type BatchOptions, type ResolvedBatchOptions, batchOptionsSchema } from '../options/batch-options';
import type { BatchItemFailure, BatchItemResult, BatchStopReason, BatchSummary } from '../results/batch-result';
import { isRateLimitWithRetryAfter, retryDelay } from '../retry/retry-delay';
import { BatchTally } from '../summary/batch-tally';
import { linkSignal } from '../util/linked-signal';

/** What a batch reads items from: an array, any iterable, or an async iterable (pulled lazily, one per free slot). */
export type BatchSource = Iterable<BatchItem> | AsyncIterable<BatchItem>;

/** A running batch: an async iterator of results in completion order; its return value is the summary. */
export type BatchStream = AsyncGenerator<BatchItemResult, BatchSummary, undefined>;

interface Running {
  item: NormalizedBatchItem;
  startedAt: number;
  attempts: number;
  estimateUsd: number;
  /** Spent by failed tries: providers bill rejected drafts and cancelled calls (core puts it on the error). */
  spentUsd: number;
}

function spendOf(error: CascadeError): number {
  const cost = error.details?.costUsd;
  return typeof cost === 'number' && Number.isFinite(cost) ? cost : 0;
}

type Pulled = { kind: 'item'; item: NormalizedBatchItem } | { kind: 'invalid'; result: BatchItemFailure } | { kind: 'done' };

/**
 * Runs many requests through the agent's full pipeline (resolve, admit, guards, cascade, settle)
 * with bounded concurrency, and yields each result as it completes. Items are pulled from `items`
 * only when a slot frees, so a long (or lazy) source costs no memory per pending item.
 *
 * Cancellation is real: a per-item timeout, the total timeout, the caller's `abortSignal`, a
 * stop-on-error, or the consumer leaving the loop early aborts the signal passed to `agent.run`,
 * which cancels the model call. Every item yields exactly one result (unstarted ones as `skipped`),
 * unless the consumer stops early. The generator's return value is the {@link BatchSummary}.
 *
 * @param agent - the cascade agent; every item goes through `agent.run(..., { mode: 'batch' })`.
 * @param items - prompts, messages, `ChatRequest`s or `BatchRequest`s (with id, user and policy).
 * @param options - see {@link BatchOptions}; invalid options throw `INVALID_CONFIG` at once.
 * @param deps - clock and random source, for tests.
 *
 * @example
 * for await (const result of streamBatch(agent, prompts, { concurrency: 10, itemTimeoutMs: 30_000 })) {
 *   if (result.status === 'ok') console.log(result.id, result.result.text);
 *   else console.warn(result.id, result.status, result.error.code);
 * }
 */
export function streamBatch(agent: CascadeAgent, items: BatchSource, options: BatchOptions = {}, deps: BatchDeps = {}): BatchStream {
  const config = parseConfig(batchOptionsSchema, options, 'batch options');
  if (typeof (agent as Partial<CascadeAgent> | undefined)?.run !== 'function') {
    throw new CascadeError('INVALID_CONFIG', 'Invalid batch agent: expected a CascadeAgent from createCascadeAgent() (with a run method).');
  }
  if (!isSource(items)) {
    throw new CascadeError('INVALID_INPUT', 'Batch items must be an array, an iterable or an async iterable of prompts or requests.');
  }
  return execute(agent, items, config, deps);
}

async function* execute(agent: CascadeAgent, items: BatchSource, config: ResolvedBatchOptions, deps: BatchDeps): BatchStream {
  const now = deps.now ?? (() => performance.now());
  const random = deps.random ?? Math.random;
  const startedAt = now();
  const total = sizeOf(items);
  const iterator = Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : items[Symbol.iterator]();
  const tally = new BatchTally();
  const budget = new BatchBudget(config.budgetUsd);
  const controller = new AbortController();
  // One listener per running item (plus the engine's own): raise Node's leak-warning threshold to match.
  setMaxListeners(config.concurrency * 2 + 16, controller.signal);
  const signal = controller.signal;

  const running = new Map<number, Running>();
  const queue: BatchItemResult[] = [];
  let wake: (() => void) | undefined;
  let exhausted = false;
  let nextIndex = 0;
  let waiting: { item: NormalizedBatchItem; estimateUsd: number } | undefined;
  let stopReason: BatchStopReason | undefined;
  let stopError: CascadeError | undefined;
  let unsettledCalls = 0;
  let graceTimer: ReturnType<typeof setTimeout> | undefined;
  let totalTimer: ReturnType<typeof setTimeout> | undefined;

  const notify = (): void => {
    const resolve = wake;
    wake = undefined;
    resolve?.();
  };

  const stop = (reason: BatchStopReason, error: CascadeError): void => {
    if (stopReason) return;
    stopReason = reason;
    stopError = error;
    controller.abort(error);
    notify();
  };

  const callerSignal = config.abortSignal;
  const onCallerAbort = (): void => stop('abort', toCascadeError(callerSignal?.reason ?? new DOMException('Aborted', 'AbortError'), 'ABORTED', 'The batch'));
  if (callerSignal) {
    if (callerSignal.aborted) onCallerAbort();
    else callerSignal.addEventListener('abort', onCallerAbort, { once: true });
  }
  if (config.totalTimeoutMs !== undefined) {
    const ms = config.totalTimeoutMs;
    totalTimer = setTimeout(() => {
      stop('timeout', new CascadeError('TIMEOUT', `The batch's total timeout of ${ms} ms fired. Finished results are kept; raise totalTimeoutMs or lower the batch size.`, { retryable: true, details: { totalTimeoutMs: ms } }));
    }, ms);
  }

  const estimateOf = (item: NormalizedBatchItem): number => {
    if (config.budgetUsd === undefined) return 0;
    if (config.estimateCostUsd) return config.estimateCostUsd(item);
    try {
      // The agent's own estimate: it counts each drafter k times under sampled agreement.
      return agent.estimateCostUsd(item.request, mergePolicies(agent.policy, item.policy));
    } catch {
      return 0; // The run itself will fail with the typed reason (model not allowed, over the per-request cap).
    }
  };

  const pull = async (): Promise<Pulled> => {
    const next = await iterator.next();
    if (next.done) {
      exhausted = true;
      return { kind: 'done' };
    }
    const index = nextIndex++;
    try {
      return { kind: 'item', item: normalizeBatchItem(next.value, index) };
    } catch (error) {
      return { kind: 'invalid', result: { index, id: rawItemId(next.value, index), status: 'failed', error: toCascadeError(error, 'INVALID_INPUT'), attempts: 0, costUsd: 0, latencyMs: 0 } };
    }
  };

  const skipped = (item: NormalizedBatchItem, error: CascadeError): BatchItemFailure => ({ index: item.index, id: item.id, status: 'skipped', error, attempts: 0, costUsd: 0, latencyMs: 0 });

  const stoppedResult = (state: Running): BatchItemFailure => ({
    index: state.item.index,
    id: state.item.id,
    status: stopReason === 'timeout' ? 'timed-out' : 'aborted',
    error: stopError!,
    attempts: state.attempts,
    costUsd: state.spentUsd,
    latencyMs: now() - state.startedAt,
  });

  const runItem = async (state: Running): Promise<BatchItemResult> => {
    const { item } = state;
    const timeoutMs = item.timeoutMs ?? config.itemTimeoutMs;
    let retries = 0;
    let rateLimitWaitedMs = 0;
    for (;;) {
      if (signal.aborted) return stoppedResult(state);
      state.attempts++;
      const link = linkSignal(signal, timeoutMs, () =>
        new CascadeError('TIMEOUT', `Batch item "${item.id}" timed out after ${timeoutMs} ms; the call was cancelled.`, { retryable: true, details: { itemId: item.id, timeoutMs } }),
      );
      let error: CascadeError;
      let timedOut: boolean;
      try {
        const result: CascadeResult = await agent.run(item.request, {
          mode: 'batch',
          abortSignal: link.signal,
          ...(item.userId !== undefined ? { userId: item.userId } : {}),
          ...(item.principal ? { principal: item.principal } : {}),
          ...(item.policy ? { policy: item.policy } : {}),
        });
        return { index: item.index, id: item.id, status: 'ok', result, attempts: state.attempts, costUsd: state.spentUsd + result.costUsd, latencyMs: now() - state.startedAt };
      } catch (thrown) {
        error = toCascadeError(thrown);
        state.spentUsd += spendOf(error);
        timedOut = link.timedOut;
      } finally {
        link.dispose();
      }
      if (signal.aborted) return stoppedResult(state);
      let delayMs: number | undefined;
      if (config.waitOnRateLimit && isRateLimitWithRetryAfter(error) && rateLimitWaitedMs + error.retryAfterMs! <= config.maxRateLimitWaitMs) {
        delayMs = Math.ceil(error.retryAfterMs!);
        rateLimitWaitedMs += delayMs;
      } else if (error.retryable && retries < config.retries) {
        delayMs = retryDelay(retries + 1, error, config.backoff, random);
        if (delayMs !== undefined) retries++;
      }
      if (delayMs === undefined) {
        return { index: item.index, id: item.id, status: timedOut ? 'timed-out' : 'failed', error, attempts: state.attempts, costUsd: state.spentUsd, latencyMs: now() - state.startedAt };
      }
      try {
        await sleep(delayMs, signal);
      } catch {
        return stoppedResult(state);
      }
    }
  };

  const start = (item: NormalizedBatchItem, estimateUsd: number): void => {
    const state: Running = { item, startedAt: now(), attempts: 0, estimateUsd, spentUsd: 0 };
    budget.reserve(estimateUsd);
    running.set(item.index, state);
    void runItem(state).then((result) => {
      // Abandoned after the cancel grace period: its slot and result were already given up.
      if (running.get(item.index) !== state) return;
      running.delete(item.index);
      budget.settle(estimateUsd, result.costUsd);
      queue.push(result);
      if (config.onError === 'stop' && (result.status === 'failed' || result.status === 'timed-out')) {
        stop('error', new CascadeError('ABORTED', `The batch stopped after item "${result.id}" ${result.status === 'failed' ? 'failed' : 'timed out'} (onError: 'stop'): ${result.error.message}`, { cause: result.error, details: { itemId: result.id } }));
      }
      notify();
    });
  };

  const fill = async (): Promise<void> => {
    while (!exhausted || waiting) {
      if (stopReason) {
        // Unstarted items still get one result each, lazily, a slot's worth at a time.
        if (queue.length >= config.concurrency) return;
        if (waiting) {
          queue.push(skipped(waiting.item, stopError!));
          waiting = undefined;
          continue;
        }
        const next = await pull();
        if (next.kind === 'item') queue.push(skipped(next.item, stopError!));
        else if (next.kind === 'invalid') queue.push(next.result);
        continue;
      }
      if (running.size >= config.concurrency || queue.length >= config.concurrency) return;
      let candidate = waiting;
      if (!candidate) {
        const next = await pull();
        if (next.kind === 'done') return;
        if (next.kind === 'invalid') {
          queue.push(next.result);
          continue;
        }
        candidate = { item: next.item, estimateUsd: estimateOf(next.item) };
        if (stopReason) {
          waiting = candidate;
          continue;
        }
      }
      if (!budget.fits(candidate.estimateUsd)) {
        // Running items hold conservative reservations: wait for them to settle before giving up.
        waiting = candidate;
        if (!budget.idle) return;
        stop('budget', new CascadeError('BUDGET_EXCEEDED', `The batch budget of $${config.budgetUsd} would be passed: spent $${budget.committedUsd.toFixed(6)}, next item estimated at $${candidate.estimateUsd.toFixed(6)}. Raise budgetUsd or lower maxOutputTokens.`, { details: { budgetUsd: config.budgetUsd, committedUsd: budget.committedUsd, estimateUsd: candidate.estimateUsd } }));
        continue;
      }
      waiting = undefined;
      start(candidate.item, candidate.estimateUsd);
    }
  };

  const abandonAfterGrace = (): void => {
    if (graceTimer || running.size === 0) return;
    graceTimer = setTimeout(() => {
      for (const state of running.values()) {
        unsettledCalls++;
        budget.settle(state.estimateUsd, 0);
        queue.push(stoppedResult(state));
      }
      running.clear();
      notify();
    }, config.cancelGraceMs);
  };

  let finished = false;
  try {
    for (;;) {
      while (queue.length > 0) {
        const result = queue.shift()!;
        tally.add(result);
        config.onResult?.(result);
        config.onProgress?.(tally.progress(total, running.size, now() - startedAt));
        yield result;
      }
      await fill();
      if (queue.length > 0) continue;
      if (running.size === 0 && exhausted && !waiting) break;
      if (stopReason) abandonAfterGrace();
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    finished = true;
    return tally.summary(now() - startedAt, stopReason, unsettledCalls);
  } finally {
    if (!finished) {
      // The consumer left early (break/throw) or a callback threw: cancel what runs and wait for it, bounded.
      stop('abort', new CascadeError('ABORTED', 'The batch was stopped by its consumer before it finished.'));
      if (running.size > 0) {
        abandonAfterGrace();
        while (running.size > 0) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          queue.length = 0;
        }
      }
      if (!exhausted) await Promise.resolve(iterator.return?.()).catch(() => undefined);
    }
    clearTimeout(graceTimer);
    clearTimeout(totalTimer);
    callerSignal?.removeEventListener('abort', onCallerAbort);
  }
}

function isSource(value: unknown): value is BatchSource {
  return typeof value === 'object' && value !== null && (Symbol.iterator in value || Symbol.asyncIterator in value);
}

function sizeOf(items: BatchSource): number | undefined {
  if (Array.isArray(items)) return items.length;
  const size = (items as { size?: unknown }).size;
  return typeof size === 'number' ? size : undefined;
}
