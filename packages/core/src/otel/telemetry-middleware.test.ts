import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { createCascadeAgent } from '../engine/create-cascade-agent';
import { tierPricing as pricing } from '../engine/__fixtures__/tier-pricing';
import type { CascadeMiddleware } from '../pipeline/middleware';
import type { QualityValidator } from '../quality/quality-validator';
import { MockChatModel, mockProviderError } from '../test/mock-chat-model';
import { inMemoryOtel } from './__fixtures__/in-memory-otel';
import { createTelemetryMiddleware } from './telemetry-middleware';

const validator: QualityValidator = {
  name: 'test',
  validate: ({ draft, threshold }) => {
    const score = draft.text.includes('BAD') ? 0.1 : 0.9;
    return { score, passed: score >= threshold, signals: [], reason: score >= threshold ? 'looks fine' : 'contains BAD' };
  },
};
const usage = { inputTokens: 100, outputTokens: 50 };
const SECRET = 'my card is 4111 1111 1111 1111';

let otel = inMemoryOtel();
afterEach(async () => {
  await otel.shutdown();
  otel = inMemoryOtel();
});

function agentWith(cheapText: string, extra: { middleware?: CascadeMiddleware[]; recordContent?: boolean; strongError?: boolean; cheapError?: boolean } = {}) {
  const cheap = new MockChatModel({ modelId: 'cheap', provider: 'openai', responses: [extra.cheapError ? { error: mockProviderError(503) } : { text: cheapText, usage }] });
  const strong = new MockChatModel({ modelId: 'strong', provider: 'openai', responses: [extra.strongError ? { error: mockProviderError(500) } : { text: 'strong answer', usage }] });
  const telemetry = createTelemetryMiddleware({ recordPrincipal: 'ids', ...(extra.recordContent ? { recordContent: true } : {}) }, otel);
  // Retries off: one span per tier (retried calls get spans of their own).
  return createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: false, policy: { retry: { maxAttempts: 1 } }, middleware: [...(extra.middleware ?? []), telemetry] });
}

const nanos = ([seconds, nanoseconds]: readonly [number, number]): bigint => BigInt(seconds) * 1_000_000_000n + BigInt(nanoseconds);
const contentKeys = (attributes: Record<string, unknown>): string[] => Object.keys(attributes).filter((key) => key === 'gen_ai.input.messages' || key === 'gen_ai.output.messages');

