import { createCascadeAgent, createPricing } from '@cascade/core';
import { createTelemetryMiddleware } from '@cascade/core/otel';
import { MockChatModel, mockProviderError } from '@cascade/core/test';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { runBatch } from './run-batch';

const pricing = createPricing({ includeDefaults: false, prices: { cheap: { inputUsdPerMTok: 1, outputUsdPerMTok: 1 }, strong: { inputUsdPerMTok: 30, outputUsdPerMTok: 30 } } });

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
});
