import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createCascadeAgent } from '../engine/create-cascade-agent';
import type { ChatRequest } from '../model/chat-request';
import { createOpenAIChatModel } from '../openai/openai-chat-model';
import { createPricing } from '../pricing/pricing';
import type { QualityValidator } from '../quality/quality-validator';
import { type FakeOpenAIServer, createFakeOpenAIServer } from '../test/fake-openai-server/fake-openai-server';
import { MockChatModel } from '../test/mock-chat-model';
import { collect } from '../test/stream-helpers';
import { sampleDrafts } from './sample-drafts';

// The request mapping of the live signals through the real openai SDK against the fake server on loopback.
const pricing = createPricing({ includeDefaults: false, prices: { cheap: { inputUsdPerMTok: 1, outputUsdPerMTok: 2 }, strong: { inputUsdPerMTok: 10, outputUsdPerMTok: 30 } } });
const validator: QualityValidator = { name: 'flat', validate: () => ({ score: 0.5, passed: true, signals: [], reason: 'flat' }) };
const question: ChatRequest = { messages: [{ role: 'user', content: 'How many apples are left if Tom has 5 and eats 2?' }], maxOutputTokens: 50 };

type Body = Record<string, unknown>;

describe('live signals over HTTP (openai SDK → fake server)', () => {
  let server: FakeOpenAIServer;
  const model = (modelId: string, supportsChoiceCount?: boolean) =>
    createOpenAIChatModel({ modelId, baseURL: server.url, apiKey: 'test-key', ...(supportsChoiceCount !== undefined ? { supportsChoiceCount } : {}) });
  const bodies = (modelId: string): Body[] => server.requests.map((record) => record.body as Body).filter((body) => body.model === modelId);

  beforeAll(async () => {
    server = await createFakeOpenAIServer({ chat: { byModel: { strong: 'The answer is 3.' } } });
  });
  beforeEach(() => server.reset());
  afterAll(() => server.close());

  it('maps choiceCount to n and returns every choice, usage covering them all', async () => {
    server.queueChatReplies({ text: '#### 3', alternatives: ['#### 4', 'So 3. #### 3'], tokenLogprob: -0.05 });
    const result = await model('cheap', true).doGenerate({ ...question, choiceCount: 3, logprobs: true });
    expect(bodies('cheap')[0]).toMatchObject({ n: 3, logprobs: true });
    expect(result.choices!.map((choice) => choice.text)).toEqual(['#### 3', '#### 4', 'So 3. #### 3']);
    expect(result.text).toBe('#### 3');
    expect(result.choices!.every((choice) => choice.logprobs!.every((entry) => entry.logprob === -0.05))).toBe(true);
    // One prompt, three answers: the completion tokens of all of them.
    expect(result.usage.outputTokens).toBeGreaterThan(result.choices!.length * 2);
    // A stream carries one answer: n is never sent.
    await collect(model('cheap', true).doStream({ ...question, choiceCount: 3 }));
    expect(bodies('cheap')[1]!.n).toBeUndefined();
  });

  it('sends one n request per draft where the model supports it, logprobs to drafters only', async () => {
    server.queueChatReplies({ text: '#### 3', alternatives: ['#### 3', '#### 3'] });
    const agent = createCascadeAgent({ models: [model('cheap', true), model('strong')], validator, pricing, learning: { signals: { agreement: true, logprobs: true } } });
    const result = await agent.run(question);
    expect(bodies('cheap')).toHaveLength(1);
    expect(bodies('cheap')[0]).toMatchObject({ n: 3, logprobs: true });
    const strong = bodies('strong')[0]!;
    expect(strong.n).toBeUndefined();
    expect(strong.logprobs).toBeUndefined();
    const draft = result.attempts[0]!;
    expect(draft).toMatchObject({ modelId: 'cheap', samples: 3, status: 'escalated' });
    // The attempt is charged what the provider reported for the whole n call.
    expect(draft.usage.source).toBe('provider');
    expect(result.learning!.signals).toMatchObject({ used: ['validator', 'logprobs', 'agreement'], agreement: { agreeing: 3, samples: 3 } });
    expect(result.learning!.signals!.meanTokenProbability!).toBeCloseTo(Math.exp(-0.01), 6);
    await agent.close();
  });

  it('makes k parallel calls without n where the model does not support it (the default off OpenAI)', async () => {
    const agent = createCascadeAgent({ models: [model('cheap'), model('strong')], validator, pricing, learning: { signals: { agreement: { samples: 4 } } } });
    server.setChatHandler((request) => (request.model === 'cheap' ? '#### 3' : 'The answer is 3.'));
    const result = await agent.run(question);
    expect(bodies('cheap')).toHaveLength(4);
    expect(bodies('cheap').every((body) => body.n === undefined && body.logprobs === undefined)).toBe(true);
    const one = (await model('cheap').doGenerate(question)).usage;
    expect(result.attempts[0]).toMatchObject({ samples: 4, usage: { inputTokens: 4 * one.inputTokens, outputTokens: 4 * one.outputTokens } });
    expect(result.costUsd).toBeCloseTo(4 * pricing.costOf('cheap', one) + result.attempts[1]!.costUsd, 12);
    await agent.close();
  });
});

describe('sampleDrafts', () => {
  it('tops up with parallel calls when a provider that claims n returns fewer answers, and charges all of them', async () => {
    const cheap = Object.assign(new MockChatModel({ modelId: 'cheap', responses: [{ text: '#### 4', usage: { inputTokens: 10, outputTokens: 5 } }, { text: '#### 3', usage: { inputTokens: 10, outputTokens: 5 } }] }), { supportsChoiceCount: true });
    const sampled = await sampleDrafts(cheap, question, 3, undefined);
    expect(cheap.calls).toHaveLength(3);
    expect(cheap.requests[0]!.choiceCount).toBe(3);
    expect(cheap.requests[1]!.choiceCount).toBeUndefined();
    expect(sampled.usage).toMatchObject({ inputTokens: 30, outputTokens: 15 });
    expect(sampled.draft.text).toBe('#### 3');
    expect(sampled.agreement).toMatchObject({ agreeing: 2, samples: 3 });
  });

  it('keeps the drafts that came back when some parallel calls fail, and throws when all fail', async () => {
    const flaky = new MockChatModel({ modelId: 'cheap', responses: [{ text: '#### 3' }, { error: new Error('boom') }, { text: '#### 3' }] });
    const sampled = await sampleDrafts(flaky, question, 3, undefined);
    expect(sampled.samples).toBe(2);
    expect(sampled.agreement).toMatchObject({ agreeing: 2, samples: 2 });
    const broken = new MockChatModel({ modelId: 'cheap', responses: [{ error: new Error('down') }] });
    await expect(sampleDrafts(broken, question, 3, undefined)).rejects.toThrow('down');
  });

  it('passes the abort signal to every sample and never answers an aborted request', async () => {
    const slow = new MockChatModel({ modelId: 'cheap', latencyMs: 5_000, responses: [{ text: '#### 3' }] });
    const controller = new AbortController();
    const pending = sampleDrafts(slow, question, 3, { abortSignal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
    expect(slow.calls.every((call) => call.aborted && call.settled)).toBe(true);
  });
});
