import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOpenAIChatModel } from '../openai/openai-chat-model';
import { createPricing } from '../pricing/pricing';
import type { QualityValidator } from '../quality/quality-validator';
import { type FakeOpenAIServer, createFakeOpenAIServer } from '../test/fake-openai-server/fake-openai-server';
import { createCascadeAgent } from './create-cascade-agent';

// The engine through the real openai SDK against a fake server on loopback: what the server sees
// proves that timeouts and aborts cancel the HTTP request.
const validator: QualityValidator = {
  name: 'rejects-unsure',
  validate: ({ draft, threshold }) => {
    const score = /not sure/i.test(draft.text) ? 0.1 : 0.9;
    return { score, passed: score >= threshold, signals: [], reason: score >= threshold ? 'confident' : 'hedged' };
  },
};
const pricing = createPricing({ includeDefaults: false, prices: { cheap: { inputUsdPerMTok: 1, outputUsdPerMTok: 2 }, strong: { inputUsdPerMTok: 10, outputUsdPerMTok: 30 } } });

describe('engine over HTTP (openai SDK → fake server)', () => {
  let server: FakeOpenAIServer;
  const agent = (attemptTimeoutMs?: number) => {
    const model = (modelId: string) => createOpenAIChatModel({ modelId, baseURL: server.url, apiKey: 'test-key' });
    return createCascadeAgent({ models: [model('cheap'), model('strong')], validator, pricing, learning: false, ...(attemptTimeoutMs ? { attemptTimeoutMs } : {}) });
  };

  beforeAll(async () => {
    server = await createFakeOpenAIServer({ chat: { byModel: { cheap: 'I am not sure, maybe 41?', strong: 'It is 42.' } } });
  });
  beforeEach(() => server.reset());
  afterAll(() => server.close());

  it('escalates over HTTP with provider-reported usage and cost', async () => {
    const result = await agent().run('What is 6 * 7?');
    expect(result.text).toBe('It is 42.');
    expect(result.attempts.map((a) => a.status)).toEqual(['escalated', 'final']);
    expect(result.attempts.every((a) => a.usage.source === 'provider' && a.usage.outputTokens > 0)).toBe(true);
    expect(server.requests.map((r) => (r.body as { model: string }).model)).toEqual(['cheap', 'strong']);
  });

  it('a caller abort cancels the HTTP request in flight and calls no other tier', async () => {
    server.injectFault({ latencyMs: 30_000 });
    const controller = new AbortController();
    const pending = agent().run('What is 6 * 7?', { abortSignal: controller.signal });
    await server.waitFor((stats) => stats.inFlight === 1);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
    await server.waitFor((stats) => stats.closedByClient === 1);
    expect(server.requests).toHaveLength(1);
  });

  it('an attempt timeout closes the slow request and falls through to the next tier', async () => {
    server.injectFault({ latencyMs: 30_000 });
    const result = await agent(200).run('What is 6 * 7?');
    expect(result.modelId).toBe('strong');
    expect(result.attempts[0]!.error?.code).toBe('TIMEOUT');
    await server.waitFor((stats) => stats.closedByClient === 1);
    expect(server.requests[0]!.closedByClient).toBe(true);
  });

  it('a 429 on the drafter falls through with the Retry-After fact kept', async () => {
    server.injectFault({ status: 429, retryAfterSeconds: 7 });
    const result = await agent().run('What is 6 * 7?');
    expect(result.modelId).toBe('strong');
    expect(result.attempts[0]!.error).toMatchObject({ statusCode: 429, retryable: true, retryAfterMs: 7000 });
  });

  it('a non-JSON body is a typed error saying what happened, and the cascade survives it', async () => {
    server.injectFault({ malformedBody: true });
    const result = await agent().run('What is 6 * 7?');
    expect(result.attempts[0]!.status).toBe('failed');
    expect(result.attempts[0]!.error?.code).toBe('MODEL_CALL_FAILED');
    expect(result.attempts[0]!.error?.message).toMatch(/unparseable|not JSON|malformed/i);
  });
});
