import { createCascadeAgent, createPricing } from '@cascade/core';
import { createTelemetryMiddleware } from '@cascade/core/otel';
import { MockChatModel, mockProviderError } from '@cascade/core/test';
import { SpanStatusCode } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { inMemoryOtel } from '../__fixtures__/in-memory-otel';
import { cheapModel, pricing as tierPricing, usage, validator } from '../__fixtures__/test-agent';
import { runBatch } from './run-batch';

const pricing = createPricing({ includeDefaults: false, prices: { cheap: { inputUsdPerMTok: 1, outputUsdPerMTok: 1 }, strong: { inputUsdPerMTok: 30, outputUsdPerMTok: 30 } } });

let otel = inMemoryOtel();
afterEach(async () => {
  await otel.shutdown();
  otel = inMemoryOtel();
});

/** A two-tier agent whose cheap tier answers "BAD" (escalate) for prompts with "hard", fails for "fail", and stalls for "slow". */
function agentWithTelemetry(options: { recordContent?: boolean } = {}) {
  const cheap = cheapModel(0, (prompt) => {
    if (prompt.includes('fail')) return { error: mockProviderError(400) };
    if (prompt.includes('slow')) return { text: 'late', latencyMs: 10_000, usage };
    if (prompt.includes('hard')) return { text: 'BAD draft', usage };
    return undefined;
  });
  const strong = new MockChatModel({ modelId: 'strong', responses: (request) => (JSON.stringify(request.messages).includes('fail') ? { error: mockProviderError(400) } : { text: 'strong', usage }) });
  const agent = createCascadeAgent({
    models: [cheap, strong], validator, pricing: tierPricing, learning: false, complexityRouting: false, policy: { retry: { maxAttempts: 1 } }, // batch retries items; the engine does not retry tiers here
    middleware: [createTelemetryMiddleware({ recordPrincipal: 'ids', ...options }, otel)],
  });
  return { agent, cheap, strong };
}

const roots = () => otel.spans().filter((span) => span.name === 'invoke_agent cascade');

