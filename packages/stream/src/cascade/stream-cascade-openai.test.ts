import { type ChatModel, createCascadeAgent } from '@cascade/core';
import { createOpenAIChatModel } from '@cascade/core/openai';
import { type FakeOpenAIServer, collect, createFakeOpenAIServer } from '@cascade/core/test';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { pricing, recordingLimiter, validator } from '../__fixtures__/agent-fixtures';
import type { CascadeStreamEvent } from '../events/stream-event';
import { streamCascade } from './stream-cascade';

let server: FakeOpenAIServer;
let mini: ChatModel;
let strong: ChatModel;

beforeAll(async () => {
  server = await createFakeOpenAIServer();
  mini = createOpenAIChatModel({ modelId: 'gpt-4o-mini', baseURL: server.url, apiKey: 'test' });
  strong = createOpenAIChatModel({ modelId: 'gpt-4o', baseURL: server.url, apiKey: 'test' });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => server.reset());

function agentWithLimiter() {
  const limiter = recordingLimiter();
  return { limiter, agent: createCascadeAgent({ models: [mini, strong], validator, pricing, learning: false, policy: { retry: { maxAttempts: 1 } }, middleware: [limiter] }) };
}

const textOf = (events: readonly CascadeStreamEvent[], modelId?: string): string =>
  events.map((event) => (event.type === 'text-delta' && (modelId === undefined || event.modelId === modelId) ? event.text : '')).join('');

const LONG = 'The quick brown fox jumps over the lazy dog. '.repeat(20);

describe('streamCascade with the openai client against the fake server', () => {
  it('accepts a draft; usage comes from the stream and the cost equals the non-streamed cost of the same answer', async () => {
    server.setChatHandler(() => ({ text: 'Paris is the capital of France.' }));
    const { agent, limiter } = agentWithLimiter();
    const stream = streamCascade(agent, 'Capital of France?', { mode: 'optimistic' });
    const events = await collect(stream);
    expect(textOf(events)).toBe('Paris is the capital of France.');
    const result = await stream.result;
    expect(result.usage.source).toBe('provider');
    expect(server.requests[0]!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    const ran = await agent.run('Capital of France?');
    expect(ran.usage).toEqual(result.usage);
    expect(result.costUsd).toBe(ran.costUsd);
    expect(await stream.cost).toBe(ran.costUsd);
    expect(limiter.settled[0]).toMatchObject({ outcome: 'success', costUsd: result.costUsd });
  });

  it('escalates in each mode: optimistic shows the rejected draft, buffered does not', async () => {
    server.setChatHandler((request) => (request.model === 'gpt-4o-mini' ? 'I am unsure.' : 'It is Paris.'));
    const { agent } = agentWithLimiter();
    const optimistic = await collect(streamCascade(agent, 'q', { mode: 'optimistic' }));
    expect(textOf(optimistic, 'gpt-4o-mini')).toBe('I am unsure.');
    expect(optimistic.find((event) => event.type === 'switch')).toMatchObject({ reason: 'escalated', discardText: true });
    const buffered = streamCascade(agent, 'q', { mode: 'buffered' });
    const events = await collect(buffered);
    expect(textOf(events)).toBe('It is Paris.');
    expect((await buffered.result).attempts.map((attempt) => attempt.status)).toEqual(['escalated', 'final']);
  });

  it('early escalation abandons the draft and closes its HTTP connection', async () => {
    server.setChatHandler((request) =>
      request.model === 'gpt-4o-mini' ? { text: `Hmm, I am unsure. ${LONG}`, fault: { chunkDelayMs: 2 } } : 'It is Paris.',
    );
    const { agent } = agentWithLimiter();
    const stream = streamCascade(agent, 'q', { mode: 'early-escalation', partialCheckChars: 8 });
    const events = await collect(stream);
    expect(events.find((event) => event.type === 'draft-decision')).toMatchObject({ early: true, decision: 'escalated' });
    await server.waitFor((stats) => stats.closedByClient >= 1);
    expect(server.requests[0]!.closedByClient).toBe(true);
    const result = await stream.result;
    expect(result.text).toBe('It is Paris.');
    expect(result.attempts[0]).toMatchObject({ status: 'abandoned', usage: { source: 'estimated' } });
  });

  it('falls through to the next tier when the connection is cut mid-stream', async () => {
    server.setChatHandler((request) => (request.model === 'gpt-4o-mini' ? { text: LONG, fault: { cutAfterChunks: 3 } } : 'It is Paris.'));
    const { agent, limiter } = agentWithLimiter();
    const stream = streamCascade(agent, 'q', { mode: 'optimistic' });
    const events = await collect(stream);
    const switched = events.find((event) => event.type === 'switch');
    expect(switched).toMatchObject({ reason: 'failed', from: 'gpt-4o-mini', to: 'gpt-4o', discardText: true, error: { code: 'MODEL_CALL_FAILED' } });
    const result = await stream.result;
    expect(result.text).toBe('It is Paris.');
    expect(result.attempts[0]!.status).toBe('failed');
    expect(result.attempts[0]!.usage.outputTokens).toBeGreaterThan(0);
    expect(limiter.settled).toHaveLength(1);
  });

  it('the caller abort closes the HTTP connection (the server sees it) and settles what was received', async () => {
    server.setChatHandler(() => ({ text: LONG, fault: { chunkDelayMs: 5 } }));
    const { agent, limiter } = agentWithLimiter();
    const controller = new AbortController();
    const stream = streamCascade(agent, 'q', { mode: 'optimistic', abortSignal: controller.signal });
    for await (const event of stream) if (event.type === 'text-delta') controller.abort();
    await expect(stream.result).rejects.toMatchObject({ code: 'ABORTED' });
    await server.waitFor((stats) => stats.closedByClient >= 1);
    expect(server.stats.inFlight).toBe(0);
    const consumed = await stream.usage;
    expect(consumed).toMatchObject({ source: 'estimated' });
    expect(consumed.outputTokens).toBeGreaterThan(0);
    expect(limiter.settled).toEqual([expect.objectContaining({ outcome: 'aborted', usage: consumed })]);
  });

  it("a consumer's break closes the HTTP connection (the server sees it)", async () => {
    server.setChatHandler(() => ({ text: LONG, fault: { chunkDelayMs: 5 } }));
    const { agent, limiter } = agentWithLimiter();
    const stream = streamCascade(agent, 'q', { mode: 'optimistic' });
    for await (const event of stream) if (event.type === 'text-delta') break;
    await server.waitFor((stats) => stats.closedByClient >= 1);
    expect(server.requests).toHaveLength(1);
    await stream.usage;
    expect(limiter.settled).toEqual([expect.objectContaining({ outcome: 'aborted' })]);
  });
});
