import { createCascadeAgent } from '@cascade/core';
import { MockChatModel, collect, mockProviderError } from '@cascade/core/test';
import { describe, expect, it } from 'vitest';
import { pricing, validator } from '../__fixtures__/agent-fixtures';
import { streamCascade } from './stream-cascade';

const usage = { inputTokens: 20, outputTokens: 10 };

function setup(cheapResponses: NonNullable<ConstructorParameters<typeof MockChatModel>[0]>['responses']) {
  const cheap = new MockChatModel({ modelId: 'cheap', responses: cheapResponses });
  const strong = new MockChatModel({ modelId: 'strong', responses: [{ chunks: ['Strong: ', '391.'], usage }] });
  const waits: number[] = [];
  const sleep = (ms: number): Promise<void> => (waits.push(ms), Promise.resolve());
  const agent = createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: false }, { sleep, random: () => 0.5 });
  return { cheap, strong, agent, waits };
}

describe('streamCascade: retries of the same tier, as run does', () => {
  it('retries a transient failure before the first chunk on the same tier, without escalating', async () => {
    const { agent, cheap, strong, waits } = setup([{ error: mockProviderError(503) }, { chunks: ['The answer ', 'is 391.'], usage }]);
    const stream = streamCascade(agent, 'q', { mode: 'buffered' });
    const events = await collect(stream);
    const result = await stream.result;
    expect(result.text).toBe('The answer is 391.');
    expect(cheap.calls).toHaveLength(2);
    expect(strong.calls).toHaveLength(0);
    expect(waits).toEqual([125]);
    expect(result.attempts.map((attempt) => [attempt.status, attempt.retry])).toEqual([['failed', undefined], ['accepted', 1]]);
    expect(events.filter((event) => event.type === 'attempt-start').map((event) => event.type === 'attempt-start' && event.modelId)).toEqual(['cheap', 'cheap']);
    // run gives the same attempts for the same script.
    const again = setup([{ error: mockProviderError(503) }, { chunks: ['The answer ', 'is 391.'], usage }]);
    expect((await again.agent.run('q')).attempts.map((attempt) => [attempt.status, attempt.retry])).toEqual([['failed', undefined], ['accepted', 1]]);
  });

  it('a failure mid-stream is retried too: the switch to the same tier tells the client to drop the partial text', async () => {
    const { agent, cheap, strong } = setup([
      { chunks: ['partial ', 'text ', 'more'], streamErrorAfterChunks: { chunks: 2, error: mockProviderError(502) } },
      { chunks: ['The answer ', 'is 391.'], usage },
    ]);
    const stream = streamCascade(agent, 'q', { mode: 'optimistic' });
    const events = await collect(stream);
    expect(events.find((event) => event.type === 'switch')).toMatchObject({ from: 'cheap', to: 'cheap', reason: 'failed', discardText: true });
    const result = await stream.result;
    expect(result.text).toBe('The answer is 391.');
    expect(cheap.calls).toHaveLength(2);
    expect(strong.calls).toHaveLength(0);
    // The failed call's streamed tokens are billed (estimated) and counted in the total.
    expect(result.attempts[0]!.costUsd).toBeGreaterThan(0);
    expect(result.costUsd).toBeCloseTo(result.attempts[0]!.costUsd + result.attempts[1]!.costUsd, 12);
  });

  it('falls through after maxAttempts, and never retries a non-transient error', async () => {
    const spent = setup([{ error: mockProviderError(500) }]);
    const result = await streamCascade(spent.agent, 'q').result;
    expect(result.modelId).toBe('strong');
    expect(spent.cheap.calls).toHaveLength(2);
    const bad = setup([{ error: mockProviderError(400) }]);
    expect((await streamCascade(bad.agent, 'q').result).modelId).toBe('strong');
    expect(bad.cheap.calls).toHaveLength(1);
    expect(bad.waits).toEqual([]);
  });
});
