import OpenAI, { toFile } from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFakeOpenAIServer, type FakeOpenAIServer } from './fake-openai-server';

let server: FakeOpenAIServer;

beforeAll(async () => {
  server = await createFakeOpenAIServer({
    chat: { byModel: { 'tiny-model': 'The answer is 42.' } },
    moderation: { rules: [{ keyword: 'attack', categories: ['violence'] }, { keyword: /h[a4]te/i, categories: ['hate'], score: 0.7 }] },
  });
});
afterEach(() => server.reset());
afterAll(() => server.close());

async function postJson(path: string, body: unknown, signal?: AbortSignal): Promise<Response> {
  return fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), ...(signal ? { signal } : {}) });
}

interface CompletionBody {
  id: string;
  model: string;
  choices: { message: { content: string }; finish_reason: string; logprobs: { content: { token: string; logprob: number; top_logprobs: unknown[] }[] } | null }[];
  usage: { prompt_tokens: number; completion_tokens: number; total_tokens: number; prompt_tokens_details: { cached_tokens: number } };
}

function sseEvents(text: string): string[] {
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('data: '))
    .map((block) => block.slice('data: '.length));
}

const messages = [{ role: 'user', content: 'What is six times seven?' }];

describe('createFakeOpenAIServer: chat completions', () => {
  it('answers per model with realistic usage, and echoes by default', async () => {
    const scripted = (await (await postJson('/chat/completions', { model: 'tiny-model', messages })).json()) as CompletionBody;
    expect(scripted.choices[0]!.message.content).toBe('The answer is 42.');
    expect(scripted.choices[0]!.finish_reason).toBe('stop');
    expect(scripted.usage.prompt_tokens).toBeGreaterThan(5);
    expect(scripted.usage.completion_tokens).toBeGreaterThan(3);
    expect(scripted.usage.total_tokens).toBe(scripted.usage.prompt_tokens + scripted.usage.completion_tokens);

    const echoed = (await (await postJson('/chat/completions', { model: 'other', messages })).json()) as CompletionBody;
    expect(echoed.choices[0]!.message.content).toBe('You said: What is six times seven?');
    expect(server.requests.map((request) => request.path)).toEqual(['/v1/chat/completions', '/v1/chat/completions']);
    expect(server.requests[0]!.body).toMatchObject({ model: 'tiny-model' });
    expect(server.stats).toMatchObject({ total: 2, finished: 2, closedByClient: 0, inFlight: 0 });
  });

  it('serves queued replies first, then the handler, and cuts at max_tokens with finish length', async () => {
    server.queueChatReplies({ text: 'queued', usage: { cachedTokens: 7 } });
    server.setChatHandler((request, { callIndex }) => `handled ${request.model} #${callIndex}`);
    const first = (await (await postJson('/chat/completions', { model: 'm', messages })).json()) as CompletionBody;
    const second = (await (await postJson('/chat/completions', { model: 'm', messages })).json()) as CompletionBody;
    expect(first.choices[0]!.message.content).toBe('queued');
    expect(first.usage.prompt_tokens_details.cached_tokens).toBe(7);
    expect(second.choices[0]!.message.content).toBe('handled m #1');

    server.setChatHandler(() => 'one two three four five six seven eight nine ten');
    const cut = (await (await postJson('/chat/completions', { model: 'm', messages, max_completion_tokens: 3 })).json()) as CompletionBody;
    expect(cut.choices[0]!.finish_reason).toBe('length');
    expect(cut.usage.completion_tokens).toBe(3);
    expect(cut.choices[0]!.message.content).toBe('one two three');
  });

  it('reports logprobs with top alternatives when asked', async () => {
    server.queueChatReplies({ text: 'Yes indeed', tokenLogprob: -0.5 });
    const body = (await (await postJson('/chat/completions', { model: 'm', messages, logprobs: true, top_logprobs: 2 })).json()) as CompletionBody;
    const logprobs = body.choices[0]!.logprobs!.content;
    expect(logprobs.map((entry) => entry.token).join('')).toBe('Yes indeed');
    expect(logprobs[0]!.logprob).toBe(-0.5);
    expect(logprobs[0]!.top_logprobs).toHaveLength(2);
  });

  it('streams SSE chunks, a usage chunk when asked, and [DONE]', async () => {
    const response = await postJson('/chat/completions', { model: 'tiny-model', messages, stream: true, stream_options: { include_usage: true } });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = sseEvents(await response.text());
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event) as { choices: { delta: { content?: string }; finish_reason: string | null }[]; usage: { completion_tokens: number } | null });
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('The answer is 42.');
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('stop');
    expect(chunks.at(-1)!.choices).toEqual([]);
    expect(chunks.at(-1)!.usage!.completion_tokens).toBeGreaterThan(3);

    const withoutUsage = sseEvents(await (await postJson('/chat/completions', { model: 'tiny-model', messages, stream: true })).text());
    expect(withoutUsage.some((event) => event.includes('"choices":[]'))).toBe(false);
  });

  it('rejects a request without messages with an OpenAI-shaped 400', async () => {
    const response = await postJson('/chat/completions', { model: 'm' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
  });
});

