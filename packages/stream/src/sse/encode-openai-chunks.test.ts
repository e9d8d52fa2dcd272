import { createCascadeAgent } from '@cascade/core';
import { MockChatModel } from '@cascade/core/test';
import { describe, expect, it } from 'vitest';
import { pricing, validator } from '../__fixtures__/agent-fixtures';
import { streamCascade } from '../cascade/stream-cascade';
import { encodeOpenAIChunks } from './encode-openai-chunks';

const usage = { inputTokens: 5, outputTokens: 3 };

async function chunksOf(mode: 'buffered' | 'optimistic'): Promise<{ model: string; content?: string; role?: string }[]> {
  const cheap = new MockChatModel({ modelId: 'cheap', responses: [{ chunks: ['I am ', 'unsure.'], usage }] });
  const strong = new MockChatModel({ modelId: 'strong', responses: [{ chunks: ['Strong ', 'answer.'], usage }] });
  const agent = createCascadeAgent({ models: [cheap, strong], validator, pricing });
  const lines: string[] = [];
  for await (const line of encodeOpenAIChunks(streamCascade(agent, 'q', { mode }))) lines.push(line);
  return lines
    .filter((line) => line !== 'data: [DONE]\n\n')
    .map((line) => JSON.parse(line.slice('data: '.length)) as { model: string; choices: { delta: { content?: string; role?: string } }[] })
    .map((chunk) => ({ model: chunk.model, ...chunk.choices[0]?.delta }));
}

describe('encodeOpenAIChunks model names', () => {
  it('names the kept model on every chunk when a buffered stream escalates (no chunk names the rejected drafter)', async () => {
    const chunks = await chunksOf('buffered');
    expect(chunks[0]).toMatchObject({ role: 'assistant', model: 'strong' });
    expect(chunks.map((chunk) => chunk.content ?? '').join('')).toBe('Strong answer.');
    expect(new Set(chunks.map((chunk) => chunk.model))).toEqual(new Set(['strong']));
  });

  it('names the model that produced each delta in optimistic mode', async () => {
    const chunks = await chunksOf('optimistic');
    expect(chunks[0]).toMatchObject({ role: 'assistant', model: 'cheap' });
    expect(chunks.at(-1)!.model).toBe('strong');
  });
});
