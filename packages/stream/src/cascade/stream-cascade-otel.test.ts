import { createCascadeAgent } from '@cascade/core';
import { createTelemetryMiddleware } from '@cascade/core/otel';
import { MockChatModel, type MockChatModelOptions, collect, mockProviderError } from '@cascade/core/test';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { emailRedactor, pricing, validator } from '../__fixtures__/agent-fixtures';
import { inMemoryOtel } from '../__fixtures__/in-memory-otel';
import type { CascadeStreamEvent } from '../events/stream-event';
import { streamCascade } from './stream-cascade';

const usage = { inputTokens: 100, outputTokens: 50 };

let otel = inMemoryOtel();
afterEach(async () => {
  await otel.shutdown();
  otel = inMemoryOtel();
});

function setup(cheapText: string, recordContent = false) {
  return agentOf(
    { modelId: 'cheap', provider: 'openai', responses: [{ text: cheapText, usage }] },
    { modelId: 'strong', provider: 'openai', responses: [{ text: 'Strong: ada@example.com wrote it.', usage }] },
    recordContent,
  );
}

function agentOf(cheap: MockChatModelOptions, strong: MockChatModelOptions, recordContent = false) {
  const agent = createCascadeAgent({
    models: [new MockChatModel(cheap), new MockChatModel(strong)], validator, pricing, learning: false, policy: { retry: { maxAttempts: 1 } }, // falling through, not retrying a tier
    middleware: [emailRedactor(), createTelemetryMiddleware({ recordContent }, otel)],
  });
  return { agent, spans: () => otel.spans() };
}

const nanos = ([seconds, nanoseconds]: readonly [number, number]): bigint => BigInt(seconds) * 1_000_000_000n + BigInt(nanoseconds);

/** Sum of a histogram's points, or a counter's values, per value of one attribute. */
async function byAttribute(metric: string, attribute: string): Promise<Record<string, number>> {
  const points = await otel.points(metric);
  return Object.fromEntries(points.map((point) => [String(point.attributes[attribute]), typeof point.value === 'number' ? point.value : point.value.sum ?? 0]));
}