describe('createFakeOpenAIServer: faults', () => {
  it('answers 429 with Retry-After for the next N requests, then normally', async () => {
    server.injectFault({ status: 429, retryAfterSeconds: 3, retryAfterMs: 2500 }, { times: 2 });
    const first = await postJson('/chat/completions', { model: 'm', messages });
    const second = await postJson('/chat/completions', { model: 'm', messages });
    const third = await postJson('/chat/completions', { model: 'm', messages });
    expect([first.status, second.status, third.status]).toEqual([429, 429, 200]);
    expect(first.headers.get('retry-after')).toBe('3');
    expect(first.headers.get('retry-after-ms')).toBe('2500');
    expect(((await first.json()) as { error: { code: string } }).error.code).toBe('rate_limit_exceeded');
  });

  it('applies a fault only to the given path, and per request from a handler', async () => {
    server.injectFault({ status: 503 }, { path: '/v1/moderations' });
    expect((await postJson('/chat/completions', { model: 'm', messages })).status).toBe(200);
    expect((await postJson('/moderations', { input: 'hi' })).status).toBe(503);
    server.setFaultHandler((request) => (JSON.stringify(request.body).includes('boom') ? { status: 500 } : undefined));
    expect((await postJson('/chat/completions', { model: 'm', messages: [{ role: 'user', content: 'boom' }] })).status).toBe(500);
    expect((await postJson('/chat/completions', { model: 'm', messages })).status).toBe(200);
  });

  it('sends a malformed 200 body', async () => {
    server.injectFault({ malformedBody: true });
    const response = await postJson('/chat/completions', { model: 'm', messages });
    expect(response.status).toBe(200);
    await expect(response.json()).rejects.toThrow();
  });

  it('cuts the connection after K chunks', async () => {
    server.injectFault({ cutAfterChunks: 2 });
    const response = await postJson('/chat/completions', { model: 'tiny-model', messages, stream: true });
    await expect(response.text()).rejects.toThrow();
    await server.waitFor((stats) => stats.cut === 1);
    expect(server.requests[0]!.cut).toBe(true);
    expect(server.stats.closedByClient).toBe(0);
  });

  it('sees the client close the connection during latency, and tracks in-flight requests', async () => {
    server.injectFault({ latencyMs: 60_000 }, { times: 3 });
    const controller = new AbortController();
    const calls = [0, 1, 2].map(() => postJson('/chat/completions', { model: 'm', messages }, controller.signal).catch((error: unknown) => error));
    await server.waitFor((stats) => stats.inFlight === 3);
    controller.abort();
    const results = await Promise.all(calls);
    expect(results.every((result) => result instanceof Error && result.name === 'AbortError')).toBe(true);
    await server.waitFor((stats) => stats.closedByClient === 3);
    expect(server.stats).toMatchObject({ maxInFlight: 3, inFlight: 0, finished: 0 });
    expect(server.requests.every((request) => request.closedByClient)).toBe(true);
  });

  it('paces chunks and notices a reader that stops mid-stream', async () => {
    server.injectFault({ chunkDelayMs: 20 });
    const controller = new AbortController();
    const response = await postJson('/chat/completions', { model: 'tiny-model', messages, stream: true }, controller.signal);
    const reader = response.body!.getReader();
    await reader.read();
    controller.abort();
    await server.waitFor((stats) => stats.closedByClient === 1);
    expect(server.requests[0]!.finished).toBe(false);
  });
});

