import { CascadeError, type CascadeMiddleware, createCascadeAgent } from '@cascade/core';
import { MockChatModel, collect, mockProviderError } from '@cascade/core/test';
import { describe, expect, it } from 'vitest';
import { emailRedactor, forbiddenStopper, pricing, recordingLimiter, validator } from '../__fixtures__/agent-fixtures';
import type { CascadeStreamEvent } from '../events/stream-event';
import { streamCascade } from './stream-cascade';

const usage = { inputTokens: 100, outputTokens: 50 };

function setup(options: { cheap?: ConstructorParameters<typeof MockChatModel>[0]; strong?: ConstructorParameters<typeof MockChatModel>[0]; middleware?: CascadeMiddleware[] } = {}) {
  const cheap = new MockChatModel({ modelId: 'cheap', responses: [{ chunks: ['The answer ', 'is 391.'], usage }], ...options.cheap });
  const strong = new MockChatModel({ modelId: 'strong', responses: [{ chunks: ['Strong: ', '391.'], usage }], ...options.strong });
  const limiter = recordingLimiter();
  // Retries of a tier off: these tests are about falling through (stream-retry.test.ts covers retries).
  const agent = createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: false, policy: { retry: { maxAttempts: 1 } }, middleware: [limiter, ...(options.middleware ?? [])] });
  return { cheap, strong, limiter, agent };
}

const types = (events: readonly CascadeStreamEvent[]): string[] => events.map((event) => event.type);
const textOf = (events: readonly CascadeStreamEvent[]): string => events.map((event) => (event.type === 'text-delta' ? event.text : '')).join('');

describe('streamCascade: optimistic mode', () => {
  it('streams an accepted draft live and finishes with the same result as run', async () => {
    const { agent, strong, limiter } = setup({ cheap: { modelId: 'cheap', chunkSize: 11, responses: [{ text: 'The answer is 391.', usage }] } });
    const events = await collect(streamCascade(agent, 'What is 17 * 23?', { mode: 'optimistic' }));
    expect(types(events)).toEqual(['attempt-start', 'text-delta', 'text-delta', 'usage', 'draft-decision', 'finish']);
    expect(events[0]).toMatchObject({ type: 'attempt-start', modelId: 'cheap', tier: 0, attempt: 0 });
    expect(events[1]).toEqual({ type: 'text-delta', text: 'The answer ', modelId: 'cheap', tier: 0 });
    expect(events[4]).toMatchObject({ type: 'draft-decision', decision: 'accepted', score: 0.9, early: false });
    const finish = events.at(-1);
    if (finish?.type !== 'finish') throw new Error('expected finish');
    const run = await agent.run('What is 17 * 23?');
    const { latencyMs: _a, requestId: _b, attempts: streamedAttempts, ...streamed } = finish.result;
    const { latencyMs: _c, requestId: _d, attempts: runAttempts, ...ran } = run;
    expect(streamed).toEqual(ran);
    expect(streamedAttempts.map(({ latencyMs: _, ...rest }) => rest)).toEqual(runAttempts.map(({ latencyMs: _, ...rest }) => rest));
    expect(strong.calls).toHaveLength(0);
    expect(limiter.settled).toHaveLength(2);
    expect(limiter.settled[0]).toMatchObject({ outcome: 'success', costUsd: finish.result.costUsd });
  });

  it('escalates a rejected draft with a switch the client can use to discard its text', async () => {
    const { agent, cheap, strong, limiter } = setup({ cheap: { modelId: 'cheap', responses: [{ chunks: ['I am ', 'unsure.'], usage }] } });
    const stream = streamCascade(agent, 'What is 17 * 23?', { mode: 'optimistic' });
    const events = await collect(stream);
    expect(types(events)).toEqual([
      'attempt-start', 'text-delta', 'text-delta', 'usage', 'draft-decision', 'switch', 'attempt-start', 'text-delta', 'text-delta', 'usage', 'finish',
    ]);
    expect(events[4]).toMatchObject({ decision: 'escalated', score: 0.2, signals: [{ name: 'hedging' }] });
    expect(events[5]).toEqual({ type: 'switch', from: 'cheap', to: 'strong', fromTier: 0, toTier: 1, reason: 'escalated', discardText: true });
    const result = await stream.result;
    expect(result.text).toBe('Strong: 391.');
    expect(result.attempts.map((attempt) => attempt.status)).toEqual(['escalated', 'final']);
    expect(result.escalated).toBe(true);
    expect(cheap.calls[0]!.kind).toBe('stream');
    expect(strong.calls[0]!.kind).toBe('stream');
    expect(await stream.cost).toBeCloseTo((100 * 1 + 50 * 2 + 100 * 30 + 50 * 60) / 1e6);
    expect(limiter.settled).toEqual([expect.objectContaining({ outcome: 'success', usage: { inputTokens: 200, outputTokens: 100, source: 'provider' } })]);
  });

  it('uses the policy streamMode when the call sets none', async () => {
    const { agent } = setup({ cheap: { modelId: 'cheap', responses: [{ chunks: ['I am ', 'unsure.'], usage }] } });
    const events = await collect(streamCascade(agent, 'q', { policy: { streamMode: 'buffered' } }));
    expect(events.filter((event) => event.type === 'text-delta' && event.modelId === 'cheap')).toHaveLength(0);
  });
});

