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

  it('does not cut an answer when the request sets no maxOutputTokens: settle reports the overspend', async () => {
    // The default reservation (1024 output tokens) is a guess the provider never saw: cutting would truncate real answers.
    const long = Array.from({ length: 400 }, (_, index) => `step ${index} adds ${index % 7} more; `);
    const model = new MockChatModel({ modelId: 'strong', responses: [{ chunks: long }] });
    const settled: SettleInfo[] = [];
    const agent = createCascadeAgent({ models: [model], validator, pricing, middleware: [{ name: 'ledger', admit: () => ({ allowed: true, reservation: { settle: (info) => void settled.push(info) } }) }] });
    const stream = streamCascade(agent, 'Count up.');
    const result = await stream.result;
    expect(result.text).toBe(long.join(''));
    expect(countTokens(result.text)).toBeGreaterThan(1024);
    expect(settled[0]!.overspendUsd).toBeGreaterThan(0);
    expect(result.warnings.join(' ')).toContain('more than the');
  });

  it('cuts a long stream at a large maxOutputTokens too (counting starts only near the limit)', async () => {
    const long = Array.from({ length: 2_000 }, (_, index) => `step ${index} adds ${index % 7} more; `);
    const model = new MockChatModel({ modelId: 'strong', responses: [{ chunks: long }] });
    const agent = createCascadeAgent({ models: [model], validator, pricing });
    const result = await streamCascade(agent, { messages: [{ role: 'user', content: 'Count up.' }], maxOutputTokens: 3_000 }).result;
    expect(result.finishReason).toBe('length');
    expect(countTokens(result.text)).toBeLessThanOrEqual(3_000);
    expect(countTokens(result.text)).toBeGreaterThan(2_950);
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
