import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CascadeError } from '../errors/cascade-error';
import type { ChatRequest } from '../model/chat-request';
import type { StreamPart } from '../model/stream-part';
import { createFakeOpenAIServer, type FakeOpenAIServer } from '../test/fake-openai-server/fake-openai-server';
import { collect, streamText } from '../test/stream-helpers';
import { withTimeout } from '../util/abort';
import { createOpenAIChatModel, type OpenAIChatModelConfig } from './openai-chat-model';

let server: FakeOpenAIServer;

beforeAll(async () => {
  server = await createFakeOpenAIServer({ chat: { byModel: { 'cheap-model': 'Paris is the capital of France.' } } });
});
afterEach(() => {
  server.reset();
  vi.unstubAllEnvs();
});
afterAll(() => server.close());

const request: ChatRequest = { messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Capital of France?' }] };

function model(config: Partial<OpenAIChatModelConfig> = {}): ReturnType<typeof createOpenAIChatModel> {
  return createOpenAIChatModel({ modelId: 'cheap-model', baseURL: server.url, apiKey: 'test-key', ...config });
}

async function failure(promise: Promise<unknown>): Promise<CascadeError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!CascadeError.isInstance(error)) throw new Error(`expected a CascadeError, got ${String(error)}`);
  return error;
}

function lastBody(): Record<string, unknown> {
  return server.requests.at(-1)!.body as Record<string, unknown>;
}

describe('createOpenAIChatModel: doGenerate', () => {
  it('maps the answer, usage with cached tokens, ids and the model reported', async () => {
    server.queueChatReplies({ text: 'Paris.', usage: { promptTokens: 20, completionTokens: 2, cachedTokens: 8 }, model: 'cheap-model-2025-01-01' });
    const result = await model({ provider: 'groq' }).doGenerate(request);
    expect(result).toMatchObject({
      text: 'Paris.',
      finishReason: 'stop',
      usage: { inputTokens: 20, outputTokens: 2, cachedInputTokens: 8, source: 'provider' },
      responseModelId: 'cheap-model-2025-01-01',
    });
    expect(result.responseId).toMatch(/^chatcmpl-/);
    expect(result.logprobs).toBeUndefined();
  });

  it('maps every request field, spreads providerOptions and sends config and call headers', async () => {
    const chat = model({ headers: { 'x-team': 'search' } });
    expect(chat).toMatchObject({ specificationVersion: 'v1', provider: 'openai', modelId: 'cheap-model' });
    await chat.doGenerate(
      {
        ...request,
        maxOutputTokens: 64,
        temperature: 0.2,
        topP: 0.9,
        stop: ['END'],
        seed: 7,
        responseFormat: { type: 'json_object' },
        user: 'user-1',
        providerOptions: { reasoning_effort: 'low', temperature: 0.3 },
      },
      { headers: { 'x-request-tag': 'abc' } },
    );
    expect(lastBody()).toEqual({
      model: 'cheap-model',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Capital of France?' },
      ],
      max_tokens: 64,
      temperature: 0.3,
      top_p: 0.9,
      stop: ['END'],
      seed: 7,
      response_format: { type: 'json_object' },
      user: 'user-1',
      reasoning_effort: 'low',
      stream: false,
    });
    const headers = server.requests.at(-1)!.headers;
    expect(headers['x-team']).toBe('search');
    expect(headers['x-request-tag']).toBe('abc');
    expect(headers.authorization).toBe('Bearer test-key');
  });

  it('sends max_completion_tokens when configured (OpenAI itself defaults to it)', async () => {
    await model({ maxTokensParameter: 'max_completion_tokens' }).doGenerate({ ...request, maxOutputTokens: 5 });
    expect(lastBody()).toMatchObject({ max_completion_tokens: 5 });
    expect(lastBody()).not.toHaveProperty('max_tokens');
  });

  it('returns token logprobs with alternatives when asked', async () => {
    server.queueChatReplies({ text: 'Paris', tokenLogprob: -0.25 });
    const result = await model().doGenerate({ ...request, logprobs: true, topLogprobs: 3 });
    expect(lastBody()).toMatchObject({ logprobs: true, top_logprobs: 3 });
    expect(result.logprobs!.map((entry) => entry.token).join('')).toBe('Paris');
    expect(result.logprobs![0]!.logprob).toBe(-0.25);
    expect(result.logprobs![0]!.topLogprobs).toHaveLength(3);
  });

  it('maps finish reasons: length, content filter, tool calls', async () => {
    server.setChatHandler(() => 'one two three four five six seven eight');
    const cut = await model().doGenerate({ ...request, maxOutputTokens: 2 });
    expect(cut).toMatchObject({ finishReason: 'length', text: 'one two', usage: { outputTokens: 2 } });
    server.queueChatReplies({ text: '', finishReason: 'content_filter' }, { text: '', finishReason: 'tool_calls' });
    expect((await model().doGenerate(request)).finishReason).toBe('content-filter');
    expect((await model().doGenerate(request)).finishReason).toBe('tool-calls');
  });

  it('uses an injected client', async () => {
    const client = new OpenAI({ baseURL: server.url, apiKey: 'injected', maxRetries: 0 });
    const result = await createOpenAIChatModel({ modelId: 'cheap-model' }, { client }).doGenerate(request);
    expect(result.text).toBe('Paris is the capital of France.');
    expect(server.requests.at(-1)!.headers.authorization).toBe('Bearer injected');
  });
});

