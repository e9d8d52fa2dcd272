import { CascadeError, type CascadeMiddleware, type CascadeResult } from '@cascade/core';
import { mockProviderError } from '@cascade/core/test';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cheapModel, oneTierAgent, prompts, usage } from '../__fixtures__/test-agent';
import type { BatchItem } from '../items/batch-item';
import type { BatchItemResult, BatchProgress } from '../results/batch-result';
import { runBatch } from './run-batch';
import { streamBatch } from './stream-batch';

const deps = { now: () => Date.now(), random: () => 0.5 };

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  // No timer survives a batch: every sleep, timeout and grace timer was cleared.
  expect(vi.getTimerCount()).toBe(0);
  vi.useRealTimers();
});

/** Runs a batch to the end under fake timers. */
async function settle<T>(promise: Promise<T>): Promise<T> {
  await vi.runAllTimersAsync();
  return promise;
}

describe('runBatch', () => {
  it('returns one result per item in input order, whatever the completion order', async () => {
    // Later items answer sooner: completion order is the reverse of input order.
    const model = cheapModel(0, (prompt) => ({ text: `answer: ${prompt}`, usage, latencyMs: 100 - Number(prompt.slice(1)) * 10 }));
    const items: BatchItem[] = [...prompts(8), { id: 'custom', input: 'q8' }, { messages: [{ role: 'user', content: 'q9' }] }];
    const completion: string[] = [];
    const report = await settle(runBatch(oneTierAgent(model), items, { concurrency: 10, onResult: (result) => completion.push(result.id) }, deps));
    expect(report.results.map((result) => result.id)).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', 'custom', '9']);
    expect(report.results.map((result) => result.result?.text)).toEqual(prompts(10).map((prompt) => `answer: ${prompt}`));
    expect(completion[0]).toBe('9');
    expect(report.summary).toMatchObject({ total: 10, ok: 10, failed: 0, retries: 0, stoppedBy: undefined });
    expect(report.summary.costUsd).toBeCloseTo(10 * 0.15);
    expect(report.results[0]).toMatchObject({ status: 'ok', attempts: 1 });
    expect(report.results[0]!.costUsd).toBeCloseTo(0.15);
  });

  it('never runs more calls at once than the concurrency', async () => {
    const model = cheapModel(0, (prompt) => ({ text: 'ok', usage, latencyMs: 5 + (Number(prompt.slice(1)) % 7) * 3 }));
    let maxReported = 0;
    const report = await settle(
      runBatch(oneTierAgent(model), prompts(200), { concurrency: 7, onProgress: (progress) => (maxReported = Math.max(maxReported, progress.inFlight)) }, deps),
    );
    expect(report.summary.ok).toBe(200);
    expect(model.calls).toHaveLength(200);
    expect(model.maxInFlight).toBe(7);
    expect(maxReported).toBeLessThanOrEqual(7);
  });

  it('pulls items lazily: at most `concurrency` items are taken from the source ahead of the results', async () => {
    const model = cheapModel(10);
    let pulled = 0;
    let completed = 0;
    let maxAhead = 0;
    function* source(): Generator<string> {
      for (let index = 0; index < 100; index++) {
        pulled++;
        maxAhead = Math.max(maxAhead, pulled - completed);
        yield `q${index}`;
      }
    }
    const report = await settle(runBatch(oneTierAgent(model), source(), { concurrency: 4, onResult: () => completed++ }, deps));
    expect(report.results).toHaveLength(100);
    expect(maxAhead).toBeLessThanOrEqual(5);
  });

  it('reads an async iterable source, keeping input order', async () => {
    async function* source(): AsyncGenerator<BatchItem> {
      for (let index = 0; index < 6; index++) yield { id: `id-${index}`, input: `q${index}`, userId: `user-${index % 2}` };
    }
    const model = cheapModel(0, (prompt) => ({ text: prompt, usage, latencyMs: 60 - Number(prompt.slice(1)) * 10 }));
    const report = await settle(runBatch(oneTierAgent(model), source(), { concurrency: 3 }, deps));
    expect(report.results.map((result) => [result.id, result.result?.text])).toEqual(prompts(6).map((prompt, index) => [`id-${index}`, prompt]));
  });

  it('cancels the call when an item times out, and keeps the other items', async () => {
    const model = cheapModel(0, (prompt) => ({ text: 'ok', usage, latencyMs: prompt === 'q1' ? 10_000 : 50 }));
    const report = await settle(runBatch(oneTierAgent(model), prompts(3), { concurrency: 3, itemTimeoutMs: 1_000, retries: 0 }, deps));
    expect(report.results.map((result) => result.status)).toEqual(['ok', 'timed-out', 'ok']);
    expect(report.results[1]!.error?.code).toBe('TIMEOUT');
    const slow = model.calls.find((call) => call.request.messages[0]!.content === 'q1')!;
    expect(slow.aborted).toBe(true);
    expect(slow.settled).toBe(true);
    expect(model.inFlight).toBe(0);
    expect(report.summary.timedOut).toBe(1);
  });

  it('retries a timed-out item with a fresh time limit', async () => {
    const model = cheapModel(0, (_prompt, call) => ({ text: 'ok', usage, latencyMs: call === 0 ? 5_000 : 10 }));
    const report = await settle(runBatch(oneTierAgent(model), ['slow once'], { itemTimeoutMs: 1_000, retries: 1 }, deps));
    expect(report.results[0]).toMatchObject({ status: 'ok', attempts: 2 });
    expect(model.calls[0]!.aborted).toBe(true);
  });

  it('retries retryable errors with exponential backoff and full jitter', async () => {
    const model = cheapModel(0, (_prompt, call) => (call < 2 ? { error: mockProviderError(503) } : { text: 'ok', usage }));
    const promise = runBatch(oneTierAgent(model), ['flaky'], { retries: 3, backoff: { initialDelayMs: 1_000, multiplier: 2 } }, deps);
    await vi.advanceTimersByTimeAsync(0);
    expect(model.calls).toHaveLength(1);
    // random 0.5 → first wait 0.5 × 1000 = 500 ms.
    await vi.advanceTimersByTimeAsync(499);
    expect(model.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(model.calls).toHaveLength(2);
    // Second wait: 0.5 × 2000 = 1000 ms.
    await vi.advanceTimersByTimeAsync(999);
    expect(model.calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    const report = await promise;
    expect(model.calls).toHaveLength(3);
    expect(report.results[0]).toMatchObject({ status: 'ok', attempts: 3 });
    expect(report.summary.retries).toBe(2);
  });

  it('gives up after the configured retries with the typed error', async () => {
    const model = cheapModel(0, () => ({ error: mockProviderError(500, 'upstream exploded') }));
    const report = await settle(runBatch(oneTierAgent(model), ['always fails', 'q1'], { retries: 2 }, deps));
    expect(report.results[0]).toMatchObject({ status: 'failed', attempts: 3 });
    expect(report.results[0]!.error?.code).toBe('ALL_MODELS_FAILED');
    expect(model.calls).toHaveLength(6);
  });

  it('counts what failed tries spent: a draft blocked by an output guard was still billed', async () => {
    const model = cheapModel(0);
    const guard: CascadeMiddleware = { name: 'guard', guardOutput: (_context, text) => (text.includes('blocked') ? { action: 'block', reason: 'unsafe', findings: [] } : { action: 'allow' }) };
    const report = await settle(runBatch(oneTierAgent(model, [guard]), ['blocked one', 'fine'], {}, deps));
    expect(report.results[0]).toMatchObject({ status: 'failed' });
    expect(report.results[0]!.costUsd).toBeCloseTo(0.15);
    expect(report.summary.costUsd).toBeCloseTo(0.3);
  });

  it('does not retry a non-retryable error, and one failure never sinks the batch', async () => {
    const model = cheapModel(0, (prompt) => (prompt === 'q2' ? { error: mockProviderError(400, 'bad request') } : undefined));
    const report = await settle(runBatch(oneTierAgent(model), prompts(5), { retries: 3 }, deps));
    expect(report.results.map((result) => result.status)).toEqual(['ok', 'ok', 'failed', 'ok', 'ok']);
    expect(report.results[2]!.attempts).toBe(1);
    expect(report.summary).toMatchObject({ ok: 4, failed: 1 });
  });

  it('waits at least the Retry-After before retrying', async () => {
    const rateLimited = new CascadeError('MODEL_CALL_FAILED', 'HTTP 429', { statusCode: 429, retryable: true, retryAfterMs: 3_000 });
    const model = cheapModel(0, (_prompt, call) => (call === 0 ? { error: rateLimited } : { text: 'ok', usage }));
    const promise = runBatch(oneTierAgent(model), ['x'], { retries: 1, backoff: { initialDelayMs: 100 } }, deps);
    await vi.advanceTimersByTimeAsync(2_999);
    expect(model.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(model.calls).toHaveLength(2);
    expect((await promise).results[0]).toMatchObject({ status: 'ok', attempts: 2 });
  });

  it('fails at once when the Retry-After is over the bound', async () => {
    const rateLimited = new CascadeError('MODEL_CALL_FAILED', 'HTTP 429', { statusCode: 429, retryable: true, retryAfterMs: 3_600_000 });
    const model = cheapModel(0, () => ({ error: rateLimited }));
    const report = await settle(runBatch(oneTierAgent(model), ['x'], { retries: 5, backoff: { maxRetryAfterMs: 60_000 } }, deps));
    expect(report.results[0]).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('waits out rate-limit denials without spending retries when waitOnRateLimit is on', async () => {
    const limiter = (denials: number): CascadeMiddleware => {
      let seen = 0;
      return { name: 'limiter', admit: () => (seen++ < denials ? { allowed: false, code: 'RATE_LIMITED', reason: 'too fast', retryAfterMs: 1_000 } : { allowed: true }) };
    };
    const waiting = await settle(runBatch(oneTierAgent(cheapModel(0), [limiter(3)]), ['x'], { retries: 0, waitOnRateLimit: true }, deps));
    expect(waiting.results[0]).toMatchObject({ status: 'ok', attempts: 4 });
    const failing = await settle(runBatch(oneTierAgent(cheapModel(0), [limiter(3)]), ['x'], { retries: 0 }, deps));
    expect(failing.results[0]).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failing.results[0]!.error?.code).toBe('RATE_LIMITED');
    // Bounded: 3 waits of 1 s do not fit in 2.5 s.
    const bounded = await settle(runBatch(oneTierAgent(cheapModel(0), [limiter(3)]), ['x'], { retries: 0, waitOnRateLimit: true, maxRateLimitWaitMs: 2_500 }, deps));
    expect(bounded.results[0]).toMatchObject({ status: 'failed', attempts: 3 });
  });

  it('stops issuing items once committed + reserved cost would pass the budget', async () => {
    const model = cheapModel(10);
    // Each item costs $0.15 and is estimated at $0.20.
    const report = await settle(runBatch(oneTierAgent(model), prompts(10), { concurrency: 2, budgetUsd: 0.9, estimateCostUsd: () => 0.2 }, deps));
    expect(report.results.map((result) => result.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'skipped', 'skipped', 'skipped', 'skipped', 'skipped']);
    expect(report.results[5]!.error?.code).toBe('BUDGET_EXCEEDED');
    expect(model.calls).toHaveLength(5);
    expect(report.summary.costUsd).toBeCloseTo(0.75);
    expect(report.summary.costUsd).toBeLessThanOrEqual(0.9);
    expect(report.summary.stoppedBy).toBe('budget');
  });

  it('estimates with the agent pricing by default: nothing starts when one item alone is over budget', async () => {
    const model = cheapModel(10);
    const report = await settle(runBatch(oneTierAgent(model), [{ input: { messages: [{ role: 'user', content: 'hi' }], maxOutputTokens: 1_000 } }], { budgetUsd: 0.5 }, deps));
    // Estimate: ≥ 1000 output tokens at $1000/MTok = $1 > $0.50.
    expect(report.results[0]).toMatchObject({ status: 'skipped', attempts: 0 });
    expect(model.calls).toHaveLength(0);
  });

  it('aborts mid-batch: running calls are cancelled, the rest skipped, finished results kept', async () => {
    const model = cheapModel(100);
    const controller = new AbortController();
    const promise = runBatch(oneTierAgent(model), prompts(6), { concurrency: 2, abortSignal: controller.signal }, deps);
    await vi.advanceTimersByTimeAsync(150);
    controller.abort();
    const report = await settle(promise);
    expect(report.results.map((result) => result.status)).toEqual(['ok', 'ok', 'aborted', 'aborted', 'skipped', 'skipped']);
    expect(report.results[2]!.error?.code).toBe('ABORTED');
    expect(report.results[4]!.error?.code).toBe('ABORTED');
    expect(model.calls).toHaveLength(4);
    expect(model.calls.slice(2).every((call) => call.aborted && call.settled)).toBe(true);
    expect(report.summary.stoppedBy).toBe('abort');
  });

  it('returns the finished results when the total timeout fires', async () => {
    const model = cheapModel(100);
    const report = await settle(runBatch(oneTierAgent(model), prompts(10), { concurrency: 2, totalTimeoutMs: 250 }, deps));
    expect(report.results.map((result) => result.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'timed-out', 'timed-out', 'skipped', 'skipped', 'skipped', 'skipped']);
    expect(report.results[4]!.error?.code).toBe('TIMEOUT');
    expect(model.calls.slice(4).every((call) => call.aborted)).toBe(true);
    expect(report.summary).toMatchObject({ ok: 4, timedOut: 2, skipped: 4, stoppedBy: 'timeout' });
  });

  it('stops on the first failure with onError "stop"', async () => {
    const model = cheapModel(0, (prompt) => (prompt === 'q1' ? { error: mockProviderError(400), latencyMs: 10 } : { text: 'ok', usage, latencyMs: 100 }));
    const report = await settle(runBatch(oneTierAgent(model), prompts(5), { concurrency: 2, onError: 'stop' }, deps));
    expect(report.results.map((result) => result.status)).toEqual(['aborted', 'failed', 'skipped', 'skipped', 'skipped']);
    expect(report.results[3]!.error?.cause).toBe(report.results[1]!.error);
    expect(report.summary.stoppedBy).toBe('error');
  });

  it('records invalid items as failed INVALID_INPUT and runs the rest', async () => {
    const report = await settle(runBatch(oneTierAgent(cheapModel(0)), ['ok', '', { id: 'bad', input: { messages: [] } }], {}, deps));
    expect(report.results.map((result) => [result.id, result.status, result.error?.code])).toEqual([
      ['0', 'ok', undefined], ['1', 'failed', 'INVALID_INPUT'], ['bad', 'failed', 'INVALID_INPUT'],
    ]);
  });

  it('rejects invalid options with INVALID_CONFIG naming the field', async () => {
    const error = await runBatch(oneTierAgent(cheapModel(0)), ['x'], { concurrency: 0 }).catch((thrown: unknown) => thrown);
    expect(CascadeError.isInstance(error) && error.code).toBe('INVALID_CONFIG');
    expect((error as Error).message).toContain('concurrency');
  });

  it('reports progress after every result and a summary', async () => {
    const progress: BatchProgress[] = [];
    const report = await settle(runBatch(oneTierAgent(cheapModel(10)), prompts(5), { concurrency: 2, onProgress: (p) => progress.push(p) }, deps));
    expect(progress.map((p) => p.completed)).toEqual([1, 2, 3, 4, 5]);
    expect(progress.at(-1)).toMatchObject({ total: 5, ok: 5, inFlight: 0 });
    expect(report.summary.wallMs).toBe(30);
    expect(report.summary.latencyP50Ms).toBe(10);
    expect(report.summary.latencyP95Ms).toBe(10);
    expect(report.summary.itemsPerSecond).toBeCloseTo(5 / 0.03);
  });

  it('returns after the grace period when a call ignores cancellation', async () => {
    // A run that ignores its abort signal and never settles.
    const stuck = (): Promise<CascadeResult> => new Promise(() => undefined);
    const agent = oneTierAgent(cheapModel(0));
    const report = await settle(runBatch({ ...agent, run: (input, options) => (typeof input === 'object' && 'messages' in input && input.messages[0]!.content === 'stuck' ? stuck() : agent.run(input, options)) }, ['stuck', 'fine'], { totalTimeoutMs: 1_000, cancelGraceMs: 500 }, deps));
    expect(report.results.map((result) => result.status)).toEqual(['timed-out', 'ok']);
    expect(report.summary.unsettledCalls).toBe(1);
  });
});

describe('streamBatch', () => {
  it('yields results as they complete and returns the summary', async () => {
    const model = cheapModel(0, (prompt) => ({ text: prompt, usage, latencyMs: prompt === 'q0' ? 100 : 10 }));
    const stream = streamBatch(oneTierAgent(model), prompts(3), { concurrency: 3 }, deps);
    const seen: BatchItemResult[] = [];
    const done = (async () => {
      for (;;) {
        const next = await stream.next();
        if (next.done) return next.value;
        seen.push(next.value);
      }
    })();
    await vi.runAllTimersAsync();
    const summary = await done;
    expect(seen.map((result) => result.id)).toEqual(['1', '2', '0']);
    expect(summary.ok).toBe(3);
  });

  it('cancels running calls and closes the source when the consumer breaks early', async () => {
    const model = cheapModel(100);
    let closed = false;
    function* source(): Generator<string> {
      try {
        for (let index = 0; ; index++) yield `q${index}`;
      } finally {
        closed = true;
      }
    }
    const consume = (async () => {
      for await (const result of streamBatch(oneTierAgent(model), source(), { concurrency: 3 }, deps)) {
        if (result.index >= 0) break;
      }
    })();
    await vi.runAllTimersAsync();
    await consume;
    expect(model.calls).toHaveLength(3);
    expect(model.calls.filter((call) => call.aborted)).toHaveLength(2);
    expect(model.inFlight).toBe(0);
    expect(closed).toBe(true);
  });
});