describe('streamCascade: the default mode', () => {
  it('never shows a rejected draft: textStream and the events carry only the accepted answer', async () => {
    const rejected = { modelId: 'cheap', responses: [{ chunks: ['I am ', 'unsure.'], usage }] };
    const events = await collect(streamCascade(setup({ cheap: rejected }).agent, 'q'));
    expect(events.filter((event) => event.type === 'text-delta' && event.modelId === 'cheap')).toHaveLength(0);
    expect(textOf(events)).toBe('Strong: 391.');
    const text: string[] = [];
    for await (const piece of streamCascade(setup({ cheap: rejected }).agent, 'q').textStream) text.push(piece);
    expect(text.join('')).toBe('Strong: 391.');
  });
});

describe('streamCascade: buffered mode', () => {
  it('never shows a rejected draft', async () => {
    const { agent } = setup({ cheap: { modelId: 'cheap', responses: [{ chunks: ['I am ', 'unsure.'], usage }] } });
    const events = await collect(streamCascade(agent, 'q', { mode: 'buffered' }));
    expect(types(events)).toEqual(['attempt-start', 'usage', 'draft-decision', 'switch', 'attempt-start', 'text-delta', 'text-delta', 'usage', 'finish']);
    expect(events[3]).toMatchObject({ type: 'switch', reason: 'escalated', discardText: false });
    expect(textOf(events)).toBe('Strong: 391.');
  });

  it('releases an accepted draft after its decision', async () => {
    const { agent } = setup();
    const events = await collect(streamCascade(agent, 'q', { mode: 'buffered' }));
    expect(types(events)).toEqual(['attempt-start', 'usage', 'draft-decision', 'text-delta', 'text-delta', 'finish']);
    expect(textOf(events)).toBe('The answer is 391.');
  });
});

describe('streamCascade: early escalation', () => {
  it('abandons a failing draft mid-stream, cancels its call and estimates its usage', async () => {
    const chunks = ['Well, ', 'I am unsure ', 'about ', 'this ', 'one ', 'at all.'];
    const { agent, cheap, limiter } = setup({ cheap: { modelId: 'cheap', responses: [{ chunks, chunkDelayMs: 1, usage }] } });
    const stream = streamCascade(agent, 'q', { mode: 'early-escalation', partialCheckChars: 1 });
    const events = await collect(stream);
    expect(textOf(events.filter((event) => event.type !== 'text-delta' || event.modelId === 'cheap'))).toBe('Well, ');
    expect(events.find((event) => event.type === 'draft-decision')).toMatchObject({ decision: 'escalated', early: true, score: 0, reason: 'hedging' });
    expect(events.find((event) => event.type === 'switch')).toMatchObject({ reason: 'abandoned', discardText: true });
    expect(cheap.calls[0]!.aborted || cheap.calls[0]!.settled).toBe(true);
    const result = await stream.result;
    expect(result.attempts.map((attempt) => attempt.status)).toEqual(['abandoned', 'final']);
    expect(result.attempts[0]!.usage.source).toBe('estimated');
    expect(result.attempts[0]!.usage.outputTokens).toBeGreaterThan(0);
    expect(result.attempts[0]!.usage.outputTokens).toBeLessThan(50);
    expect(result.usage.source).toBe('estimated');
    expect(limiter.settled).toHaveLength(1);
  });
});

