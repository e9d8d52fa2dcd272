import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CascadeMiddleware, createCascadeAgent } from '@cascade/core';
import { MockChatModel, mockProviderError } from '@cascade/core/test';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { emailRedactor, pricing, recordingLimiter, validator } from '../__fixtures__/agent-fixtures';
import type { CascadeStream } from '../cascade/cascade-stream';
import { streamCascade } from '../cascade/stream-cascade';
import type { StreamMode } from '../options/stream-options';
import { SSE_HEARTBEAT } from './heartbeat';
import type { SseResponseOptions } from './sse-response-options';
import { toSseResponse } from './to-sse-response';
import { writeSseToNodeResponse } from './write-sse-to-node-response';

const usage = { inputTokens: 12, outputTokens: 7 };
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length > 0) await closers.pop()!();
});

interface Served {
  baseURL: string;
  cheap: MockChatModel;
  strong: MockChatModel;
  limiter: ReturnType<typeof recordingLimiter>;
  streams: CascadeStream[];
}

/** A tiny OpenAI-compatible endpoint on 127.0.0.1 that answers with the cascade through the helpers. */
async function serve(options: {
  cheap?: ConstructorParameters<typeof MockChatModel>[0];
  strong?: ConstructorParameters<typeof MockChatModel>[0];
  middleware?: CascadeMiddleware[];
  format?: 'events' | 'openai';
  mode?: StreamMode;
  sse?: Pick<SseResponseOptions, 'heartbeatMs'>;
} = {}): Promise<Served> {
  const cheap = new MockChatModel({ modelId: 'cheap', responses: [{ chunks: ['Hello ', 'from ', 'the cascade.'], usage }], ...options.cheap });
  const strong = new MockChatModel({ modelId: 'strong', responses: [{ chunks: ['Strong ', 'answer.'], usage }], ...options.strong });
  const limiter = recordingLimiter();
  const agent = createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: false, policy: { retry: { maxAttempts: 1 } }, middleware: [limiter, ...(options.middleware ?? [])] });
  const streams: CascadeStream[] = [];
  const handler = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    let raw = '';
    for await (const chunk of request) raw += String(chunk);
    const body = JSON.parse(raw) as { messages: { role: 'user'; content: string }[]; stream_options?: { include_usage?: boolean } };
    const stream = streamCascade(agent, body.messages, { mode: options.mode ?? 'buffered' });
    streams.push(stream);
    await writeSseToNodeResponse(stream, response, {
      format: options.format ?? 'openai',
      ...options.sse,
      openai: { model: 'cascade', includeUsage: body.stream_options?.include_usage === true },
    });
  };
  const server = createServer((request, response) => void handler(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, cheap, strong, limiter, streams };
}

function client(baseURL: string): OpenAI {
  return new OpenAI({ baseURL, apiKey: 'test', maxRetries: 0 });
}

