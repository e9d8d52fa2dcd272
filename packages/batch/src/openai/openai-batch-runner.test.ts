import { CascadeError, createPricing } from '@cascade/core';
import { type FakeOpenAIServer, createFakeOpenAIServer } from '@cascade/core/test';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createOpenAIBatchRunner } from './openai-batch-runner';

const pricing = createPricing({ includeDefaults: false, prices: { 'gpt-4o-mini': { inputUsdPerMTok: 1, outputUsdPerMTok: 2, batchMultiplier: 0.5 } } });
let server: FakeOpenAIServer;
let client: OpenAI;

beforeAll(async () => {
  server = await createFakeOpenAIServer({
    chat: {
      reply: (request) => {
        const last = request.messages.at(-1)?.content;
        const text = typeof last === 'string' ? last : '';
        if (text.includes('explode')) return { fault: { status: 500, errorMessage: 'the model exploded' } };
        return { text: `answer to ${text}`, usage: { promptTokens: 100, completionTokens: 50 } };
      },
    },
  });
  client = new OpenAI({ baseURL: server.url, apiKey: 'test', maxRetries: 0 });
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  server.reset();
});

const runner = (poll = { initialDelayMs: 1, multiplier: 1, maxDelayMs: 1 }) => createOpenAIBatchRunner({ modelId: 'gpt-4o-mini', poll }, { client, pricing });

describe('createOpenAIBatchRunner', () => {
  it('uploads JSONL, creates the batch, polls, downloads and maps results back by custom_id at the batch price', async () => {
    const statuses: string[] = [];
    const report = await runner().run(
      ['first', { id: 'second', input: { messages: [{ role: 'user', content: 'second' }], maxOutputTokens: 64 }, userId: 'u_1' }, 'third'],
      { metadata: { job: 'nightly' }, onStatus: (status) => statuses.push(status.status) },
    );
    expect(report.results.map((result) => [result.id, result.status, result.result?.text])).toEqual([
      ['0', 'ok', 'answer to first'], ['second', 'ok', 'answer to second'], ['2', 'ok', 'answer to third'],
    ]);
    expect(report.results[0]!.result).toMatchObject({ finishReason: 'stop', usage: { inputTokens: 100, outputTokens: 50, source: 'provider' } });
    // 100 × $1 + 50 × $2 per 1M = $0.0002 real time, half in batch.
    expect(report.results[0]!.costUsd).toBeCloseTo(0.0001, 10);
    expect(report.summary).toMatchObject({ status: 'completed', total: 3, ok: 3, failed: 0, usage: { inputTokens: 300, outputTokens: 150 } });
    expect(report.summary.costUsd).toBeCloseTo(0.0003, 10);
    expect(report.summary.realtimeCostUsd).toBeCloseTo(0.0006, 10);
    expect(report.summary.savedUsd).toBeCloseTo(0.0003, 10);
    // The fake server moves one step along validating → in_progress → completed per poll.
    expect(statuses).toEqual(['in_progress', 'completed']);

    const upload = server.requests.find((request) => request.path === '/v1/files')!;
    expect(upload.body).toMatchObject({ fields: { purpose: 'batch' } });
    const created = server.requests.find((request) => request.path === '/v1/batches' && request.method === 'POST')!;
    expect(created.body).toMatchObject({ endpoint: '/v1/chat/completions', completion_window: '24h', metadata: { job: 'nightly' } });
    const input = server.requests.filter((request) => request.path.startsWith('/v1/files/') && request.path.endsWith('/content'));
    expect(input.length).toBeGreaterThanOrEqual(1);
  });

  it('sends each request as a chat completion line with the user and max tokens', async () => {
    const job = await runner().submit([{ id: 'a', input: { messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hi' }], maxOutputTokens: 20, temperature: 0 }, userId: 'u_9' }]);
    const content = await (await client.files.content(job.inputFileId)).text();
    expect(JSON.parse(content.trim())).toEqual({
      custom_id: 'a', method: 'POST', url: '/v1/chat/completions',
      body: { model: 'gpt-4o-mini', max_completion_tokens: 20, temperature: 0, user: 'u_9', messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hi' }] },
    });
    // A job can be waited for separately (e.g. by another process holding batchId and ids).
    const report = await runner().wait({ batchId: job.batchId, ids: job.ids });
    expect(report.results[0]).toMatchObject({ id: 'a', status: 'ok' });
  });

  it('maps failed lines to typed errors and keeps the rest', async () => {
    const report = await runner().run(['fine', 'please explode', 'also fine']);
    expect(report.results.map((result) => result.status)).toEqual(['ok', 'failed', 'ok']);
    expect(report.results[1]!.error).toMatchObject({ code: 'MODEL_CALL_FAILED', statusCode: 500, retryable: true });
    expect(report.results[1]!.error!.message).toContain('the model exploded');
    expect(report.summary).toMatchObject({ ok: 2, failed: 1 });
  });

  it('cancels the provider batch when the wait is aborted', async () => {
    const slow = await createFakeOpenAIServer({ batch: { schedule: ['validating', 'in_progress', 'in_progress', 'in_progress', 'in_progress', 'in_progress', 'completed'] } });
    try {
      const slowClient = new OpenAI({ baseURL: slow.url, apiKey: 'test', maxRetries: 0 });
      const controller = new AbortController();
      const batchRunner = createOpenAIBatchRunner({ modelId: 'gpt-4o-mini', poll: { initialDelayMs: 1, multiplier: 1, maxDelayMs: 1 } }, { client: slowClient, pricing });
      const error = await batchRunner
        .run(['x'], { abortSignal: controller.signal, onStatus: (status) => status.status === 'in_progress' && controller.abort() })
        .catch((thrown: unknown) => thrown);
      expect(CascadeError.isInstance(error) && error.code).toBe('ABORTED');
      expect((error as CascadeError).details).toMatchObject({ batchId: expect.any(String) });
      expect(slow.requests.some((request) => request.method === 'POST' && request.path.endsWith('/cancel'))).toBe(true);
    } finally {
      await slow.close();
    }
  });

  it('gives up waiting after maxWaitMs without cancelling', async () => {
    const slow = await createFakeOpenAIServer({ batch: { schedule: ['validating', 'in_progress', 'in_progress', 'in_progress', 'completed'] } });
    try {
      const slowClient = new OpenAI({ baseURL: slow.url, apiKey: 'test', maxRetries: 0 });
      const batchRunner = createOpenAIBatchRunner({ modelId: 'gpt-4o-mini', poll: { initialDelayMs: 50, multiplier: 2, maxDelayMs: 1_000 } }, { client: slowClient, pricing });
      const error = await batchRunner.run(['x'], { maxWaitMs: 60 }).catch((thrown: unknown) => thrown);
      expect(CascadeError.isInstance(error) && error.code).toBe('TIMEOUT');
      expect(slow.requests.some((request) => request.path.endsWith('/cancel'))).toBe(false);
    } finally {
      await slow.close();
    }
  });

  it('rejects duplicate ids before uploading anything', async () => {
    const error = await runner().submit([{ id: 'same', input: 'a' }, { id: 'same', input: 'b' }]).catch((thrown: unknown) => thrown);
    expect(CascadeError.isInstance(error) && error.code).toBe('INVALID_INPUT');
    expect(server.requests).toHaveLength(0);
  });

  it('rejects bad config with INVALID_CONFIG naming the field', () => {
    expect(() => createOpenAIBatchRunner({ modelId: '' }, { client, pricing })).toThrow(/modelId/);
    expect(() => createOpenAIBatchRunner({ modelId: 'unpriced-model' }, { client, pricing })).toThrow(/No price/);
  });
});