describe('createOpenAIChatModel: doStream', () => {
  it('streams text deltas, then usage, then exactly one finish', async () => {
    server.queueChatReplies({ text: 'Paris is lovely.', usage: { cachedTokens: 4 } });
    const parts = await collect(model().doStream(request));
    expect(lastBody()).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(parts[0]).toMatchObject({ type: 'response-metadata', responseModelId: 'cheap-model' });
    expect(streamText(parts)).toBe('Paris is lovely.');
    expect(parts.filter((part) => part.type === 'text-delta').length).toBeGreaterThan(1);
    expect(parts.filter((part) => part.type === 'finish')).toHaveLength(1);
    const finish = parts.at(-1) as Extract<StreamPart, { type: 'finish' }>;
    expect(finish.finishReason).toBe('stop');
    expect(finish.usage).toMatchObject({ outputTokens: 4, cachedInputTokens: 4, source: 'provider' });
    expect(parts.at(-2)).toEqual({ type: 'usage', usage: finish.usage });
  });

  it('streams logprobs when asked', async () => {
    server.queueChatReplies({ text: 'Paris', tokenLogprob: -0.1 });
    const parts = await collect(model().doStream({ ...request, logprobs: true, topLogprobs: 1 }));
    const logprobs = parts.flatMap((part) => (part.type === 'logprobs' ? part.logprobs : []));
    expect(logprobs.map((entry) => entry.token).join('')).toBe('Paris');
    expect(logprobs.every((entry) => entry.logprob === -0.1)).toBe(true);
  });

  it('estimates usage when the provider sends no usage chunk', async () => {
    const parts = await collect(model({ streamUsage: false }).doStream(request));
    expect(lastBody()).not.toHaveProperty('stream_options');
    const finish = parts.at(-1) as Extract<StreamPart, { type: 'finish' }>;
    expect(finish.usage).toMatchObject({ source: 'estimated' });
    expect(finish.usage!.outputTokens).toBeGreaterThan(0);
  });

  it('reports finish length in a stream', async () => {
    server.setChatHandler(() => 'one two three four five');
    const parts = await collect(model().doStream({ ...request, maxOutputTokens: 2 }));
    expect(streamText(parts)).toBe('one two');
    expect(parts.at(-1)).toMatchObject({ type: 'finish', finishReason: 'length' });
  });
});

