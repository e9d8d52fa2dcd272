import { createPricing } from '@cascade/core';
import { type FakeOpenAIServer, createFakeOpenAIServer } from '@cascade/core/test';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAIBatchRunner } from './openai-batch-runner';

const pricing = createPricing({ includeDefaults: false, prices: { 'gpt-4o-mini': { inputUsdPerMTok: 1, outputUsdPerMTok: 2, batchMultiplier: 0.5 } } });
let server: FakeOpenAIServer;
beforeAll(async () => {
  server = await createFakeOpenAIServer({ chat: { reply: () => ({ toolCalls: [{ id: 'call_1', name: 'lookup', arguments: '{"q":"x"}' }] }) } });
});
afterAll(() => server.close());

describe('provider batch: tools and schemas', () => {
  it('writes tools, tool_choice and response_format into the JSONL bodies and maps tool_calls back', async () => {
    const client = new OpenAI({ baseURL: server.url, apiKey: 'test', maxRetries: 0 });
    const runner = createOpenAIBatchRunner({ modelId: 'gpt-4o-mini', poll: { initialDelayMs: 1, multiplier: 1, maxDelayMs: 1 } }, { client, pricing });
    const tools = [{ type: 'function' as const, function: { name: 'lookup', parameters: { type: 'object', properties: { q: { type: 'string' } } } } }];
    const responseFormat = { type: 'json_schema' as const, json_schema: { name: 'r', schema: { type: 'object' } } };
    const report = await runner.run([{ messages: [{ role: 'user', content: 'find x' }], tools, toolChoice: 'required', responseFormat }]);
    expect(report.results[0]!.result).toMatchObject({ finishReason: 'tool-calls', toolCalls: [{ id: 'call_1', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } }] });
    const batch = server.requests.find((request) => request.path === '/v1/batches' && request.method === 'POST')!.body as { input_file_id: string };
    const jsonl = await (await client.files.content(batch.input_file_id)).text();
    const line = JSON.parse(jsonl.split('\n')[0]!) as { body: Record<string, unknown> };
    expect(line.body).toMatchObject({ tools, tool_choice: 'required', response_format: responseFormat });
  });
});
