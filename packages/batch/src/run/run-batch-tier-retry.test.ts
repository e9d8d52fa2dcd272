import { createCascadeAgent } from '@cascade/core';
import { MockChatModel, mockProviderError } from '@cascade/core/test';
import { describe, expect, it } from 'vitest';
import { pricing, usage, validator } from '../__fixtures__/test-agent';
import { runBatch } from './run-batch';

describe('runBatch: the engine retries a tier inside each item, as run and streamCascade do', () => {
  it('an item whose cheap tier fails once is answered by the cheap tier on the first try of the item', async () => {
    let failed = false;
    const cheap = new MockChatModel({
      modelId: 'cheap',
      responses: (_request, call) => (call === 0 && !failed ? ((failed = true), { error: mockProviderError(429) }) : { text: 'cheap answer', usage }),
    });
    const strong = new MockChatModel({ modelId: 'strong', responses: [{ text: 'strong answer', usage }] });
    const waits: number[] = [];
    const agent = createCascadeAgent(
      { models: [cheap, strong], validator, pricing, learning: false, complexityRouting: false },
      { sleep: (ms) => (waits.push(ms), Promise.resolve()), random: () => 0.5 },
    );
    const report = await runBatch(agent, ['q'], { retries: 0 });
    expect(report.results[0]).toMatchObject({ status: 'ok', attempts: 1 });
    const result = report.results[0]!.result!;
    expect(result.modelId).toBe('cheap');
    expect(result.attempts.map((attempt) => [attempt.modelId, attempt.status, attempt.retry])).toEqual([['cheap', 'failed', undefined], ['cheap', 'accepted', 1]]);
    expect(strong.calls).toHaveLength(0);
    expect(waits).toEqual([125]);
  });
});
