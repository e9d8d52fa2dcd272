import { describe, expect, it } from 'vitest';
import { sampleDrafts } from '../learning/sample-drafts';
import type { ChatRequest } from '../model/chat-request';
import { MockChatModel } from './mock-chat-model';

const question: ChatRequest = { messages: [{ role: 'user', content: 'How many apples are left if Tom has 5 and eats 2?' }] };
const answers = [
  { text: '#### 3', usage: { inputTokens: 10, outputTokens: 4 } },
  { text: '#### 4', usage: { inputTokens: 10, outputTokens: 5 } },
  { text: '#### 3', usage: { inputTokens: 10, outputTokens: 6 } },
];

describe('MockChatModel with supportsChoiceCount', () => {
  it('answers k scripted choices in one call: input billed once, every output counted', async () => {
    const model = new MockChatModel({ modelId: 'cheap', supportsChoiceCount: true, responses: answers });
    expect(model.supportsChoiceCount).toBe(true);
    const result = await model.doGenerate({ ...question, choiceCount: 3 });
    expect(model.calls).toHaveLength(1);
    expect(result.text).toBe('#### 3');
    expect(result.choices?.map((choice) => choice.text)).toEqual(['#### 3', '#### 4', '#### 3']);
    expect(result.usage).toMatchObject({ inputTokens: 10, outputTokens: 15 });
    expect(result.choices![0]).not.toHaveProperty('usage');
  });

  it('drives sampled agreement through one call', async () => {
    const model = new MockChatModel({ modelId: 'cheap', supportsChoiceCount: true, responses: answers });
    const sampled = await sampleDrafts(model, question, 3, undefined);
    expect(model.calls).toHaveLength(1);
    expect(sampled.agreement).toMatchObject({ agreeing: 2, samples: 3 });
    expect(sampled.usage.outputTokens).toBe(15);
  });

  it('without the option: no capability (so wrappers do not claim it) and one answer per call', async () => {
    const model = new MockChatModel({ modelId: 'cheap', responses: answers });
    expect('supportsChoiceCount' in model).toBe(false);
    const result = await model.doGenerate({ ...question, choiceCount: 3 });
    expect(result.choices).toBeUndefined();
    const next = await model.doGenerate(question);
    expect(next.text).toBe('#### 4');
  });
});