describe('streamCascade with OpenTelemetry', () => {
  it('a streamed escalation gives the same span tree as run: cascade span, one chat span per tier, mode stream', async () => {
    const { agent, spans } = setup('I am unsure about this.');
    const events = await collect(streamCascade(agent, 'Who wrote it?', { mode: 'buffered' }));
    expect(events.at(-1)?.type).toBe('finish');
    const root = spans().find((span) => span.name === 'invoke_agent cascade')!;
    expect(root.attributes).toMatchObject({ 'cascade.mode': 'stream', 'cascade.outcome': 'success', 'cascade.tier': 1, 'gen_ai.response.model': 'strong', 'cascade.escalated': true });
    const chats = spans().filter((span) => span.name.startsWith('chat '));
    expect(chats.map((span) => [span.name, span.attributes['cascade.attempt.status']])).toEqual([['chat cheap', 'escalated'], ['chat strong', 'final']]);
    expect(chats.every((span) => span.parentSpanContext?.spanId === root.spanContext().spanId)).toBe(true);
    expect(chats[0]!.events.map((event) => event.name)).toContain('gen_ai.evaluation.result');
    expect(chats[1]!.attributes['gen_ai.response.finish_reasons']).toEqual(['stop']);
    // The redacted e-mail appears only as a finding (type, action), never as a value.
    const findings = root.events.filter((event) => event.name === 'cascade.guardrail.finding');
    expect(findings.length).toBeGreaterThan(0);
    expect(JSON.stringify(spans().map((span) => [span.attributes, span.events]))).not.toContain('ada@example.com');
    expect(Object.keys(root.attributes).filter((key) => key.includes('messages'))).toEqual([]);
  });

  it('recordContent: the answer the caller got (redacted) is on the span', async () => {
    const { agent, spans } = setup('I am unsure about this.', true);
    await collect(streamCascade(agent, 'Who wrote it?', { mode: 'buffered' }));
    const root = spans().find((span) => span.name === 'invoke_agent cascade')!;
    expect(String(root.attributes['gen_ai.output.messages'])).toContain('Strong:');
    expect(String(root.attributes['gen_ai.output.messages'])).not.toContain('ada@example.com');
  });

  it('accept: GenAI attributes on the chat span, the verdict as an evaluation event, and the GenAI and cascade metrics', async () => {
    const { agent } = setup('The answer is 391.');
    const stream = streamCascade(agent, { messages: [{ role: 'user', content: 'What is 17 * 23?' }], maxOutputTokens: 300, temperature: 0.1 }, { mode: 'optimistic' });
    const result = await stream.result;
    const chat = otel.span('chat cheap');
    expect(chat.kind).toBe(SpanKind.CLIENT);
    expect(chat.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'cheap', 'gen_ai.response.model': 'cheap',
      'gen_ai.usage.input_tokens': 100, 'gen_ai.usage.output_tokens': 50, 'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.request.max_tokens': 300, 'gen_ai.request.temperature': 0.1, 'cascade.tier': 0, 'cascade.attempt.status': 'accepted',
    });
    expect(chat.events.find((event) => event.name === 'gen_ai.evaluation.result')?.attributes).toMatchObject({
      'gen_ai.evaluation.name': 'cascade.quality', 'gen_ai.evaluation.score.value': 0.9, 'gen_ai.evaluation.score.label': 'pass',
    });
    const root = otel.span('invoke_agent cascade');
    expect(root.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent', 'gen_ai.request.model': 'cheap', 'gen_ai.response.model': 'cheap', 'gen_ai.provider.name': 'openai',
      'cascade.mode': 'stream', 'cascade.outcome': 'success', 'cascade.decision': 'accepted', 'cascade.escalated': false,
      'gen_ai.usage.input_tokens': 100, 'gen_ai.usage.output_tokens': 50,
    });
    expect(root.attributes['cascade.cost_usd']).toBeCloseTo(result.costUsd);
    expect(root.attributes['cascade.savings']).toBeCloseTo(result.savings);
    expect(root.status.code).not.toBe(SpanStatusCode.ERROR);
    // The chat span lies inside the request span.
    expect(nanos(chat.startTime)).toBeGreaterThanOrEqual(nanos(root.startTime));
    expect(nanos(chat.endTime)).toBeLessThanOrEqual(nanos(root.endTime));

    expect(await byAttribute('gen_ai.client.token.usage', 'gen_ai.token.type')).toEqual({ input: 100, output: 50 });
    const [token] = await otel.points('gen_ai.client.token.usage');
    expect(token!.attributes).toMatchObject({ 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'cheap', 'gen_ai.response.model': 'cheap' });
    const durations = await otel.points('gen_ai.client.operation.duration');
    expect(durations.map((point) => [point.attributes['gen_ai.request.model'], (point.value as { count: number }).count])).toEqual([['cheap', 1]]);
    expect(await byAttribute('cascade.requests', 'cascade.mode')).toEqual({ stream: 1 });
    expect((await otel.points('cascade.drafts.accepted')).map((point) => point.value)).toEqual([1]);
    expect(await otel.points('cascade.drafts.escalated')).toEqual([]);
    expect((await otel.points('cascade.request.cost'))[0]!.value).toBeCloseTo(result.costUsd);
  });

  it('escalate: the escalation is counted, tokens of both tiers are recorded by model', async () => {
    const { agent } = setup('I am unsure about this.');
    await streamCascade(agent, 'Who wrote it?', { mode: 'optimistic' }).result;
    expect((await otel.points('cascade.drafts.escalated')).map((point) => [point.attributes['gen_ai.request.model'], point.value])).toEqual([['cheap', 1]]);
    expect(await otel.points('cascade.drafts.accepted')).toEqual([]);
    expect(await byAttribute('gen_ai.client.operation.duration', 'gen_ai.request.model')).toEqual({ cheap: expect.any(Number), strong: expect.any(Number) });
    const tokens = await otel.points('gen_ai.client.token.usage');
    expect(tokens.map((point) => `${point.attributes['gen_ai.request.model']}:${point.attributes['gen_ai.token.type']}`).sort()).toEqual(['cheap:input', 'cheap:output', 'strong:input', 'strong:output']);
  });

  it('early escalation: the abandoned draft is a chat span with status abandoned and counts as an escalation', async () => {
    const { agent } = agentOf(
      { modelId: 'cheap', provider: 'openai', responses: [{ chunks: ['I am ', 'unsure ', 'about ', 'this ', 'one.'], chunkDelayMs: 1, usage }] },
      { modelId: 'strong', provider: 'openai', responses: [{ text: 'Strong answer.', usage }] },
    );
    const result = await streamCascade(agent, 'q', { mode: 'early-escalation', partialCheckChars: 1 }).result;
    expect(result.attempts.map((attempt) => attempt.status)).toEqual(['abandoned', 'final']);
    expect(otel.span('chat cheap').attributes).toMatchObject({ 'cascade.attempt.status': 'abandoned', 'gen_ai.request.model': 'cheap' });
    expect(otel.span('chat cheap').status.code).not.toBe(SpanStatusCode.ERROR);
    expect(otel.span('invoke_agent cascade').attributes).toMatchObject({ 'cascade.outcome': 'success', 'cascade.escalated': true, 'gen_ai.response.model': 'strong' });
    expect((await otel.points('cascade.drafts.escalated')).map((point) => point.value)).toEqual([1]);
  });

  it('error: every tier fails mid-stream; the chat spans and the request span carry error.type and ERROR status', async () => {
    const { agent } = agentOf(
      { modelId: 'cheap', provider: 'openai', responses: [{ chunks: ['Part ', 'of it'], streamErrorAfterChunks: { chunks: 1, error: mockProviderError(503) } }] },
      { modelId: 'strong', provider: 'openai', responses: [{ error: mockProviderError(500) }] },
    );
    const events = await collect(streamCascade(agent, 'q', { mode: 'optimistic' }));
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'ALL_MODELS_FAILED' } });
    for (const name of ['chat cheap', 'chat strong']) {
      const chat = otel.span(name);
      expect(chat.status.code).toBe(SpanStatusCode.ERROR);
      expect(chat.attributes).toMatchObject({ 'error.type': 'MODEL_CALL_FAILED', 'cascade.attempt.status': 'failed' });
      // A failed call has no response model (nothing answered).
      expect(chat.attributes['gen_ai.response.model']).toBeUndefined();
    }
    const root = otel.span('invoke_agent cascade');
    expect(root.status.code).toBe(SpanStatusCode.ERROR);
    expect(root.attributes).toMatchObject({ 'error.type': 'ALL_MODELS_FAILED', 'cascade.outcome': 'error', 'cascade.mode': 'stream', 'cascade.attempts': 2 });
    const durations = await otel.points('gen_ai.client.operation.duration');
    expect(durations.map((point) => point.attributes['error.type'])).toEqual(['MODEL_CALL_FAILED', 'MODEL_CALL_FAILED']);
    expect(await byAttribute('cascade.requests', 'cascade.outcome')).toEqual({ error: 1 });
    expect(await otel.points('cascade.denials')).toEqual([]);
  });

  it('abort mid-stream: outcome aborted, error.type ABORTED, the cancelled call is a chat span, no stronger tier', async () => {
    const { agent } = agentOf(
      { modelId: 'cheap', provider: 'openai', responses: [{ chunks: ['one ', 'two ', 'three ', 'four ', 'five '], chunkDelayMs: 5, usage }] },
      { modelId: 'strong', provider: 'openai' },
    );
    const controller = new AbortController();
    const stream = streamCascade(agent, 'q', { mode: 'optimistic', abortSignal: controller.signal });
    const events: CascadeStreamEvent[] = [];
    for await (const event of stream) {
      events.push(event);
      if (event.type === 'text-delta') controller.abort();
    }
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'ABORTED' } });
    const root = otel.span('invoke_agent cascade');
    expect(root.attributes).toMatchObject({ 'cascade.outcome': 'aborted', 'error.type': 'ABORTED', 'cascade.mode': 'stream' });
    expect(root.status.code).toBe(SpanStatusCode.ERROR);
    expect(otel.span('chat cheap').attributes).toMatchObject({ 'error.type': 'ABORTED' });
    // The tokens received before the abort (estimated) are on the chat span, so spend is not lost from traces.
    expect(Number(otel.span('chat cheap').attributes['gen_ai.usage.output_tokens'])).toBeGreaterThan(0);
    expect(otel.spans().filter((span) => span.name === 'chat strong')).toEqual([]);
    expect(await byAttribute('cascade.requests', 'cascade.outcome')).toEqual({ aborted: 1 });
  });

  it("a consumer's break ends the request span as aborted", async () => {
    const { agent } = agentOf(
      { modelId: 'cheap', provider: 'openai', responses: [{ chunks: ['one ', 'two ', 'three ', 'four ', 'five '], chunkDelayMs: 5, usage }] },
      { modelId: 'strong', provider: 'openai' },
    );
    const stream = streamCascade(agent, 'q', { mode: 'optimistic' });
    for await (const text of stream.textStream) {
      expect(text).toBe('one ');
      break;
    }
    await stream.usage;
    await expect.poll(() => otel.spans().filter((span) => span.name === 'invoke_agent cascade').length).toBe(1);
    expect(otel.span('invoke_agent cascade').attributes).toMatchObject({ 'cascade.outcome': 'aborted', 'cascade.mode': 'stream' });
    expect(await byAttribute('cascade.requests', 'cascade.outcome')).toEqual({ aborted: 1 });
  });
});