describe('createTelemetryMiddleware', () => {
  it('accept: one cascade span with one chat child, GenAI attributes, the verdict as an evaluation event, metrics', async () => {
    const agent = agentWith('good answer');
    const result = await agent.run({ messages: [{ role: 'user', content: SECRET }], maxOutputTokens: 200, temperature: 0.2 }, { principal: { userId: 'u1', tier: 'pro' } });
    const root = otel.span('invoke_agent cascade');
    const chat = otel.span('chat cheap');
    expect(chat.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
    expect(chat.kind).toBe(SpanKind.CLIENT);
    expect(chat.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'cheap', 'gen_ai.response.model': 'cheap',
      'gen_ai.usage.input_tokens': 100, 'gen_ai.usage.output_tokens': 50, 'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.request.max_tokens': 200, 'gen_ai.request.temperature': 0.2, 'cascade.tier': 0, 'cascade.attempt.status': 'accepted',
    });
    const evaluation = chat.events.find((event) => event.name === 'gen_ai.evaluation.result');
    expect(evaluation?.attributes).toMatchObject({ 'gen_ai.evaluation.name': 'cascade.quality', 'gen_ai.evaluation.score.value': 0.9, 'gen_ai.evaluation.score.label': 'pass' });
    expect(root.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent', 'gen_ai.response.model': 'cheap', 'cascade.decision': 'accepted', 'cascade.tier': 0,
      'cascade.outcome': 'success', 'cascade.quality.score': 0.9, 'cascade.user.id': 'u1', 'cascade.user.tier': 'pro', 'cascade.escalated': false,
    });
    expect(root.attributes['cascade.cost_usd']).toBeCloseTo(result.costUsd);
    expect(root.attributes['cascade.savings']).toBeCloseTo(result.savings);
    expect(root.status.code).not.toBe(SpanStatusCode.ERROR);
    // The chat span lies within the request span (latency is on the monotonic clock, span times on the wall clock).
    expect(nanos(chat.startTime)).toBeGreaterThanOrEqual(nanos(root.startTime));
    expect(nanos(chat.endTime)).toBeLessThanOrEqual(nanos(root.endTime));
    // No content unless opted in: neither as a content attribute nor anywhere in a value.
    for (const span of otel.spans()) {
      expect(contentKeys(span.attributes)).toEqual([]);
      expect(JSON.stringify(span.attributes)).not.toContain('4111');
    }
    const tokens = await otel.points('gen_ai.client.token.usage');
    expect(tokens.map((point) => [point.attributes['gen_ai.token.type'], (point.value as { sum: number }).sum]).sort()).toEqual([['input', 100], ['output', 50]]);
    expect(tokens[0]!.attributes).toMatchObject({ 'gen_ai.operation.name': 'chat', 'gen_ai.provider.name': 'openai', 'gen_ai.request.model': 'cheap' });
    expect(await otel.points('gen_ai.client.operation.duration')).toHaveLength(1);
    expect((await otel.points('cascade.drafts.accepted')).map((point) => point.value)).toEqual([1]);
    expect((await otel.points('cascade.request.cost'))[0]!.value).toBeCloseTo(result.costUsd);
    expect((await otel.points('cascade.request.savings'))[0]!.value).toBeCloseTo(result.baselineCostUsd - result.costUsd);
  });

  it('escalate: two chat spans, a failing evaluation, the escalation counted', async () => {
    const agent = agentWith('BAD answer');
    await agent.run('hard question');
    const cheap = otel.span('chat cheap');
    expect(cheap.attributes['cascade.attempt.status']).toBe('escalated');
    expect(cheap.events.find((event) => event.name === 'gen_ai.evaluation.result')?.attributes?.['gen_ai.evaluation.score.label']).toBe('fail');
    expect(otel.span('chat strong').attributes['cascade.attempt.status']).toBe('final');
    expect(otel.span('invoke_agent cascade').attributes).toMatchObject({ 'cascade.decision': 'final', 'cascade.tier': 1, 'cascade.escalated': true, 'gen_ai.response.model': 'strong' });
    expect((await otel.points('cascade.drafts.escalated')).map((point) => point.value)).toEqual([1]);
  });

  it('error: failed calls carry error.type and ERROR status; the request span too', async () => {
    const agent = agentWith('x', { cheapError: true, strongError: true });
    await expect(agent.run('hello')).rejects.toMatchObject({ code: 'ALL_MODELS_FAILED' });
    const cheap = otel.span('chat cheap');
    expect(cheap.status.code).toBe(SpanStatusCode.ERROR);
    expect(cheap.attributes['error.type']).toBe('MODEL_CALL_FAILED');
    const root = otel.span('invoke_agent cascade');
    expect(root.status.code).toBe(SpanStatusCode.ERROR);
    expect(root.attributes).toMatchObject({ 'error.type': 'ALL_MODELS_FAILED', 'cascade.outcome': 'error' });
    const durations = await otel.points('gen_ai.client.operation.duration');
    expect(durations.map((point) => point.attributes['error.type'])).toEqual(['MODEL_CALL_FAILED', 'MODEL_CALL_FAILED']);
  });

  it('abort: the request span ends with outcome aborted', async () => {
    const cheap = new MockChatModel({ modelId: 'cheap', responses: [{ text: 'slow', latencyMs: 10_000 }] });
    const strong = new MockChatModel({ modelId: 'strong' });
    const agent = createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: false, middleware: [createTelemetryMiddleware({}, otel)] });
    const controller = new AbortController();
    const running = agent.run('hello', { abortSignal: controller.signal });
    setTimeout(() => controller.abort(), 5);
    await expect(running).rejects.toMatchObject({ code: 'ABORTED' });
    const root = otel.span('invoke_agent cascade');
    expect(root.attributes).toMatchObject({ 'cascade.outcome': 'aborted', 'error.type': 'ABORTED' });
    expect(strong.calls).toHaveLength(0);
  });

  it('denial: limit decisions and guardrail findings are events with no matched values; denials counted', async () => {
    const limiter: CascadeMiddleware = { name: 'limits', admit: () => ({ allowed: false, code: 'RATE_LIMITED', reason: 'requestsPerMinute 1 reached', retryAfterMs: 500 }) };
    const agent = agentWith('good', { middleware: [limiter] });
    await expect(agent.run('hello', { principal: { userId: 'u1', tier: 'free' } })).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    const root = otel.span('invoke_agent cascade');
    expect(root.attributes['cascade.outcome']).toBe('denied');
    expect(root.events.find((event) => event.name === 'cascade.limit.decision')?.attributes).toMatchObject({
      'cascade.limit.middleware': 'limits', 'cascade.limit.allowed': false, 'cascade.limit.code': 'RATE_LIMITED', 'cascade.limit.retry_after_ms': 500,
    });
    expect(otel.spans().filter((span) => span.name.startsWith('chat'))).toHaveLength(0);
    expect((await otel.points('cascade.denials'))[0]).toMatchObject({ value: 1, attributes: { 'error.type': 'RATE_LIMITED', 'cascade.user.tier': 'free' } });

    const guard: CascadeMiddleware = {
      name: 'guardrails',
      guardInput: (_context, request) => ({ action: 'modify', value: request, findings: [{ guard: 'pii', type: 'CREDIT_CARD', action: 'redact', start: 11, end: 30, detail: '4111 1111 1111 1111' }] }),
    };
    await agentWith('good', { middleware: [guard] }).run(SECRET);
    const guarded = otel.spans().filter((span) => span.name === 'invoke_agent cascade')[1]!;
    const finding = guarded.events.find((event) => event.name === 'cascade.guardrail.finding');
    expect(finding?.attributes).toMatchObject({ 'cascade.guardrail.guard': 'pii', 'cascade.guardrail.type': 'CREDIT_CARD', 'cascade.guardrail.action': 'redact', 'cascade.guardrail.phase': 'input' });
    expect(JSON.stringify(finding?.attributes)).not.toContain('4111');
  });

  it('content only when opted in', async () => {
    await agentWith('the answer', { recordContent: true }).run('what is it?');
    const root = otel.span('invoke_agent cascade');
    expect(String(root.attributes['gen_ai.input.messages'])).toContain('what is it?');
    expect(String(root.attributes['gen_ai.output.messages'])).toContain('the answer');
    expect(String(otel.span('chat cheap').attributes['gen_ai.input.messages'])).toContain('what is it?');
  });

  it('with no SDK registered, the global API is a no-op and requests still succeed', async () => {
    const cheap = new MockChatModel({ modelId: 'cheap' });
    const agent = createCascadeAgent({ models: [cheap, new MockChatModel({ modelId: 'strong' })], validator, pricing, learning: false, middleware: [createTelemetryMiddleware()] });
    await expect(agent.run('hello')).resolves.toMatchObject({ modelId: 'cheap' });
    expect(otel.spans()).toHaveLength(0);
  });

  it('an observer that throws never fails the request', async () => {
    const broken: CascadeMiddleware = { name: 'broken', onEnd: () => { throw new Error('boom'); } };
    await expect(agentWith('good', { middleware: [broken] }).run('hello')).resolves.toMatchObject({ modelId: 'cheap' });
    expect(otel.spans().length).toBe(2);
  });

  it('recordPrincipal ids: the caller\'s user id hint is recorded when no middleware resolved a principal; the default records none', async () => {
    await agentWith('good').run('hello', { userId: 'hint_1' });
    expect(otel.span('invoke_agent cascade').attributes['cascade.user.id']).toBe('hint_1');
    const cheap = new MockChatModel({ modelId: 'cheap' });
    const byDefault = createCascadeAgent({ models: [cheap, new MockChatModel({ modelId: 'strong' })], validator, pricing, learning: false, middleware: [createTelemetryMiddleware({}, otel)] });
    await byDefault.run('hello', { userId: 'hint_2' });
    expect(JSON.stringify(otel.spans().map((span) => span.attributes))).not.toContain('hint_2');
  });

  it('rejects unknown config fields', () => {
    expect(() => createTelemetryMiddleware({ recordContents: true } as never)).toThrow(/recordContents/);
  });
});