describe('runBatch with OpenTelemetry', () => {
  it('one cascade span per item (mode batch), each with its own chat spans; a failed item is an error span', async () => {
    const exporter = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const cheap = new MockChatModel({ modelId: 'cheap', responses: (request) => (JSON.stringify(request.messages).includes('fail') ? { error: mockProviderError(400) } : { text: 'fine', usage: { inputTokens: 10, outputTokens: 5 } }) });
    const strong = new MockChatModel({ modelId: 'strong', responses: (request) => (JSON.stringify(request.messages).includes('fail') ? { error: mockProviderError(400) } : { text: 'strong', usage: { inputTokens: 10, outputTokens: 5 } }) });
    const agent = createCascadeAgent({
      models: [cheap, strong], pricing, learning: false, policy: { qualityTarget: 0 },
      middleware: [createTelemetryMiddleware({}, { tracerProvider })],
    });
    const report = await runBatch(agent, ['one', 'two', 'please fail'], { concurrency: 2 });
    expect(report.results.filter((result) => result.status === 'ok')).toHaveLength(2);
    const roots = exporter.getFinishedSpans().filter((span) => span.name === 'invoke_agent cascade');
    expect(roots).toHaveLength(3);
    expect(roots.every((span) => span.attributes['cascade.mode'] === 'batch')).toBe(true);
    expect(roots.map((span) => span.attributes['cascade.outcome']).sort()).toEqual(['error', 'success', 'success']);
    for (const root of roots) {
      const children = exporter.getFinishedSpans().filter((span) => span.parentSpanContext?.spanId === root.spanContext().spanId);
      expect(children.length).toBeGreaterThan(0);
      expect(new Set(children.map((span) => span.spanContext().traceId))).toEqual(new Set([root.spanContext().traceId]));
    }
  });

  it('accept, escalate and error items: GenAI attributes per item, and the metrics add up over the batch', async () => {
    const { agent } = agentWithTelemetry();
    const report = await runBatch(agent, [
      { id: 'easy', input: 'easy one', userId: 'u1' },
      { id: 'hard', input: 'hard one', userId: 'u1' },
      { id: 'broken', input: 'please fail', userId: 'u1' },
    ], { concurrency: 3, retries: 0 });
    expect(report.results.map((result) => result.status)).toEqual(['ok', 'ok', 'failed']);

    const byDecision = Object.fromEntries(roots().map((span) => [String(span.attributes['cascade.decision'] ?? span.attributes['error.type']), span]));
    expect(Object.keys(byDecision).sort()).toEqual(['ALL_MODELS_FAILED', 'accepted', 'final']);
    expect(byDecision.accepted!.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent', 'cascade.mode': 'batch', 'cascade.outcome': 'success', 'cascade.tier': 0,
      'gen_ai.request.model': 'cheap', 'gen_ai.response.model': 'cheap', 'cascade.user.id': 'u1', 'cascade.escalated': false,
      'gen_ai.usage.input_tokens': 100, 'gen_ai.usage.output_tokens': 50,
    });
    expect(byDecision.final!.attributes).toMatchObject({ 'cascade.outcome': 'success', 'cascade.tier': 1, 'gen_ai.response.model': 'strong', 'cascade.escalated': true, 'cascade.attempts': 2 });
    const failed = byDecision.ALL_MODELS_FAILED!;
    expect(failed.status.code).toBe(SpanStatusCode.ERROR);
    expect(failed.attributes).toMatchObject({ 'cascade.outcome': 'error', 'cascade.mode': 'batch' });
    const failedChats = otel.spans().filter((span) => span.parentSpanContext?.spanId === failed.spanContext().spanId);
    expect(failedChats.map((span) => [span.name, span.attributes['error.type'], span.status.code])).toEqual([
      ['chat cheap', 'MODEL_CALL_FAILED', SpanStatusCode.ERROR], ['chat strong', 'MODEL_CALL_FAILED', SpanStatusCode.ERROR],
    ]);
    // No prompt text unless opted in.
    expect(JSON.stringify(otel.spans().map((span) => span.attributes))).not.toMatch(/easy one|hard one|please fail/);

    const requests = await otel.points('cascade.requests');
    expect(requests.map((point) => [point.attributes['cascade.mode'], point.attributes['cascade.outcome'], point.value]).sort()).toEqual([['batch', 'error', 1], ['batch', 'success', 2]]);
    expect((await otel.points('cascade.drafts.accepted')).map((point) => point.value)).toEqual([1]);
    expect((await otel.points('cascade.drafts.escalated')).map((point) => point.value)).toEqual([1]);
    // Tokens: cheap answered twice (easy, hard), strong once (hard); failed calls used none.
    const tokens = await otel.points('gen_ai.client.token.usage');
    const sums = Object.fromEntries(tokens.map((point) => [`${point.attributes['gen_ai.request.model']}:${point.attributes['gen_ai.token.type']}`, (point.value as { sum: number }).sum]));
    expect(sums).toEqual({ 'cheap:input': 200, 'cheap:output': 100, 'strong:input': 100, 'strong:output': 50 });
    const durations = await otel.points('gen_ai.client.operation.duration');
    const failedDurations = durations.filter((point) => point.attributes['error.type'] === 'MODEL_CALL_FAILED');
    expect(failedDurations.map((point) => (point.value as { count: number }).count).reduce((a, b) => a + b, 0)).toBe(2);
    expect((await otel.points('cascade.request.cost'))[0]!.value).toBeCloseTo(report.summary.costUsd);
  });

  it('a retried item gives one request span per try: the failed try as an error span, the retry as a success', async () => {
    let calls = 0;
    const flaky = new MockChatModel({ modelId: 'cheap', responses: () => (calls++ === 0 ? { error: mockProviderError(503) } : { text: 'ok', usage }) });
    const agent = createCascadeAgent({ models: [flaky], validator, pricing: tierPricing, learning: false, policy: { retry: { maxAttempts: 1 } }, middleware: [createTelemetryMiddleware({}, otel)] });
    const report = await runBatch(agent, ['q'], { retries: 1, backoff: { initialDelayMs: 1, maxDelayMs: 1 } });
    expect(report.results[0]).toMatchObject({ status: 'ok', attempts: 2 });
    expect(roots().map((span) => [span.attributes['cascade.outcome'], span.attributes['error.type']])).toEqual([['error', 'ALL_MODELS_FAILED'], ['success', undefined]]);
    expect(otel.spans().filter((span) => span.name === 'chat cheap').map((span) => span.attributes['error.type'])).toEqual(['MODEL_CALL_FAILED', undefined]);
    expect(new Set(roots().map((span) => span.spanContext().traceId)).size).toBe(2);
  });

  it('abort: items in flight end as aborted spans with error.type ABORTED; items never started make no span', async () => {
    const { agent, cheap, strong } = agentWithTelemetry();
    const controller = new AbortController();
    const running = runBatch(agent, ['slow 1', 'slow 2', 'slow 3', 'slow 4'], { concurrency: 2, abortSignal: controller.signal });
    await expect.poll(() => cheap.inFlight).toBe(2);
    controller.abort();
    const report = await running;
    expect(report.results.map((result) => result.status).sort()).toEqual(['aborted', 'aborted', 'skipped', 'skipped']);
    await expect.poll(() => roots().length).toBe(2);
    for (const root of roots()) {
      expect(root.attributes).toMatchObject({ 'cascade.outcome': 'aborted', 'error.type': 'ABORTED', 'cascade.mode': 'batch' });
      expect(root.status.code).toBe(SpanStatusCode.ERROR);
    }
    expect(strong.calls).toHaveLength(0);
    const requests = await otel.points('cascade.requests');
    expect(requests.map((point) => [point.attributes['cascade.outcome'], point.value])).toEqual([['aborted', 2]]);
    expect(await otel.points('cascade.denials')).toEqual([]);
  });

  it('an item timeout ends its span with error.type TIMEOUT, not as a plain abort', async () => {
    const { agent } = agentWithTelemetry();
    const report = await runBatch(agent, [{ input: 'slow one', timeoutMs: 20 }], { retries: 0 });
    expect(report.results[0]).toMatchObject({ status: 'timed-out', error: { code: 'TIMEOUT' } });
    await expect.poll(() => roots().length).toBe(1);
    expect(roots()[0]!.attributes).toMatchObject({ 'error.type': 'TIMEOUT', 'cascade.mode': 'batch' });
    expect(roots()[0]!.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('recordContent: each item span holds its own prompt and answer', async () => {
    const { agent } = agentWithTelemetry({ recordContent: true });
    await runBatch(agent, ['alpha question', 'beta question'], { concurrency: 2 });
    const contents = roots().map((span) => [String(span.attributes['gen_ai.input.messages']), String(span.attributes['gen_ai.output.messages'])]);
    expect(contents.map(([input]) => (input!.includes('alpha') ? 'alpha' : 'beta')).sort()).toEqual(['alpha', 'beta']);
    for (const [input, output] of contents) expect(output).toContain(input!.includes('alpha') ? 'answer: alpha question' : 'answer: beta question');
  });
});