describe('OpenAI chunk encoder, read back by the openai client', () => {
  it('streams content, finish_reason, a usage chunk and [DONE]', async () => {
    const served = await serve();
    const chunks = [];
    const stream = await client(served.baseURL).chat.completions.create({
      model: 'cascade', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true },
    });
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('Hello from the cascade.');
    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant');
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk' && chunk.model === 'cascade')).toBe(true);
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('stop');
    expect(chunks.at(-1)!.choices).toEqual([]);
    expect(chunks.at(-1)!.usage).toEqual({ prompt_tokens: 12, completion_tokens: 7, total_tokens: 19 });
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
  });

  it('sends a rejected draft never (buffered) and no usage chunk unless asked', async () => {
    const served = await serve({ cheap: { modelId: 'cheap', responses: [{ chunks: ['I am ', 'unsure.'], usage }] } });
    const stream = await client(served.baseURL).chat.completions.create({ model: 'cascade', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let text = '';
    let sawUsage = false;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) sawUsage = true;
    }
    expect(text).toBe('Strong answer.');
    expect(sawUsage).toBe(false);
  });

  it('answers an admission denial with its HTTP status, which the client throws as an APIError', async () => {
    const deny: CascadeMiddleware = { name: 'deny', admit: () => ({ allowed: false, code: 'RATE_LIMITED', reason: 'slow down', retryAfterMs: 2000 }) };
    const served = await serve({ middleware: [deny] });
    const error = await client(served.baseURL)
      .chat.completions.create({ model: 'cascade', messages: [{ role: 'user', content: 'hi' }], stream: true })
      .then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
  });

  it('sends a failure after the stream started as an error chunk the client throws', async () => {
    const served = await serve({
      mode: 'optimistic',
      cheap: { modelId: 'cheap', responses: [{ error: mockProviderError(500) }] },
      strong: { modelId: 'strong', responses: [{ error: mockProviderError(503) }] },
    });
    const stream = await client(served.baseURL).chat.completions.create({ model: 'cascade', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const error = await (async () => {
      for await (const _chunk of stream) void _chunk;
    })().then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(String((error as Error).message)).toMatch(/All 2 model attempt/);
  });
});

describe('heartbeat on a real connection', () => {
  // A slow buffered escalation: the rejected draft takes 150 ms, the kept answer streams a chunk every 60 ms.
  const slow = {
    mode: 'buffered' as const,
    sse: { heartbeatMs: 20 },
    cheap: { modelId: 'cheap', responses: [{ chunks: ['I am ', 'unsure.'], latencyMs: 150, usage }] },
    strong: { modelId: 'strong', responses: [{ chunks: ['Strong ', 'answer ', 'at last.'], chunkDelayMs: 60, usage }] },
  };

  it('the openai client reads through the pings: same chunks, usage and [DONE]', async () => {
    const served = await serve(slow);
    const stream = await client(served.baseURL).chat.completions.create({
      model: 'cascade', messages: [{ role: 'user', content: 'hi' }], stream: true, stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('Strong answer at last.');
    expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk')).toBe(true);
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe('stop');
    expect(chunks.at(-1)!.usage).toEqual({ prompt_tokens: 24, completion_tokens: 14, total_tokens: 38 });
  });

  it('on the wire: pings before the first token and between chunks, nothing after [DONE]', async () => {
    const served = await serve(slow);
    const response = await fetch(`${served.baseURL}/chat/completions`, { method: 'POST', body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }) });
    const text = await response.text();
    const messages = text.split(/(?<=\n\n)/);
    const firstData = messages.findIndex((message) => message.startsWith('data: '));
    expect(firstData).toBeGreaterThanOrEqual(2); // 150 ms of draft at one ping per 20 ms (7 expected; 2 leaves room for a loaded event loop)
    expect(messages.slice(0, firstData).every((message) => message === SSE_HEARTBEAT)).toBe(true);
    const afterFirst = messages.slice(firstData);
    expect(afterFirst.filter((message) => message === SSE_HEARTBEAT).length).toBeGreaterThan(0);
    expect(messages.every((message) => message === SSE_HEARTBEAT || message.startsWith('data: '))).toBe(true);
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('stops pinging when the client disconnects', async () => {
    const served = await serve({ ...slow, cheap: { modelId: 'cheap', responses: [{ chunks: ['x'], latencyMs: 5_000, usage }] } });
    const controller = new AbortController();
    const response = await fetch(`${served.baseURL}/chat/completions`, {
      method: 'POST', body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }), signal: controller.signal,
    });
    const reader = response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe(SSE_HEARTBEAT);
    controller.abort();
    await served.streams[0]!.usage;
    expect(served.cheap.calls[0]!.aborted).toBe(true);
    expect(served.limiter.settled).toEqual([expect.objectContaining({ outcome: 'aborted' })]);
  });
});

describe('writeSseToNodeResponse', () => {
  it('cancels the model call and settles when the client disconnects', async () => {
    const served = await serve({
      format: 'events',
      mode: 'optimistic',
      cheap: { modelId: 'cheap', responses: [{ chunks: Array.from({ length: 50 }, (_, index) => `word${index} `), chunkDelayMs: 5, usage }] },
    });
    const controller = new AbortController();
    const response = await fetch(`${served.baseURL}/chat/completions`, {
      method: 'POST', body: JSON.stringify({ messages: [{ role: 'user', content: 'hi' }] }), signal: controller.signal,
    });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = response.body!.getReader();
    let received = '';
    while (!received.includes('event: text-delta')) received += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    const consumed = await served.streams[0]!.usage;
    expect(served.cheap.calls[0]!.aborted).toBe(true);
    expect(consumed.source).toBe('estimated');
    expect(served.limiter.settled).toEqual([expect.objectContaining({ outcome: 'aborted' })]);
  });
});

describe('toSseResponse', () => {
  it('streams typed events as SSE with redaction applied', async () => {
    const cheap = new MockChatModel({ modelId: 'cheap', responses: [{ chunks: ['mail a', '@b.io now'], usage }] });
    const agent = createCascadeAgent({ models: [cheap, new MockChatModel({ modelId: 'strong' })], validator, pricing, learning: false, middleware: [emailRedactor()] });
    const response = await toSseResponse(streamCascade(agent, 'hi', { mode: 'optimistic' }), { view: 'trusted' });
    expect(response.status).toBe(200);
    const text = await response.text();
    const events = text.trim().split('\n\n').map((message) => {
      const lines = message.split('\n');
      return { id: lines[0], event: lines[1]!.slice('event: '.length), data: JSON.parse(lines[2]!.slice('data: '.length)) as { type: string; text?: string } };
    });
    expect(events.map((event) => event.event)).toEqual(['attempt-start', 'text-delta', 'guardrail', 'text-delta', 'text-delta', 'usage', 'draft-decision', 'finish']);
    expect(events.every((event) => event.data.type === event.event)).toBe(true);
    expect(events[0]!.id).toBe('id: 0');
    expect(events.map((event) => (event.event === 'text-delta' ? event.data.text : '')).join('')).toBe('mail [EMAIL] now');
  });

  it('answers an error before the stream with its status and a JSON body', async () => {
    const deny: CascadeMiddleware = { name: 'deny', admit: () => ({ allowed: false, code: 'BUDGET_EXCEEDED', reason: 'over budget' }) };
    const agent = createCascadeAgent({ models: [new MockChatModel({ modelId: 'cheap' })], pricing, middleware: [deny] });
    const response = await toSseResponse(streamCascade(agent, 'hi', { mode: 'optimistic' }), { view: 'trusted' });
    expect(response.status).toBe(429);
    expect(await response.json()).toMatchObject({ error: { code: 'BUDGET_EXCEEDED', message: 'over budget' } });
  });

  it('sends browsers the public view by default: text, switches and the final text; no costs, scores, attempts or limiter keys', async () => {
    const cheap = new MockChatModel({ modelId: 'cheap', responses: [{ chunks: ['mail a', '@b.io now'], usage }] });
    const agent = createCascadeAgent({ models: [cheap, new MockChatModel({ modelId: 'strong' })], validator, pricing, learning: false, middleware: [emailRedactor()] });
    const text = await (await toSseResponse(streamCascade(agent, 'hi', { mode: 'optimistic' }))).text();
    const events = text.trim().split('\n\n').map((message) => JSON.parse(message.split('\n')[2]!.slice('data: '.length)) as Record<string, unknown>);
    expect(events.map((event) => event.type)).toEqual(['text-delta', 'guardrail', 'text-delta', 'text-delta', 'finish']);
    expect(events.at(-1)).toEqual({ type: 'finish', text: 'mail [EMAIL] now', finishReason: 'stop' });
    expect(text).not.toMatch(/costUsd|score|attempts|findings|cheap/);

    const deny: CascadeMiddleware = { name: 'deny', admit: () => ({ allowed: false, code: 'RATE_LIMITED', reason: 'user:u18801 is over 5 requests per minute', details: { key: 'user:u18801' } }) };
    const denied = createCascadeAgent({ models: [new MockChatModel({ modelId: 'cheap' })], pricing, middleware: [deny] });
    const response = await toSseResponse(streamCascade(denied, 'hi'));
    expect(response.status).toBe(429);
    const body = await response.text();
    expect(JSON.parse(body)).toEqual({ error: { code: 'RATE_LIMITED', message: 'Too many requests. Try again later.', retryable: false } });
    expect(body).not.toMatch(/u18801/);
  });

  it('cancelling the body cancels the stream and its model call', async () => {
    const cheap = new MockChatModel({ modelId: 'cheap', responses: [{ chunks: ['a ', 'b ', 'c ', 'd ', 'e '], chunkDelayMs: 5, usage }] });
    const limiter = recordingLimiter();
    const agent = createCascadeAgent({ models: [cheap], pricing, middleware: [limiter] });
    const stream = streamCascade(agent, 'hi', { mode: 'optimistic' });
    const response = await toSseResponse(stream);
    const reader = response.body!.getReader();
    await reader.read();
    await reader.cancel();
    await stream.usage;
    expect(cheap.calls[0]!.aborted).toBe(true);
    expect(limiter.settled).toEqual([expect.objectContaining({ outcome: 'aborted' })]);
  });
});