describe('streamCascade: failures', () => {
  it('falls through to the next tier when a provider errors mid-stream', async () => {
    const { agent, limiter } = setup({
      cheap: { modelId: 'cheap', responses: [{ chunks: ['partial ', 'text ', 'more'], streamErrorAfterChunks: { chunks: 2, error: mockProviderError(503) } }] },
    });
    const stream = streamCascade(agent, 'q', { mode: 'optimistic' });
    const events = await collect(stream);
    const switched = events.find((event) => event.type === 'switch');
    expect(switched).toMatchObject({ reason: 'failed', discardText: true, from: 'cheap', to: 'strong' });
    if (switched?.type !== 'switch') throw new Error('expected switch');
    expect(switched.error?.statusCode).toBe(503);
    const result = await stream.result;
    expect(result.text).toBe('Strong: 391.');
    expect(result.attempts[0]).toMatchObject({ status: 'failed', usage: { source: 'estimated' } });
    expect(result.attempts[0]!.usage.outputTokens).toBeGreaterThan(0);
    expect(limiter.settled).toHaveLength(1);
  });

  it('returns the best rejected draft, sent again, when every stronger tier fails', async () => {
    const { agent } = setup({
      cheap: { modelId: 'cheap', responses: [{ chunks: ['I am ', 'unsure.'], usage }] },
      strong: { modelId: 'strong', responses: [{ error: mockProviderError(500) }] },
    });
    const stream = streamCascade(agent, 'q', { mode: 'optimistic' });
    const events = await collect(stream);
    expect(events.filter((event) => event.type === 'switch').map((event) => event.type === 'switch' && event.reason)).toEqual(['escalated', 'fallback']);
    expect(events.at(-2)).toEqual({ type: 'text-delta', text: 'I am unsure.', modelId: 'cheap', tier: 0 });
    const result = await stream.result;
    expect(result.attempts.map((attempt) => attempt.status)).toEqual(['fallback', 'failed']);
    expect(result.warnings.at(-1)).toMatch(/Every stronger tier failed/);
  });

  it('ends with a typed ALL_MODELS_FAILED error event; result rejects, usage resolves, nothing crashes', async () => {
    const { agent, limiter } = setup({
      cheap: { modelId: 'cheap', responses: [{ error: mockProviderError(429) }] },
      strong: { modelId: 'strong', responses: [{ error: mockProviderError(500) }] },
    });
    const stream = streamCascade(agent, 'q', { mode: 'optimistic' });
    const events = await collect(stream);
    const last = events.at(-1);
    expect(last?.type).toBe('error');
    if (last?.type !== 'error') throw new Error('expected error');
    expect(CascadeError.isInstance(last.error)).toBe(true);
    expect(last.error.code).toBe('ALL_MODELS_FAILED');
    await expect(stream.result).rejects.toMatchObject({ code: 'ALL_MODELS_FAILED', retryable: true });
    expect(await stream.usage).toEqual({ inputTokens: 0, outputTokens: 0, source: 'provider' });
    expect(limiter.settled).toEqual([expect.objectContaining({ outcome: 'error' })]);
  });

  it('does not crash the process when nobody awaits a rejected result', async () => {
    const { agent } = setup({ cheap: { modelId: 'cheap', responses: [{ error: mockProviderError(500) }] }, strong: { modelId: 'strong', responses: [{ error: mockProviderError(500) }] } });
    const stream = streamCascade(agent, 'q', { mode: 'optimistic' });
    void stream.result;
    await stream.usage;
    await new Promise<void>((resolve) => setImmediate(resolve));
  });

  it('reports an admission denial as the first event', async () => {
    const deny: CascadeMiddleware = { name: 'deny', admit: () => ({ allowed: false, code: 'RATE_LIMITED', reason: 'slow down', retryAfterMs: 1000 }) };
    const { agent, cheap } = setup({ middleware: [deny] });
    const stream = streamCascade(agent, 'q', { mode: 'optimistic' });
    const events = await collect(stream);
    expect(events).toEqual([{ type: 'error', error: expect.objectContaining({ code: 'RATE_LIMITED', retryAfterMs: 1000 }) }]);
    expect(cheap.calls).toHaveLength(0);
    await expect(collect(stream.textStream)).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('rejects invalid options with INVALID_CONFIG naming the field', () => {
    const { agent } = setup();
    expect(() => streamCascade(agent, 'q', { mode: 'fast' as 'buffered' })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringMatching(/mode/) }));
  });
});