describe('createOpenAIChatModel: errors', () => {
  it('429 → retryable MODEL_CALL_FAILED with retryAfterMs from Retry-After, no SDK retry by default', async () => {
    server.injectFault({ status: 429, retryAfterSeconds: 2 });
    const error = await failure(model().doGenerate(request));
    expect(error).toMatchObject({ code: 'MODEL_CALL_FAILED', statusCode: 429, retryable: true, retryAfterMs: 2000 });
    expect(error.message).toContain('rate limiting');
    expect(server.stats.total).toBe(1);
  });

  it('prefers retry-after-ms, and maps 429 on a stream too', async () => {
    server.injectFault({ status: 429, retryAfterSeconds: 2, retryAfterMs: 1500 });
    const error = await failure(collect(model().doStream(request)));
    expect(error).toMatchObject({ statusCode: 429, retryable: true, retryAfterMs: 1500 });
  });

  it('retries in the SDK when maxRetries is configured', async () => {
    server.injectFault({ status: 503, retryAfterMs: 1 });
    const result = await model({ maxRetries: 1 }).doGenerate(request);
    expect(result.text).toBe('Paris is the capital of France.');
    expect(server.stats.total).toBe(2);
  });

  it('500 → retryable; 400 and 401 → not retryable, with what to do', async () => {
    server.injectFault({ status: 500 });
    expect(await failure(model().doGenerate(request))).toMatchObject({ code: 'MODEL_CALL_FAILED', statusCode: 500, retryable: true });
    server.injectFault({ status: 400, errorMessage: 'Unsupported parameter: seed' });
    const badRequest = await failure(model().doGenerate(request));
    expect(badRequest).toMatchObject({ statusCode: 400, retryable: false, retryAfterMs: undefined });
    expect(badRequest.message).toContain('Unsupported parameter: seed');
    server.injectFault({ status: 401 });
    const unauthorized = await failure(model().doGenerate(request));
    expect(unauthorized).toMatchObject({ statusCode: 401, retryable: false });
    expect(unauthorized.message).toContain('apiKey');
    expect(CascadeError.isInstance(unauthorized.cause)).toBe(false);
    // The adapter's own client is the SDK's CommonJS entry (loaded on demand): the SDK's error, by class name.
    expect((unauthorized.cause as Error).constructor.name).toBe('AuthenticationError');
    expect(unauthorized.cause).toMatchObject({ status: 401 });
  });

  it("maps errors of an app's own client (the SDK's ESM classes) the same way", async () => {
    server.injectFault({ status: 429, retryAfterSeconds: 2 });
    const client = new OpenAI({ baseURL: server.url, apiKey: 'test-key', maxRetries: 0 });
    const limited = await failure(createOpenAIChatModel({ modelId: 'cheap-model' }, { client }).doGenerate(request));
    expect(limited).toMatchObject({ code: 'MODEL_CALL_FAILED', statusCode: 429, retryable: true });
    expect(limited.cause).toBeInstanceOf(OpenAI.APIError);
  });

  it('a 200 with an HTML page or broken JSON → MODEL_CALL_FAILED saying the body is unparseable', async () => {
    server.injectFault({ malformedBody: true });
    const html = await failure(model().doGenerate(request));
    expect(html).toMatchObject({ code: 'MODEL_CALL_FAILED', statusCode: 200, retryable: false });
    expect(html.message).toContain('unparseable body');
    expect(html.message).toContain('502 Bad Gateway');
    server.injectFault({ malformedBody: '{"id": "chatcmpl-1", "choices": [' });
    expect((await failure(model().doGenerate(request))).message).toContain('unparseable body');
  });

  it('a JSON body that is not a chat completion → a clear error', async () => {
    server.injectFault({ malformedBody: '{"hello": "world"}' });
    const error = await failure(model().doGenerate(request));
    expect(error.message).toContain('not a chat completion');
  });

  it('an error inside a 200 body (gateways) → MODEL_CALL_FAILED with the upstream status', async () => {
    server.injectFault({ malformedBody: '{"error": {"message": "Upstream timed out", "code": 504}}' });
    const error = await failure(model().doGenerate(request));
    expect(error).toMatchObject({ code: 'MODEL_CALL_FAILED', statusCode: 504, retryable: true });
    expect(error.message).toContain('Upstream timed out');
  });

  it('an error event inside a stream → MODEL_CALL_FAILED with the provider message', async () => {
    server.injectFault({ malformedBody: '{"error": {"message": "Model overloaded", "type": "server_error"}}' });
    const error = await failure(collect(model().doStream(request)));
    expect(error).toMatchObject({ code: 'MODEL_CALL_FAILED' });
    expect(error.message).toContain('Model overloaded');
  });

  it('a malformed SSE event → unparseable body', async () => {
    server.injectFault({ malformedBody: true });
    const quietClient = new OpenAI({ baseURL: server.url, apiKey: 'test', maxRetries: 0, logLevel: 'off' });
    const error = await failure(collect(createOpenAIChatModel({ modelId: 'cheap-model' }, { client: quietClient }).doStream(request)));
    expect(error).toMatchObject({ code: 'MODEL_CALL_FAILED' });
    expect(error.message).toContain('unparseable body');
  });

  it('a connection cut mid-stream → retryable MODEL_CALL_FAILED after the text received so far', async () => {
    server.injectFault({ cutAfterChunks: 3 });
    const received: StreamPart[] = [];
    const error = await failure(
      (async () => {
        for await (const part of model().doStream(request)) received.push(part);
      })(),
    );
    expect(error).toMatchObject({ code: 'MODEL_CALL_FAILED', retryable: true });
    expect(error.message).toContain('mid-stream');
    expect(received.some((part) => part.type === 'finish')).toBe(false);
    expect(server.stats.cut).toBe(1);
  });

  it('a connection cut in a non-streaming answer → retryable MODEL_CALL_FAILED', async () => {
    server.injectFault({ cutAfterChunks: 0 });
    expect(await failure(model().doGenerate(request))).toMatchObject({ code: 'MODEL_CALL_FAILED', retryable: true });
  });

  it('an unreachable server → retryable MODEL_CALL_FAILED', async () => {
    const gone = await createFakeOpenAIServer();
    await gone.close();
    const error = await failure(createOpenAIChatModel({ modelId: 'm', baseURL: gone.url, apiKey: 'k' }).doGenerate(request));
    expect(error).toMatchObject({ code: 'MODEL_CALL_FAILED', retryable: true, statusCode: undefined });
    expect(error.message).toContain('could not reach');
  });
});

