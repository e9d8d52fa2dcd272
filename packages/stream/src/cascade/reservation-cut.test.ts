import { type SettleInfo, countTokens, createCascadeAgent } from '@cascade/core';
import { MockChatModel, collect } from '@cascade/core/test';
import { describe, expect, it } from 'vitest';
import { pricing, validator } from '../__fixtures__/agent-fixtures';
import { streamCascade } from './stream-cascade';

const CHUNKS = Array.from({ length: 200 }, (_, index) => `step ${index} adds ${index % 7} more; `);

function setup(honorMaxOutputTokens = false) {
  // A provider that ignores max_tokens: it streams all 200 chunks whatever the request says.
  const strong = new MockChatModel({ modelId: 'strong', honorMaxOutputTokens, responses: [{ chunks: CHUNKS, usage: { inputTokens: 20, outputTokens: 2_000 } }] });
  const settled: SettleInfo[] = [];
  const agent = createCascadeAgent({
    models: [strong], validator, pricing,
    middleware: [{ name: 'ledger', admit: () => ({ allowed: true, reservation: { settle: (info) => void settled.push(info) } }) }],
  });
  return { strong, agent, settled };
}

describe('streaming stops at the reserved output tokens', () => {
  it('stops reading and cancels a provider stream that passes maxOutputTokens', async () => {
    const { strong, agent, settled } = setup();
    const stream = streamCascade(agent, { messages: [{ role: 'user', content: 'Count up.' }], maxOutputTokens: 12 });
    const events = await collect(stream);
    const text = events.map((event) => (event.type === 'text-delta' ? event.text : '')).join('');
    const result = await stream.result;
    expect(countTokens(text)).toBeLessThanOrEqual(12);
    expect(text.length).toBeGreaterThan(0);
    expect(result.finishReason).toBe('length');
    expect(result.usage.outputTokens).toBeLessThanOrEqual(12);
    expect(strong.calls[0]!.settled).toBe(true);
    // Settled with the usage read before the cut (estimated): nothing over the reservation.
    expect(settled[0]!.usage.outputTokens).toBeLessThanOrEqual(12);
    expect(settled[0]!.overspendUsd).toBeUndefined();
  });

  it('cuts at the default reservation when the request sets no maxOutputTokens', async () => {
    const long = Array.from({ length: 400 }, (_, index) => `step ${index} adds ${index % 7} more; `);
    const model = new MockChatModel({ modelId: 'strong', responses: [{ chunks: long }] });
    const events = await collect(streamCascade(createCascadeAgent({ models: [model], validator, pricing }), 'Count up.'));
    const text = events.map((event) => (event.type === 'text-delta' ? event.text : '')).join('');
    expect(countTokens(text)).toBeLessThanOrEqual(1024);
    expect(countTokens(text)).toBeGreaterThan(1000);
  });

  it('passes an answer that ends within the reservation through whole', async () => {
    const { agent } = setup(true);
    const stream = streamCascade(agent, { messages: [{ role: 'user', content: 'Count up.' }], maxOutputTokens: 5_000 });
    const result = await stream.result;
    expect(result.text).toBe(CHUNKS.join(''));
    expect(result.finishReason).toBe('stop');
    expect(result.usage).toMatchObject({ outputTokens: 2_000, source: 'provider' });
  });
});
