import { afterEach, describe, expect, it, vi } from 'vitest';
import { CascadeError } from '../errors/cascade-error';
import type { QualityValidator } from '../quality/quality-validator';
import { MockChatModel, mockProviderError } from '../test/mock-chat-model';
import { tierPricing as pricing } from './__fixtures__/tier-pricing';
import { createCascadeAgent } from './create-cascade-agent';

const validator: QualityValidator = { name: 'pass', validate: () => ({ score: 0.9, passed: true, signals: [], reason: 'fine' }) };
const usage = { inputTokens: 100, outputTokens: 50 };

/** A sleep that records its waits and resolves at once, rejecting like core's when the signal fired. */
function recordingSleep() {
  const waits: number[] = [];
  const sleep = (ms: number, signal?: AbortSignal): Promise<void> => {
    waits.push(ms);
    return signal?.aborted ? Promise.reject(new CascadeError('ABORTED', 'aborted')) : Promise.resolve();
  };
  return { waits, sleep };
}

/** `cheap` fails with `errors` in turn, then answers; `strong` always answers. */
function setup(errors: readonly unknown[], policy: Parameters<typeof createCascadeAgent>[0]['policy'] = {}, random = () => 0.5) {
  const cheap = new MockChatModel({ modelId: 'cheap', responses: [...errors.map((error) => ({ error })), { text: 'cheap answer', usage }] });
  const strong = new MockChatModel({ modelId: 'strong', responses: [{ text: 'strong answer', usage }] });
  const { waits, sleep } = recordingSleep();
  const agent = createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: false, policy }, { sleep, random });
  return { agent, cheap, strong, waits };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('retries of the same tier after transient errors', () => {
  it('retries a 503 on the same tier instead of escalating, and shows the retry in the attempts with its cost', async () => {
    const { agent, cheap, strong, waits } = setup([mockProviderError(503)]);
    const result = await agent.run('q');
    expect(result.modelId).toBe('cheap');
    expect(strong.calls).toHaveLength(0);
    expect(cheap.calls).toHaveLength(2);
    expect(result.attempts.map((attempt) => [attempt.status, attempt.retry])).toEqual([['failed', undefined], ['accepted', 1]]);
    expect(result.attempts[0]!.reason).toMatch(/retrying cheap in 125 ms \(call 2 of 2\)/);
    expect(result.attempts[0]!.costUsd).toBe(0);
    expect(result.costUsd).toBe(result.attempts[1]!.costUsd);
    // Full jitter: random 0.5 of the 250 ms default bound.
    expect(waits).toEqual([125]);
  });

  it('backs off exponentially up to maxAttempts, then falls through to the next tier', async () => {
    const failures = [mockProviderError(500), mockProviderError(502), mockProviderError(429)];
    const { agent, cheap, strong, waits } = setup(failures, { retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000 } }, () => 0.999);
    const result = await agent.run('q');
    expect(cheap.calls).toHaveLength(3);
    expect(strong.calls).toHaveLength(1);
    expect(result.modelId).toBe('strong');
    expect(result.attempts.map((attempt) => attempt.status)).toEqual(['failed', 'failed', 'failed', 'final']);
    expect(waits).toEqual([99, 199]);
  });

  it('never retries errors that are not transient: bad requests, timeouts, aborts', async () => {
    for (const error of [mockProviderError(400), new CascadeError('TIMEOUT', 'slow', { retryable: true }), new Error('plain bug')]) {
      const { agent, cheap, strong, waits } = setup([error]);
      const result = await agent.run('q');
      expect(cheap.calls).toHaveLength(1);
      expect(strong.calls).toHaveLength(1);
      expect(result.modelId).toBe('strong');
      expect(waits).toEqual([]);
    }
  });

  it("honours the provider's Retry-After, and skips the retry when it is longer than maxDelayMs", async () => {
    const soon = new CascadeError('MODEL_CALL_FAILED', 'HTTP 429', { statusCode: 429, retryable: true, retryAfterMs: 1500 });
    const first = setup([soon], {}, () => 0);
    expect((await first.agent.run('q')).modelId).toBe('cheap');
    expect(first.waits).toEqual([1500]);

    const late = new CascadeError('MODEL_CALL_FAILED', 'HTTP 429', { statusCode: 429, retryable: true, retryAfterMs: 30_000 });
    const second = setup([late]);
    const result = await second.agent.run('q');
    expect(result.modelId).toBe('strong');
    expect(second.waits).toEqual([]);
    expect(result.attempts[0]!.reason).toMatch(/not retried: the provider asked to wait 30000 ms, over retry.maxDelayMs 2000/);
  });

  it("does not wait past the request's timeout", async () => {
    const retryAfter = new CascadeError('MODEL_CALL_FAILED', 'HTTP 503', { statusCode: 503, retryable: true, retryAfterMs: 1500 });
    const { agent, strong, waits } = setup([retryAfter]);
    const result = await agent.run('q', { timeoutMs: 1000 });
    expect(waits).toEqual([]);
    expect(strong.calls).toHaveLength(1);
    expect(result.attempts[0]!.reason).toMatch(/would pass the request's timeout/);
  });

  it('is configured per policy: maxAttempts 1 turns retries off, a per-call policy wins, unknown keys are refused', async () => {
    const off = setup([mockProviderError(503)], { retry: { maxAttempts: 1 } });
    expect((await off.agent.run('q')).modelId).toBe('strong');
    const perCall = setup([mockProviderError(503)], { retry: { maxAttempts: 3 } });
    expect((await perCall.agent.run('q', { policy: { retry: { maxAttempts: 1 } } })).modelId).toBe('strong');
    expect(() => setup([], { retry: { maxAttemps: 2 } as never })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringMatching(/maxAttemps/) }));
  });

  it('an abort during the wait stops everything and leaves no timer behind', async () => {
    vi.useFakeTimers();
    const cheap = new MockChatModel({ modelId: 'cheap', responses: [{ error: mockProviderError(503) }, { text: 'late', usage }] });
    const strong = new MockChatModel({ modelId: 'strong', responses: [{ text: 'strong answer', usage }] });
    const agent = createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: false, policy: { retry: { baseDelayMs: 10_000, maxDelayMs: 10_000 } } }, { random: () => 0.5 });
    const controller = new AbortController();
    const running = agent.run('q', { abortSignal: controller.signal }).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(0);
    expect(cheap.calls).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(1); // the 5 s retry wait
    controller.abort();
    const error = await running;
    expect(CascadeError.isInstance(error) && error.code).toBe('ABORTED');
    expect(vi.getTimerCount()).toBe(0);
    expect(cheap.calls).toHaveLength(1);
    expect(strong.calls).toHaveLength(0);
  });
});
