import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { imagePart } from '../model/chat-message';
import type { ChatRequest } from '../model/chat-request';
import { createFakeOpenAIServer, type FakeOpenAIServer } from '../test/fake-openai-server/fake-openai-server';
import { collect } from '../test/stream-helpers';
import { createOpenAIChatModel } from './openai-chat-model';

let server: FakeOpenAIServer;
beforeAll(async () => {
  server = await createFakeOpenAIServer();
});
afterEach(() => server.reset());
afterAll(() => server.close());

const model = () => createOpenAIChatModel({ modelId: 'gpt-4o-mini', baseURL: server.url, apiKey: 'test-key' });
const weather = { type: 'function' as const, function: { name: 'get_weather', description: 'Weather of a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }, strict: true } };
const request: ChatRequest = {
  messages: [{ role: 'user', content: [{ type: 'text', text: 'Weather in Paris? See the photo.' }, imagePart({ base64: 'aGVsbG8=', mediaType: 'image/png' }, 'low')] }],
  tools: [weather],
  toolChoice: 'required',
  parallelToolCalls: false,
};
const lastBody = (): Record<string, unknown> => server.requests.at(-1)!.body as Record<string, unknown>;

describe('OpenAI adapter: tools, tool calls and content parts', () => {
  it('sends tools, tool_choice, parallel_tool_calls and image parts, and maps tool calls back', async () => {
    server.queueChatReplies({ toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' }] });
    const result = await model().doGenerate(request);
    expect(lastBody()).toMatchObject({
      tools: [weather],
      tool_choice: 'required',
      parallel_tool_calls: false,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Weather in Paris? See the photo.' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,aGVsbG8=', detail: 'low' } }] }],
    });
    expect(result).toMatchObject({ text: '', finishReason: 'tool-calls', toolCalls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] });
    expect(result.usage.outputTokens).toBeGreaterThan(0);
  });

  it('sends assistant tool calls (content null) and tool results in a follow-up', async () => {
    server.queueChatReplies('It is sunny in Paris.');
    const result = await model().doGenerate({
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        { role: 'assistant', content: '', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: '{"sky":"sunny"}' },
      ],
      tools: [weather],
    });
    expect(result.text).toBe('It is sunny in Paris.');
    expect(result.toolCalls).toBeUndefined();
    const messages = lastBody().messages as Record<string, unknown>[];
    expect(messages[1]).toEqual({ role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] });
    expect(messages[2]).toEqual({ role: 'tool', content: '{"sky":"sunny"}', tool_call_id: 'call_1' });
  });

  it('streams tool calls as start, argument deltas and end, for parallel calls', async () => {
    server.queueChatReplies({ toolCalls: [{ id: 'a', name: 'get_weather', arguments: '{"city":"Paris, France"}' }, { id: 'b', name: 'get_weather', arguments: '{"city":"Rome"}' }] });
    const parts = await collect(model().doStream(request));
    const starts = parts.filter((part) => part.type === 'tool-call-start');
    expect(starts).toEqual([{ type: 'tool-call-start', index: 0, id: 'a', name: 'get_weather' }, { type: 'tool-call-start', index: 1, id: 'b', name: 'get_weather' }]);
    const deltas = parts.filter((part) => part.type === 'tool-call-delta' && part.index === 0).map((part) => (part.type === 'tool-call-delta' ? part.argumentsDelta : ''));
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.join('')).toBe('{"city":"Paris, France"}');
    const ends = parts.filter((part) => part.type === 'tool-call-end');
    expect(ends.map((part) => (part.type === 'tool-call-end' ? part.toolCall : undefined))).toEqual([
      { id: 'a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris, France"}' } },
      { id: 'b', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Rome"}' } },
    ]);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: 'tool-calls' });
    expect(parts.findIndex((part) => part.type === 'tool-call-end')).toBeLessThan(parts.findIndex((part) => part.type === 'finish'));
  });

  it('sends response_format json_schema as given', async () => {
    server.queueChatReplies('{"name":"Ada"}');
    const responseFormat = { type: 'json_schema' as const, json_schema: { name: 'person', schema: { type: 'object', properties: { name: { type: 'string' } } }, strict: true } };
    await model().doGenerate({ messages: [{ role: 'user', content: 'Who?' }], responseFormat });
    expect(lastBody().response_format).toEqual(responseFormat);
  });
});