describe('a request refused after admission', () => {
  it('frees its reservation once and is reported (a guard made the prompt too expensive for the cap)', async () => {
    const settled: string[] = [];
    const reports: string[] = [];
    const limiter: CascadeMiddleware = { name: 'limits', admit: () => ({ allowed: true, reservation: { settle: (info) => void settled.push(info.outcome) } }) };
    const expander: CascadeMiddleware = {
      name: 'expander',
      guardInput: (_context, request) => ({ action: 'modify', value: { ...request, messages: [{ role: 'user', content: 'word '.repeat(20_000) }] }, findings: [] }),
    };
    const observer: CascadeMiddleware = { name: 'observer', onEnd: (report) => void reports.push(`${report.outcome}:${report.error?.code}`) };
    const cheap = new MockChatModel({ modelId: 'cheap' });
    const agent = createCascadeAgent({
      models: [cheap, new MockChatModel({ modelId: 'strong' })], validator, pricing, learning: false,
      policy: { maxCostPerRequestUsd: 0.001 }, middleware: [limiter, expander, observer],
    });
    await expect(agent.run({ messages: [{ role: 'user', content: 'hi' }], maxOutputTokens: 10 })).rejects.toMatchObject({ code: 'BUDGET_EXCEEDED' });
    expect(settled).toEqual(['error']);
    expect(reports).toEqual(['denied:BUDGET_EXCEEDED']);
    expect(cheap.calls).toHaveLength(0);
  });
});

describe('telemetry under a compliance regime', () => {
  it('records no content and no user ids even when configured to, and names the mode', async () => {
    const regime: CascadeMiddleware = { name: 'compliance', resolve: () => ({ policy: { compliance: { mode: 'hipaa', models: ['cheap', 'strong'] } } }) };
    const guard: CascadeMiddleware = { name: 'guard', guardInput: () => ({ action: 'allow' }), guardOutput: () => ({ action: 'allow' }) };
    await agentWith('good answer', { middleware: [regime, guard], recordContent: true }).run('private question', { principal: { userId: 'patient_7', tier: 'pro' } });
    const root = otel.span('invoke_agent cascade');
    expect(root.attributes['cascade.compliance.mode']).toBe('hipaa');
    expect(root.attributes['cascade.user.tier']).toBe('pro');
    for (const span of otel.spans()) {
      expect(contentKeys(span.attributes)).toEqual([]);
      expect(JSON.stringify(span.attributes)).not.toContain('patient_7');
      expect(JSON.stringify(span.attributes)).not.toContain('private question');
    }
  });
});
