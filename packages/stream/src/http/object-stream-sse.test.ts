import { createCascadeAgent } from '@cascade/core';
import { MockChatModel } from '@cascade/core/test';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { pricing, validator } from '../__fixtures__/agent-fixtures';
import { streamObject } from '../object/stream-object';
import { toSseResponse } from './to-sse-response';

const invoice = z.object({ customer: z.string(), total: z.number() });
const usage = { inputTokens: 100, outputTokens: 50 };

function objectStream() {
  const cheap = new MockChatModel({ modelId: 'cheap', chunkSize: 5, responses: [{ text: '{"customer":"Ada","total":42}', usage }] });
  const strong = new MockChatModel({ modelId: 'strong', responses: [{ text: '{"customer":"Bo","total":1}', usage }] });
  const agent = createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: false, policy: { qualityTarget: 0.5 } });
  return streamObject(agent, 'Extract the invoice', { schema: invoice });
}

/** The `data:` payloads of an SSE body, by event name. */
async function sseEvents(response: Response): Promise<{ event: string; data: string }[]> {
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((block) => block.includes('data: '))
    .map((block) => ({ event: /^event: (.*)$/m.exec(block)?.[1] ?? '', data: /^data: (.*)$/m.exec(block)![1]! }));
}

describe('toSseResponse of a streamObject', () => {
  it('public view: sends the object snapshots (without model ids or tiers) before the finish', async () => {
    const events = await sseEvents(await toSseResponse(objectStream()));
    const partials = events.filter((event) => event.event === 'partial-object').map((event) => JSON.parse(event.data) as Record<string, unknown>);
    expect(partials.length).toBeGreaterThan(1);
    expect(partials.at(-1)).toEqual({ type: 'partial-object', object: { customer: 'Ada', total: 42 } });
    for (const partial of partials) expect(Object.keys(partial).sort()).toEqual(['object', 'type']);
    expect(events.at(-1)!.event).toBe('finish');
  });

  it('trusted view: the snapshots carry the model id and tier', async () => {
    const events = await sseEvents(await toSseResponse(objectStream(), { view: 'trusted' }));
    const last = events.filter((event) => event.event === 'partial-object').map((event) => JSON.parse(event.data) as Record<string, unknown>).at(-1);
    expect(last).toMatchObject({ object: { customer: 'Ada', total: 42 }, modelId: 'cheap', tier: 0 });
  });

  it('format openai: only chat.completion.chunk lines (no snapshot leaks into the OpenAI wire format)', async () => {
    const events = await sseEvents(await toSseResponse(objectStream(), { format: 'openai' }));
    expect(events.at(-1)!.data).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event.data) as { object: string; choices: { delta: { content?: string } }[] });
    for (const chunk of chunks) expect(chunk.object).toBe('chat.completion.chunk');
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('{"customer":"Ada","total":42}');
  });
});
