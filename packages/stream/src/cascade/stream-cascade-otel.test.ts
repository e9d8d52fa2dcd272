import { createCascadeAgent } from '@cascade/core';
import { createTelemetryMiddleware } from '@cascade/core/otel';
import { MockChatModel, collect } from '@cascade/core/test';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { emailRedactor, pricing, validator } from '../__fixtures__/agent-fixtures';
import { streamCascade } from './stream-cascade';

const usage = { inputTokens: 100, outputTokens: 50 };

function setup(cheapText: string, recordContent = false) {
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const cheap = new MockChatModel({ modelId: 'cheap', provider: 'openai', responses: [{ text: cheapText, usage }] });
  const strong = new MockChatModel({ modelId: 'strong', provider: 'openai', responses: [{ text: 'Strong: ada@example.com wrote it.', usage }] });
  const agent = createCascadeAgent({
    models: [cheap, strong], validator, pricing, learning: false,
    middleware: [emailRedactor(), createTelemetryMiddleware({ recordContent }, { tracerProvider })],
  });
  return { agent, spans: () => exporter.getFinishedSpans() };
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
});
