import { describe, expect, it } from 'vitest';
import { tierPricing as pricing } from '../engine/__fixtures__/tier-pricing';
import { MockChatModel } from '../test/mock-chat-model';
import { createModelJudge } from './model-judge';

const request = { messages: [{ role: 'user' as const, content: 'Write a haiku about rain.' }] };

describe('createModelJudge', () => {
  it('asks the model to score both answers and prices the call', async () => {
    const model = new MockChatModel({ modelId: 'strong', responses: [{ text: '{"a": 7, "b": 9.5}', usage: { inputTokens: 1000, outputTokens: 10 } }] });
    const judge = createModelJudge({ model, pricing });
    const scores = await judge.judge({ request, draft: 'Rain on the roof', reference: 'Soft rain, quiet street' });
    expect(scores).toEqual({ draftScore: 0.7, referenceScore: 0.95, costUsd: pricing.costOf('strong', { inputTokens: 1000, outputTokens: 10, source: 'provider' }) });
    const prompt = model.requests[0]!.messages[0]!.content as string;
    expect(prompt).toContain('Answer A:\nRain on the roof');
    expect(prompt).toContain('Answer B:\nSoft rain, quiet street');
  });

  it('fails typed on an unreadable verdict instead of guessing, and rejects bad options', async () => {
    const model = new MockChatModel({ modelId: 'strong', responses: [{ text: 'Both are lovely.' }] });
    await expect(createModelJudge({ model }).judge({ request, draft: 'a', reference: 'b' })).rejects.toMatchObject({ code: 'MODEL_CALL_FAILED' });
    expect(() => createModelJudge({ model: {} as never })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });
});