describe('createFakeOpenAIServer: models and moderations', () => {
  it('lists models', async () => {
    const body = (await (await fetch(`${server.url}/models`)).json()) as { data: { id: string }[] };
    expect(body.data.map((model) => model.id)).toEqual(['gpt-4o-mini', 'gpt-4o', 'tiny-model']);
    expect((await fetch(`${server.url}/models/nope`)).status).toBe(404);
  });

  it('moderates with OpenAI shape: all-clear by default, keyword rules, and a handler', async () => {
    const client = new OpenAI({ baseURL: server.url, apiKey: 'test', maxRetries: 0 });
    const result = await client.moderations.create({ model: 'omni-moderation-latest', input: ['hello there', 'plan an ATTACK', 'I h4te you'] });
    expect(result.results.map((entry) => entry.flagged)).toEqual([false, true, true]);
    expect(result.results[1]!.categories.violence).toBe(true);
    expect(result.results[1]!.category_scores.violence).toBe(0.9);
    expect(result.results[2]!.categories.hate).toBe(true);
    expect(Object.keys(result.results[0]!.categories)).toHaveLength(13);
    expect(result.results[0]!.category_applied_input_types.violence).toEqual(['text']);

    server.setModerationHandler((input) => (input.includes('sad') ? { 'self-harm': 0.8 } : {}));
    const handled = await client.moderations.create({ input: [{ type: 'text', text: 'I am sad' }, { type: 'image_url', image_url: { url: 'data:image/png;base64,AA==' } }] });
    expect(handled.results).toHaveLength(1);
    expect(handled.results[0]!.categories['self-harm']).toBe(true);
    expect(handled.results[0]!.category_applied_input_types['self-harm']).toEqual(['text', 'image']);
  });
});

