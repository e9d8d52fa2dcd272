import { MockChatModel } from '@cascade/core/test';
import { describe, expect, it } from 'vitest';
import { withRequestTap } from './with-request-tap';

describe('withRequestTap', () => {
  it('keeps supportsChoiceCount and passes choiceCount through', async () => {
    const inner = Object.assign(new MockChatModel({ modelId: 'cheap' }), { supportsChoiceCount: true });
    const seen: string[] = [];
    const wrapped = withRequestTap(inner, (modelId) => seen.push(modelId));
    expect(wrapped.supportsChoiceCount).toBe(true);
    await wrapped.doGenerate({ messages: [{ role: 'user', content: 'hi' }], choiceCount: 2 });
    expect(inner.calls[0]!.request.choiceCount).toBe(2);
    expect(seen).toEqual(['cheap']);
  });

  it('adds no capability the model lacks', () => {
    expect('supportsChoiceCount' in withRequestTap(new MockChatModel(), () => undefined)).toBe(false);
  });
});
