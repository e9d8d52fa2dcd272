import { describe, expect, it } from 'vitest';
import { createCascadeAgent } from '../engine/create-cascade-agent';
import type { SettleInfo } from '../pipeline/middleware';
import { createPricing } from '../pricing/pricing';
import { MockChatModel } from '../test/mock-chat-model';
import { collect } from '../test/stream-helpers';
import { countTokens } from '../tokens/count-tokens';
import { truncateToTokens } from '../tokens/truncate-to-tokens';
import { parseTraces } from './read-traces';
import { createReplayModel } from './replay-model';

const ANSWER = 'Janet sells 16 - 3 - 4 = 9 duck eggs a day. She makes 9 * $2 = $18 every day at the market.\n#### 18';
const traces = parseTraces(JSON.stringify({ id: 'q1', dataset: 't', prompt: 'How much does Janet make?', responses: { cheap: { text: ANSWER, outputTokens: 40 }, free: { text: ANSWER } } }));
const ask = (maxOutputTokens?: number) => ({ messages: [{ role: 'user' as const, content: 'How much does Janet make?' }], ...(maxOutputTokens !== undefined ? { maxOutputTokens } : {}) });

describe('truncateToTokens', () => {
  it('keeps the longest prefix within the limit', () => {
    expect(truncateToTokens('The answer is 391.', 2)).toEqual({ text: 'The answer', tokens: 2, truncated: true });
    expect(truncateToTokens('The answer is 391.', 50)).toEqual({ text: 'The answer is 391.', tokens: countTokens('The answer is 391.'), truncated: false });
    expect(truncateToTokens('abc', 0)).toEqual({ text: '', tokens: 0, truncated: true });
    const long = 'word '.repeat(5_000);
    expect(countTokens(truncateToTokens(long, 1_234).text)).toBe(1_234);
  });
});

describe('replay model honours maxOutputTokens', () => {
  it('cuts a longer recorded answer to maxOutputTokens, finish length, usage to match', async () => {
    for (const modelId of ['cheap', 'free']) {
      const model = createReplayModel(traces, modelId, { pacing: false });
      const result = await model.doGenerate(ask(1));
      expect(result.finishReason).toBe('length');
      expect(result.usage.outputTokens).toBe(1);
      expect(result.text).toBe('Jan');
      expect(countTokens(result.text)).toBeLessThanOrEqual(1);
    }
  });

  it('cuts a streamed answer the same way', async () => {
    const model = createReplayModel(traces, 'cheap', { pacing: false });
    const parts = await collect(model.doStream(ask(5)));
    const text = parts.map((part) => (part.type === 'text-delta' ? part.text : '')).join('');
    expect(countTokens(text)).toBeLessThanOrEqual(5);
    expect(ANSWER.startsWith(text)).toBe(true);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: 'length', usage: { outputTokens: 5 } });
  });

  it('leaves an answer within the limit untouched', async () => {
    const model = createReplayModel(traces, 'cheap', { pacing: false });
    expect(await model.doGenerate(ask(100))).toMatchObject({ text: ANSWER, finishReason: 'stop', usage: { outputTokens: 40 } });
    expect(await model.doGenerate(ask())).toMatchObject({ text: ANSWER, finishReason: 'stop' });
  });

  it('keeps 200 concurrent max_tokens: 1 requests within what they reserved', async () => {
    const pricing = createPricing({ includeDefaults: false, prices: { cheap: { inputUsdPerMTok: 1000, outputUsdPerMTok: 1000 } } });
    const settled: SettleInfo[] = [];
    let reservedUsd = 0;
    const ledger = { name: 'ledger', admit: (context: { estimate: { costUsd: number } }) => {
      reservedUsd += context.estimate.costUsd;
      return { allowed: true as const, reservation: { settle: (info: SettleInfo) => void settled.push(info) } };
    } };
    const agent = createCascadeAgent({ models: [createReplayModel(traces, 'cheap', { pacing: false })], pricing, middleware: [ledger] });
    const results = await Promise.all(Array.from({ length: 200 }, () => agent.run(ask(1))));
    const spent = results.reduce((sum, result) => sum + result.costUsd, 0);
    // Before the fix every call billed its 40 recorded output tokens against a reservation of 1.
    expect(spent).toBeLessThanOrEqual(reservedUsd + 1e-9);
    expect(settled.every((info) => info.overspendUsd === undefined)).toBe(true);
    expect(results.every((result) => result.usage.outputTokens === 1 && result.finishReason === 'length')).toBe(true);
  });
});

describe('settle reports overspend it could not prevent', () => {
  it('a provider that ignores maxOutputTokens on a non-streamed call: overspendUsd on settle, a warning on the result', async () => {
    const pricing = createPricing({ includeDefaults: false, prices: { deaf: { inputUsdPerMTok: 1000, outputUsdPerMTok: 1000 } } });
    const deaf = new MockChatModel({ modelId: 'deaf', responses: [{ text: ANSWER, usage: { inputTokens: 10, outputTokens: 40 } }] });
    const settled: SettleInfo[] = [];
    const agent = createCascadeAgent({ models: [deaf], pricing, middleware: [{ name: 'ledger', admit: () => ({ allowed: true, reservation: { settle: (info) => void settled.push(info) } }) }] });
    const result = await agent.run(ask(1));
    expect(settled[0]!.overspendUsd).toBeGreaterThan(0);
    expect(settled[0]!.overspendUsd).toBeCloseTo(result.costUsd - (settled[0]!.costUsd - settled[0]!.overspendUsd!), 9);
    expect(result.warnings.join(' ')).toMatch(/more than the \$[\d.]+ reserved: output tokens over the reserved 1 from deaf \(40\)/);
  });

  it('MockChatModel can play a provider that honours maxOutputTokens', async () => {
    const model = new MockChatModel({ modelId: 'honest', honorMaxOutputTokens: true, responses: [{ text: ANSWER, usage: { inputTokens: 10, outputTokens: 40 } }] });
    expect(await model.doGenerate(ask(3))).toMatchObject({ text: truncateToTokens(ANSWER, 3).text, finishReason: 'length', usage: { outputTokens: 3 } });
    const parts = await collect(model.doStream(ask(3)));
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: 'length', usage: { outputTokens: 3 } });
  });
});