describe('createFakeOpenAIServer: files and batches', () => {
  const line = (customId: string, content: string): string =>
    JSON.stringify({ custom_id: customId, method: 'POST', url: '/v1/chat/completions', body: { model: 'tiny-model', messages: [{ role: 'user', content }] } });

  it('uploads a JSONL file, runs a batch through the chat handler, and serves the output', async () => {
    const client = new OpenAI({ baseURL: server.url, apiKey: 'test', maxRetries: 0 });
    server.setChatHandler((request) => (JSON.stringify(request.messages).includes('fail') ? { fault: { status: 500 } } : `echo ${request.messages.length}`));
    const jsonl = [line('a', 'one'), line('b', 'two'), line('c', 'fail')].join('\n');
    const file = await client.files.create({ file: await toFile(Buffer.from(jsonl), 'input.jsonl'), purpose: 'batch' });
    expect(file).toMatchObject({ object: 'file', purpose: 'batch', bytes: Buffer.byteLength(jsonl), filename: 'input.jsonl' });
    expect(server.requests.at(-1)!.body).toMatchObject({ fields: { purpose: 'batch' }, files: [{ filename: 'input.jsonl' }] });

    const created = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h', metadata: { job: 'x' } });
    expect(created.status).toBe('validating');
    const statuses = [(await client.batches.retrieve(created.id)).status];
    const done = await client.batches.retrieve(created.id);
    statuses.push(done.status);
    expect(statuses).toEqual(['in_progress', 'completed']);
    expect(done.request_counts).toEqual({ total: 3, completed: 2, failed: 1 });

    const output = (await (await client.files.content(done.output_file_id!)).text()).trim().split('\n').map((text) => JSON.parse(text) as { custom_id: string; response: { status_code: number; body: CompletionBody } });
    expect(output.map((entry) => entry.custom_id)).toEqual(['a', 'b']);
    expect(output[0]!.response.status_code).toBe(200);
    expect(output[0]!.response.body.choices[0]!.message.content).toBe('echo 1');
    const errors = (await (await client.files.content(done.error_file_id!)).text()).trim().split('\n');
    expect(errors).toHaveLength(1);
    expect(JSON.parse(errors[0]!)).toMatchObject({ custom_id: 'c', response: { status_code: 500 } });
  });

  it('follows a configured schedule, fails invalid input and cancels', async () => {
    const scheduled = await createFakeOpenAIServer({ batch: { schedule: ['validating', 'in_progress', 'in_progress', 'finalizing', 'completed'] } });
    try {
      const client = new OpenAI({ baseURL: scheduled.url, apiKey: 'test', maxRetries: 0 });
      const file = await client.files.create({ file: await toFile(Buffer.from(line('only', 'hi')), 'in.jsonl'), purpose: 'batch' });
      const batch = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
      const statuses: string[] = [];
      for (let poll = 0; poll < 5; poll++) statuses.push((await client.batches.retrieve(batch.id)).status);
      expect(statuses).toEqual(['in_progress', 'in_progress', 'finalizing', 'completed', 'completed']);

      const broken = await client.files.create({ file: await toFile(Buffer.from('{not json\n'), 'bad.jsonl'), purpose: 'batch' });
      const failed = await client.batches.create({ input_file_id: broken.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
      expect(failed.status).toBe('failed');
      expect(failed.errors?.data?.[0]).toMatchObject({ code: 'invalid_json_line', line: 1 });

      const other = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
      expect((await client.batches.cancel(other.id)).status).toBe('cancelling');
      expect((await client.batches.retrieve(other.id)).status).toBe('cancelled');
      await expect(client.batches.retrieve('batch_missing')).rejects.toMatchObject({ status: 404 });
    } finally {
      await scheduled.close();
    }
  });

  it('picks a schedule per batch and counts active batches', async () => {
    const seen: { index: number; customIds: readonly string[]; metadata: unknown }[] = [];
    const scheduled = await createFakeOpenAIServer({
      batch: {
        schedule: (batch) => {
          seen.push({ index: batch.index, customIds: batch.customIds, metadata: batch.metadata });
          return batch.customIds.includes('late') ? ['validating', 'in_progress', 'expired'] : batch.index === 2 ? ['validating', 'failed'] : ['validating', 'completed'];
        },
      },
    });
    try {
      const client = new OpenAI({ baseURL: scheduled.url, apiKey: 'test', maxRetries: 0 });
      const create = async (customId: string): Promise<string> => {
        const file = await client.files.create({ file: await toFile(Buffer.from(line(customId, 'hi')), 'in.jsonl'), purpose: 'batch' });
        return (await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h', metadata: { part: customId } })).id;
      };
      const ids = [await create('ok'), await create('late'), await create('broken'), await create('cancel-me')];
      expect(seen.map((entry) => [entry.index, entry.customIds, entry.metadata])).toEqual([
        [0, ['ok'], { part: 'ok' }], [1, ['late'], { part: 'late' }], [2, ['broken'], { part: 'broken' }], [3, ['cancel-me'], { part: 'cancel-me' }],
      ]);
      expect(scheduled.stats).toMatchObject({ batchesActive: 4, maxBatchesActive: 4 });
      expect((await client.batches.retrieve(ids[0]!)).status).toBe('completed');
      expect((await client.batches.retrieve(ids[1]!)).status).toBe('in_progress');
      expect((await client.batches.retrieve(ids[1]!)).status).toBe('expired');
      const failed = await client.batches.retrieve(ids[2]!);
      expect(failed.status).toBe('failed');
      expect(failed.errors?.data?.[0]).toMatchObject({ code: 'batch_failed' });
      expect(scheduled.stats).toMatchObject({ batchesActive: 1, maxBatchesActive: 4 });
      await client.batches.cancel(ids[3]!);
      expect(scheduled.stats.batchesActive).toBe(1);
      expect((await client.batches.retrieve(ids[3]!)).status).toBe('cancelled');
      expect(scheduled.stats.batchesActive).toBe(0);
      scheduled.reset();
      expect(scheduled.stats).toMatchObject({ batchesActive: 0, maxBatchesActive: 0 });
      await create('ok');
      expect(seen.at(-1)!.index).toBe(0);
    } finally {
      await scheduled.close();
    }
  });
});

describe('createFakeOpenAIServer: lifecycle', () => {
  it('requires the API key when configured, and close() ends a pending latency', async () => {
    const guarded = await createFakeOpenAIServer({ apiKey: 'secret' });
    const unauthorized = await fetch(`${guarded.url}/models`);
    expect(unauthorized.status).toBe(401);
    guarded.injectFault({ latencyMs: 60_000 });
    const pending = fetch(`${guarded.url}/models`, { headers: { authorization: 'Bearer secret' } }).catch((error: unknown) => error);
    await guarded.waitFor((stats) => stats.inFlight === 1);
    await guarded.close();
    expect(await pending).toBeInstanceOf(Error);
    await guarded.close();
  });
});
