import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeChatCompletionRequest, type FakeOpenAIServer, createFakeOpenAIServer } from '@cascade/core/test';
import { UserProfile } from '@cascade/profiles';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDemoAgent } from '../agent/create-demo-agent';
import { createDemoModels } from '../agent/demo-models';
import { openDemoDatabase } from '../users/demo-database';
import { type DemoServer, createDemoServer } from './create-demo-server';

// `pnpm demo serve` wired to live models, here the fake OpenAI-compatible server on loopback: the real
// `openai` SDK → the demo server → the cascade → the OpenAI adapter → the fake upstream, and back.
let upstream: FakeOpenAIServer;
let server: DemoServer;
let client: OpenAI;
let dir: string;
let closeDatabase: () => void;

beforeAll(async () => {
  upstream = await createFakeOpenAIServer();
  dir = mkdtempSync(join(tmpdir(), 'cascade-demo-tools-'));
  const database = openDemoDatabase(join(dir, 'demo.sqlite'));
  closeDatabase = () => database.close();
  const models = await createDemoModels({ kind: 'live', modelIds: ['gpt-4o-mini', 'gpt-4o'], baseURL: upstream.url, apiKey: 'upstream-key', prices: {} });
  const demo = createDemoAgent(models, { profileStore: database.profiles, usage: database.usage, learning: false });
  await demo.profiles.save(UserProfile.fromTier('pro', 'alice'));
  server = createDemoServer({ demo, keys: database.keys, log: () => undefined });
  const address = await server.listen(0, '127.0.0.1');
  client = new OpenAI({ apiKey: database.keys.create('alice', 'test').key, baseURL: `http://127.0.0.1:${address.port}/v1`, maxRetries: 0 });
});
afterAll(async () => {
  await server.close(1_000);
  closeDatabase();
  await upstream.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => upstream.reset());

const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  { type: 'function', function: { name: 'get_weather', description: 'Current weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false } } },
];
const upstreamBodies = (): FakeChatCompletionRequest[] => upstream.requests.filter((record) => record.path === '/v1/chat/completions').map((record) => record.body as FakeChatCompletionRequest);
const hasToolResult = (request: FakeChatCompletionRequest): boolean => request.messages.at(-1)?.role === 'tool';

/** Upstream: the cheap model drafts a call with bad arguments, the strong one a valid call; after a tool result, both answer in text. */
function toolUpstream(): void {
  upstream.setChatHandler((request) => {
    if (hasToolResult(request)) return { text: 'It is sunny in Paris, 21 °C.' };
    return request.model === 'gpt-4o-mini'
      ? { toolCalls: [{ id: 'call_bad', name: 'get_weather', arguments: '{"town":"Paris"}' }] }
      : { toolCalls: [{ id: 'call_ok', name: 'get_weather', arguments: '{"city":"Paris"}' }] };
  });
}

describe('demo server: tools, response_format and images through the cascade (openai SDK on loopback)', () => {
  it('a request with tools gets tool_calls (the bad draft escalated); a follow-up with the tool result gets an answer', async () => {
    toolUpstream();
    const messages: OpenAI.Chat.Completions.ChatCompletionMessageParam[] = [{ role: 'user', content: 'What is the weather in Paris?' }];
    const first = await client.chat.completions.create({ model: 'cascade', messages, tools, tool_choice: 'auto', parallel_tool_calls: false });
    const message = first.choices[0]!.message;
    expect(first.choices[0]!.finish_reason).toBe('tool_calls');
    expect(message.content).toBeNull();
    expect(message.tool_calls).toEqual([{ id: 'call_ok', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }]);
    const attempts = (first as unknown as { cascade: { attempts: { model: string; status: string }[] } }).cascade.attempts;
    expect(attempts.map((attempt) => [attempt.model, attempt.status])).toEqual([['gpt-4o-mini', 'escalated'], ['gpt-4o', 'final']]);
    expect(upstreamBodies()[0]).toMatchObject({ tools, tool_choice: 'auto', parallel_tool_calls: false });

    const second = await client.chat.completions.create({
      model: 'cascade', tools,
      messages: [...messages, { role: 'assistant', content: null, tool_calls: message.tool_calls! }, { role: 'tool', tool_call_id: 'call_ok', content: '{"sky":"sunny","celsius":21}' }],
    });
    expect(second.choices[0]!.message.content).toBe('It is sunny in Paris, 21 °C.');
    const forwarded = upstreamBodies().at(-1)!.messages;
    expect(forwarded.at(-2)).toMatchObject({ role: 'assistant', content: null, tool_calls: [{ id: 'call_ok' }] });
    expect(forwarded.at(-1)).toEqual({ role: 'tool', content: '{"sky":"sunny","celsius":21}', tool_call_id: 'call_ok' });
  });

  it('streams tool calls: the SDK reassembles the deltas; the rejected draft\'s call is never sent', async () => {
    toolUpstream();
    const runner = client.chat.completions.stream({ model: 'cascade', messages: [{ role: 'user', content: 'Weather in Paris?' }], tools, stream_options: { include_usage: true } });
    const completion = await runner.finalChatCompletion();
    expect(completion.choices[0]!.finish_reason).toBe('tool_calls');
    expect(completion.choices[0]!.message.tool_calls).toEqual([{ id: 'call_ok', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }]);
  });

  it('response_format json_schema returns valid JSON: a draft that fails the schema is repaired on its tier', async () => {
    let cheapCalls = 0;
    upstream.setChatHandler((request) => {
      if (request.model === 'gpt-4o') return '{"city":"Paris","country":"France"}';
      cheapCalls++;
      return cheapCalls === 1 ? '{"city":"Paris"}' : '{"city":"Paris","country":"France"}';
    });
    const response_format = { type: 'json_schema' as const, json_schema: { name: 'place', strict: true, schema: { type: 'object', properties: { city: { type: 'string' }, country: { type: 'string' } }, required: ['city', 'country'], additionalProperties: false } } };
    for (const stream of [false, true]) {
      cheapCalls = 0;
      let text: string;
      if (stream) {
        const chunks = await client.chat.completions.create({ model: 'cascade', messages: [{ role: 'user', content: 'Where is the Louvre?' }], response_format, stream: true });
        text = '';
        for await (const chunk of chunks) text += chunk.choices[0]?.delta.content ?? '';
      } else {
        const completion = await client.chat.completions.create({ model: 'cascade', messages: [{ role: 'user', content: 'Where is the Louvre?' }], response_format });
        text = completion.choices[0]!.message.content!;
        const attempts = (completion as unknown as { cascade: { attempts: { status: string }[] } }).cascade.attempts;
        expect(attempts.map((attempt) => attempt.status)).toEqual(['repaired', 'accepted']);
      }
      expect(JSON.parse(text)).toEqual({ city: 'Paris', country: 'France' });
    }
    expect(upstreamBodies()[0]!).toMatchObject({ response_format });
  });

  it('an image part (URL and base64) reaches the model, streamed and not', async () => {
    upstream.setChatHandler(() => 'A cat on a sofa.');
    const content: OpenAI.Chat.Completions.ChatCompletionContentPart[] = [
      { type: 'text', text: 'What is in these pictures?' },
      { type: 'image_url', image_url: { url: 'https://example.com/cat.png', detail: 'low' } },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
    ];
    const completion = await client.chat.completions.create({ model: 'cascade', messages: [{ role: 'user', content }] });
    expect(completion.choices[0]!.message.content).toBe('A cat on a sofa.');
    const streamed = await client.chat.completions.create({ model: 'cascade', messages: [{ role: 'user', content }], stream: true });
    for await (const _chunk of streamed) { /* drain */ }
    const bodies = upstreamBodies();
    expect(bodies.length).toBeGreaterThanOrEqual(2);
    for (const body of bodies) expect(body.messages[0]!.content).toEqual(content);
  });
});