describe('streamCascade: cancellation', () => {
  const slow = { modelId: 'cheap', responses: [{ chunks: ['one ', 'two ', 'three ', 'four ', 'five '], chunkDelayMs: 5, usage }] };

  it('the caller abortSignal cancels the model call, reports ABORTED and settles what was consumed', async () => {
    const { agent, cheap, limiter } = setup({ cheap: slow });
    const controller = new AbortController();
    const stream = streamCascade(agent, 'q', { mode: 'optimistic', abortSignal: controller.signal });
    const events: CascadeStreamEvent[] = [];
    for await (const event of stream) {
      events.push(event);
      if (event.type === 'text-delta') controller.abort();
    }
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'ABORTED' } });
    expect(cheap.calls[0]!.aborted).toBe(true);
    await expect(stream.result).rejects.toMatchObject({ code: 'ABORTED' });
    const consumed = await stream.usage;
    expect(consumed.source).toBe('estimated');
    expect(consumed.outputTokens).toBeGreaterThan(0);
    expect(await stream.cost).toBeGreaterThan(0);
    expect(limiter.settled).toEqual([expect.objectContaining({ outcome: 'aborted', usage: consumed })]);
  });

  it("a consumer's break cancels the model call and settles once", async () => {
    const { agent, cheap, strong, limiter } = setup({ cheap: slow });
    const stream = streamCascade(agent, 'q', { mode: 'optimistic' });
    for await (const text of stream.textStream) {
      expect(text).toBe('one ');
      break;
    }
    const consumed = await stream.usage;
    expect(cheap.calls[0]!.aborted).toBe(true);
    expect(strong.calls).toHaveLength(0);
    expect(consumed.source).toBe('estimated');
    expect(limiter.settled).toEqual([expect.objectContaining({ outcome: 'aborted' })]);
  });

  it('an abort before the first read takes no reservation', async () => {
    const { agent, cheap, limiter } = setup();
    const stream = streamCascade(agent, 'q', { mode: 'optimistic', abortSignal: AbortSignal.abort() });
    await expect(stream.result).rejects.toMatchObject({ code: 'ABORTED' });
    expect(cheap.calls).toHaveLength(0);
    expect(limiter.settled.every((info) => info.costUsd === 0)).toBe(true);
  });
});