describe('createOpenAIChatModel: aborts', () => {
  it('an abort during latency → ABORTED, and the server sees the connection closed', async () => {
    server.injectFault({ latencyMs: 60_000 });
    const controller = new AbortController();
    const call = failure(model().doGenerate(request, { abortSignal: controller.signal }));
    await server.waitFor((stats) => stats.inFlight === 1);
    controller.abort();
    expect(await call).toMatchObject({ code: 'ABORTED', retryable: false });
    await server.waitFor((stats) => stats.closedByClient === 1);
    expect(server.requests[0]!.closedByClient).toBe(true);
  });

  it('a timeout signal during latency → TIMEOUT, and the connection is closed', async () => {
    server.injectFault({ latencyMs: 60_000 });
    const timeout = withTimeout(undefined, 30);
    try {
      expect(await failure(model().doGenerate(request, { abortSignal: timeout.signal! }))).toMatchObject({ code: 'TIMEOUT', retryable: true });
    } finally {
      timeout.dispose();
    }
    await server.waitFor((stats) => stats.closedByClient === 1);
  });

  it('an already aborted signal → ABORTED without a request', async () => {
    const controller = new AbortController();
    controller.abort();
    expect(await failure(model().doGenerate(request, { abortSignal: controller.signal }))).toMatchObject({ code: 'ABORTED' });
    expect(await failure(collect(model().doStream(request, { abortSignal: controller.signal })))).toMatchObject({ code: 'ABORTED' });
    expect(server.stats.total).toBe(0);
  });

  it('an abort mid-stream → ABORTED from the iterator, and the server sees the connection closed', async () => {
    server.injectFault({ chunkDelayMs: 20 });
    const controller = new AbortController();
    const received: StreamPart[] = [];
    const error = await failure(
      (async () => {
        for await (const part of model().doStream(request, { abortSignal: controller.signal })) {
          received.push(part);
          if (part.type === 'text-delta') controller.abort();
        }
      })(),
    );
    expect(error.code).toBe('ABORTED');
    expect(received.some((part) => part.type === 'finish')).toBe(false);
    await server.waitFor((stats) => stats.closedByClient === 1);
  });

  it('a consumer break out of doStream closes the connection', async () => {
    server.injectFault({ chunkDelayMs: 20 });
    for await (const part of model().doStream(request)) {
      if (part.type === 'text-delta') break;
    }
    await server.waitFor((stats) => stats.closedByClient === 1);
    expect(server.requests[0]!.finished).toBe(false);
  });
});

describe('createOpenAIChatModel: config', () => {
  it.each([
    [{ modelId: '' }, 'modelId'],
    [{ modelId: 'm', baseURL: 'not a url' }, 'baseURL'],
    [{ modelId: 'm', maxRetries: -1 }, 'maxRetries'],
    [{ modelId: 'm', maxTokensParameter: 'max_output' }, 'maxTokensParameter'],
    [{ modelId: 'm', temperature: 1 }, 'temperature'],
  ])('rejects %j with INVALID_CONFIG naming %s', (config, field) => {
    let caught: unknown;
    try {
      createOpenAIChatModel(config as OpenAIChatModelConfig);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'INVALID_CONFIG' });
    expect((caught as Error).message).toContain(field);
  });

  it('needs an API key for OpenAI itself but not for a local baseURL', () => {
    vi.stubEnv('OPENAI_API_KEY', '');
    vi.stubEnv('OPENAI_BASE_URL', '');
    expect(() => createOpenAIChatModel({ modelId: 'gpt-4o-mini' })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG', message: expect.stringContaining('apiKey') }));
    expect(createOpenAIChatModel({ modelId: 'qwen2.5:7b', provider: 'ollama', baseURL: 'http://127.0.0.1:11434/v1' }).provider).toBe('ollama');
  });

  it('sends max_completion_tokens by default to api.openai.com', async () => {
    const seen: unknown[] = [];
    const fetchSpy: typeof fetch = async (input, init) => {
      seen.push(JSON.parse(String(init?.body)));
      return new Response(JSON.stringify({ id: 'x', model: 'gpt-4o-mini', choices: [{ message: { content: 'ok' }, finish_reason: 'stop' }] }), { headers: { 'content-type': 'application/json' } });
    };
    const result = await createOpenAIChatModel({ modelId: 'gpt-4o-mini', apiKey: 'k' }, { fetch: fetchSpy }).doGenerate({ ...request, maxOutputTokens: 9 });
    expect(seen[0]).toMatchObject({ max_completion_tokens: 9 });
    expect(result.usage.source).toBe('estimated');
  });
});
