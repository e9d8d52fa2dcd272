import { countMessageTokens, createPricing } from '@cascade/core';
import { parseTraces } from '@cascade/core/replay';
import { describe, expect, it } from 'vitest';
import { JUDGE_OUTPUT_TOKENS, createRecordedJudge, judgeMessages } from './recorded-judge';

const traces = parseTraces(
  JSON.stringify({ id: 't1', dataset: 'mt-bench', prompt: 'Write a haiku about rain.', responses: { cheap: { text: 'Rain falls soft', score: 0.6 }, strong: { text: 'Grey clouds weep softly', score: 0.9 } } }),
  'inline',
);
const pricing = createPricing({ prices: { cheap: { inputUsdPerMTok: 1, outputUsdPerMTok: 1 }, strong: { inputUsdPerMTok: 10, outputUsdPerMTok: 30 } }, includeDefaults: false });

describe('createRecordedJudge', () => {
  it('returns the recorded scores of both answers, priced as a strong-model judge call on the prompt and both answers', async () => {
    const judge = createRecordedJudge({ traces, judgeModelId: 'strong', pricing });
    const request = { messages: [{ role: 'user' as const, content: 'Write a  haiku about rain.' }] };
    const verdict = await judge.judge({ request, draft: 'Rain falls soft', reference: 'Grey clouds weep softly' });
    const inputTokens = countMessageTokens(judgeMessages('Write a  haiku about rain.', 'Rain falls soft', 'Grey clouds weep softly'));
    expect(verdict.draftScore).toBe(0.6);
    expect(verdict.referenceScore).toBe(0.9);
    expect(verdict.costUsd).toBeCloseTo((inputTokens * 10 + JUDGE_OUTPUT_TOKENS * 30) / 1e6, 12);
    expect(judge.calls).toBe(1);
    expect(judge.costUsd).toBe(verdict.costUsd);
  });

  it('rejects answers and prompts it has no recording of', async () => {
    const judge = createRecordedJudge({ traces, judgeModelId: 'strong', pricing });
    const request = { messages: [{ role: 'user' as const, content: 'Write a haiku about rain.' }] };
    await expect(judge.judge({ request, draft: 'invented', reference: 'Grey clouds weep softly' })).rejects.toThrow(/no recorded score/);
    await expect(judge.judge({ request: { messages: [{ role: 'user', content: 'other' }] }, draft: 'a', reference: 'b' })).rejects.toThrow(/No trace/);
    expect(judge.calls).toBe(0);
  });
});
