/**
 * Streams an answer through a two-tier cascade with scripted models (no network, no key), in each
 * mode, and serves the same stream as OpenAI chunks read back by the `openai` client.
 *
 * Run: npx tsx --conditions=source packages/stream/examples/stream-to-terminal.ts
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCascadeAgent, createPricing } from '@cascade/core';
import { MockChatModel } from '@cascade/core/test';
import { type StreamMode, streamCascade, writeSseToNodeResponse } from '@cascade/stream';
import OpenAI from 'openai';

const cheap = new MockChatModel({ modelId: 'cheap', responses: [{ chunks: ['I am ', 'not sure, ', 'maybe 400?'], chunkDelayMs: 20 }] });
const strong = new MockChatModel({ modelId: 'strong', responses: [{ chunks: ['17 × 23 ', '= 391.'], chunkDelayMs: 20 }] });
const agent = createCascadeAgent({
  models: [cheap, strong],
  pricing: createPricing({ includeDefaults: false, prices: { cheap: { inputUsdPerMTok: 0.15, outputUsdPerMTok: 0.6 }, strong: { inputUsdPerMTok: 2.5, outputUsdPerMTok: 10 } } }),
  validator: {
    name: 'demo',
    validate: ({ draft }) => (draft.text.includes('not sure') ? { score: 0.2, passed: false, signals: [], reason: 'hedging' } : { score: 0.9, passed: true, signals: [], reason: 'ok' }),
    checkPartial: (_request, text) => ({ failing: text.includes('not sure'), reason: 'hedging' }),
  },
});

for (const mode of ['optimistic', 'buffered', 'early-escalation'] as StreamMode[]) {
  process.stdout.write(`\n[${mode}] `);
  const stream = streamCascade(agent, 'What is 17 * 23?', { streamMode: mode, partialCheckChars: 8 });
  for await (const event of stream) {
    if (event.type === 'text-delta') process.stdout.write(event.text);
    if (event.type === 'switch') process.stdout.write(` ⟶ [switch ${event.from} → ${event.to}: ${event.reason}${event.discardText ? ', discard' : ''}] `);
  }
  const result = await stream.result;
  process.stdout.write(`\n  answered by ${result.modelId}, attempts ${result.attempts.map((a) => `${a.modelId}:${a.status}`).join(', ')}, cost $${result.costUsd.toFixed(6)}\n`);
}

// The same cascade behind an OpenAI-compatible endpoint, read by the official client.
const server = createServer((request, response) => {
  void (async () => {
    let body = '';
    for await (const chunk of request) body += String(chunk);
    const { messages } = JSON.parse(body) as { messages: { role: 'user'; content: string }[] };
    await writeSseToNodeResponse(streamCascade(agent, messages, { streamMode: 'buffered' }), response, { format: 'openai', openai: { model: 'cascade', includeUsage: true } });
  })();
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const client = new OpenAI({ baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, apiKey: 'unused' });
process.stdout.write('\n[openai client] ');
const completion = await client.chat.completions.create({ model: 'cascade', messages: [{ role: 'user', content: 'What is 17 * 23?' }], stream: true, stream_options: { include_usage: true } });
for await (const chunk of completion) {
  process.stdout.write(chunk.choices[0]?.delta.content ?? '');
  if (chunk.usage) process.stdout.write(`\n  usage ${JSON.stringify(chunk.usage)}\n`);
}
server.close();