describe('streamCascade: guardrails', () => {
  it('redacts an e-mail split across chunk boundaries', async () => {
    const { agent } = setup({ cheap: { modelId: 'cheap', responses: [{ chunks: ['Write to jo', 'hn.doe@exa', 'mple.com today'], usage }] }, middleware: [emailRedactor()] });
    const stream = streamCascade(agent, 'q', { mode: 'optimistic' });
    const events = await collect(stream);
    expect(textOf(events)).toBe('Write to [EMAIL] today');
    expect(events.some((event) => event.type === 'text-delta' && event.text.includes('@'))).toBe(false);
    expect(events.find((event) => event.type === 'guardrail')).toMatchObject({ action: 'redacted', findings: [{ type: 'EMAIL_ADDRESS' }] });
    const result = await stream.result;
    expect(result.text).toBe('Write to [EMAIL] today');
    expect(result.guardrails).toEqual([expect.objectContaining({ type: 'EMAIL_ADDRESS' })]);
  });

  it('a stop emits a guardrail event, cancels the model and finishes with content-filter (never silent truncation)', async () => {
    const { agent, cheap, strong } = setup({
      cheap: { modelId: 'cheap', responses: [{ chunks: ['fine ', 'FORBIDDEN ', 'rest ', 'more'], chunkDelayMs: 1, usage }] },
      middleware: [forbiddenStopper()],
    });
    const stream = streamCascade(agent, 'q', { mode: 'optimistic' });
    const events = await collect(stream);
    expect(types(events)).toEqual(['attempt-start', 'text-delta', 'guardrail', 'usage', 'finish']);
    expect(events[2]).toMatchObject({ action: 'stopped', reason: 'forbidden content' });
    const result = await stream.result;
    expect(result.text).toBe('fine ');
    expect(result.finishReason).toBe('content-filter');
    expect(result.warnings.at(-1)).toMatch(/stopped the answer/);
    expect(cheap.calls[0]!.settled).toBe(true);
    expect(strong.calls).toHaveLength(0);
  });
});

describe('streamCascade: streaming feature flag', () => {
  it('falls back to the non-streamed cascade and one final chunk', async () => {
    const { agent, cheap, strong } = setup({
      cheap: { modelId: 'cheap', responses: [{ text: 'I am unsure.', usage }] },
      strong: { modelId: 'strong', responses: [{ text: 'Strong: 391.', usage }] },
    });
    const stream = streamCascade(agent, 'q', { mode: 'optimistic', policy: { features: { streaming: false } } });
    const events = await collect(stream);
    expect(cheap.calls[0]!.kind).toBe('generate');
    expect(strong.calls[0]!.kind).toBe('generate');
    expect(events.filter((event) => event.type === 'text-delta')).toEqual([{ type: 'text-delta', text: 'Strong: 391.', modelId: 'strong', tier: 1 }]);
    const result = await stream.result;
    const run = await agent.run('q', { policy: { features: { streaming: false } } });
    expect(result.text).toBe(run.text);
    expect(result.costUsd).toBe(run.costUsd);
  });
});

describe('CascadeStream views', () => {
  it('events, textStream and result can all be read from one stream', async () => {
    const { agent } = setup();
    const stream = streamCascade(agent, 'q', { mode: 'optimistic' });
    const [events, text, result] = await Promise.all([collect(stream), collect(stream.textStream), stream.result]);
    expect(text.join('')).toBe('The answer is 391.');
    expect(events.at(-1)).toEqual({ type: 'finish', result });
    expect(await collect(stream.textStream)).toEqual(text);
  });
});

describe('streamCascade: live learning signals', () => {
  it('asks drafters (not the strongest tier) for token logprobs and hands them to the learner; no samples in a stream', async () => {
    const logprobs = Array.from({ length: 4 }, () => ({ token: 'x', logprob: -0.01 }));
    const cheap = new MockChatModel({ modelId: 'cheap', responses: [{ text: 'The answer is 391.', usage, logprobs }] });
    const strong = new MockChatModel({ modelId: 'strong', responses: [{ text: 'Strong: 391.', usage }] });
    const agent = createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: { signals: { logprobs: true, agreement: true } } });
    const result = await streamCascade(agent, 'What is 17 * 23?').result;
    expect(cheap.calls.map((call) => [call.kind, call.request.logprobs])).toEqual([['stream', true]]);
    expect(strong.requests.every((request) => request.logprobs === undefined)).toBe(true);
    expect(result.learning!.signals).toMatchObject({ used: ['validator', 'logprobs'] });
    expect(result.learning!.signals!.agreement).toBeUndefined();
    await agent.close();
  });
});
