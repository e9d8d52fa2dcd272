import { type CascadeMiddleware, type QualityValidator, createCascadeAgent, createPricing, lastUserText } from '@cascade/core';
import { MockChatModel, type MockResponse } from '@cascade/core/test';

/** $1000 per 1M tokens in and out for `cheap`, $30000 for `strong`: 100 in + 50 out = $0.15 on cheap. */
export const pricing = createPricing({
  includeDefaults: false,
  prices: {
    cheap: { inputUsdPerMTok: 1000, outputUsdPerMTok: 1000 },
    strong: { inputUsdPerMTok: 30000, outputUsdPerMTok: 30000 },
  },
});

export const usage = { inputTokens: 100, outputTokens: 50 };

/** Passes drafts that do not contain "BAD". */
export const validator: QualityValidator = {
  name: 'test',
  validate: ({ draft, threshold }) => {
    const score = draft.text.includes('BAD') ? 0.1 : 0.9;
    return { score, passed: score >= threshold, signals: [], reason: score >= threshold ? 'fine' : 'contains BAD' };
  },
};

/** A cheap model answering `answer: <prompt>` after `latencyMs`, or what `script` says for a prompt. */
export function cheapModel(latencyMs = 10, script?: (prompt: string, call: number) => MockResponse | undefined): MockChatModel {
  return new MockChatModel({
    modelId: 'cheap',
    latencyMs,
    responses: (request, call) => script?.(lastUserText(request.messages), call) ?? { text: `answer: ${lastUserText(request.messages)}`, usage },
  });
}

export function strongModel(latencyMs = 10): MockChatModel {
  return new MockChatModel({ modelId: 'strong', latencyMs, responses: (request) => ({ text: `strong: ${lastUserText(request.messages)}`, usage }) });
}

/**
 * A one-tier agent (no validation: the only tier is final). The engine's own retries of a tier are off
 * (`policy.retry.maxAttempts: 1`) so that the batch's item retries are what the tests see.
 */
export function oneTierAgent(model: MockChatModel, middleware: CascadeMiddleware[] = []) {
  return createCascadeAgent({ models: [model], validator, pricing, middleware, complexityRouting: false, policy: { retry: { maxAttempts: 1 } } });
}

export function prompts(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `q${index}`);
}
