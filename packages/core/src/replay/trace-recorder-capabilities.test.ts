import { describe, expect, it } from 'vitest';
import { sampleDrafts } from '../learning/sample-drafts';
import { MockChatModel } from '../test/mock-chat-model';
import { createTraceRecorder } from './trace-recorder';

const request = { messages: [{ role: 'user' as const, content: 'What is 2+2?' }] };

describe('createTraceRecorder wrap: optional capabilities', () => {
  it('keeps supportsChoiceCount, so sampling through the recorder asks for k choices in one call', async () => {
    const inner = Object.assign(new MockChatModel({ modelId: 'cheap', responses: [{ text: '4', usage: { inputTokens: 10, outputTokens: 1 } }] }), { supportsChoiceCount: true });
    const wrapped = createTraceRecorder({ sink: () => undefined }).wrap(inner);
    expect(wrapped.supportsChoiceCount).toBe(true);
    await sampleDrafts(wrapped, request, 3, undefined);
    // The mock returns one choice, so two top-up calls follow; without the capability none carries choiceCount.
    expect(inner.calls[0]!.request.choiceCount).toBe(3);
  });

  it('adds no capability the model lacks', async () => {
    const inner = new MockChatModel({ modelId: 'cheap' });
    const wrapped = createTraceRecorder({ sink: () => undefined }).wrap(inner);
    expect('supportsChoiceCount' in wrapped).toBe(false);
    await sampleDrafts(wrapped, request, 3, undefined);
    expect(inner.calls.map((call) => call.request.choiceCount)).toEqual([undefined, undefined, undefined]);
  });
});
