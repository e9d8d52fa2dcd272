import { CascadeError, createCascadeAgent } from '@cascade/core';
import { MockChatModel } from '@cascade/core/test';
import { describe, expect, it } from 'vitest';
import { pricing, validator } from '../__fixtures__/agent-fixtures';
import type { CascadeStreamEvent } from '../events/stream-event';
import type { StreamFinishEvent } from '../options/stream-options';
import { streamCascade } from './stream-cascade';

const usage = { inputTokens: 12, outputTokens: 7 };

function escalatingAgent(draft: string[] = ['I am ', 'unsure.']) {
  const cheap = new MockChatModel({ modelId: 'cheap', responses: [{ chunks: draft, usage }] });
  const strong = new MockChatModel({ modelId: 'strong', responses: [{ chunks: ['Strong ', 'answer.'], usage }] });
  return { agent: createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: false }), cheap, strong };
}

describe('AI SDK habits on streamCascade', () => {
  it('onChunk sees every event, onFinish gets the accepted text with usage and cost, `text` resolves to it', async () => {
    const { agent } = escalatingAgent();
    const chunks: CascadeStreamEvent[] = [];
    const finished: StreamFinishEvent[] = [];
    const stream = streamCascade(agent, { system: 'Be brief.', prompt: 'What is 17 * 23?' }, {
      onChunk: ({ chunk }) => void chunks.push(chunk),
      onFinish: (event) => void finished.push(event),
    });
    expect(await stream.text).toBe('Strong answer.');
    const result = await stream.result;
    expect(chunks.map((chunk) => chunk.type)).toContain('finish');
    expect(chunks.filter((chunk) => chunk.type === 'text-delta').map((chunk) => (chunk as { text: string }).text).join('')).toBe('Strong answer.');
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatchObject({ text: 'Strong answer.', finishReason: 'stop', modelId: 'strong', costUsd: result.costUsd, usage: result.usage });
    expect(finished[0]!.costUsd).toBeGreaterThan(0);
  });

  it('the AI SDK input { system, prompt } reaches the model as a system and a user message', async () => {
    const { agent, cheap } = escalatingAgent(['391.']);
    await streamCascade(agent, { system: 'Be brief.', prompt: 'What is 17 * 23?' }).result;
    expect(cheap.calls[0]!.request.messages).toEqual([{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'What is 17 * 23?' }]);
    expect(await agent.run({ system: 'Be brief.', prompt: 'Again?' }).then((result) => result.text)).toBeTypeOf('string');
  });

  it('onError gets the CascadeError of a failed request; `text` rejects like `result`', async () => {
    const failing = new MockChatModel({ modelId: 'cheap', responses: [{ error: new Error('down') }] });
    const agent = createCascadeAgent({ models: [failing], validator, pricing, learning: false });
    const errors: unknown[] = [];
    const stream = streamCascade(agent, 'hi', { onError: ({ error }) => void errors.push(error) });
    await expect(stream.text).rejects.toMatchObject({ code: 'ALL_MODELS_FAILED' });
    expect(errors).toHaveLength(1);
    expect(CascadeError.isInstance(errors[0])).toBe(true);
  });

  it('a throwing or rejecting callback goes to onError and does not break the stream', async () => {
    const { agent } = escalatingAgent(['391.']);
    const errors: unknown[] = [];
    const stream = streamCascade(agent, 'hi', {
      onChunk: ({ chunk }) => {
        if (chunk.type === 'attempt-start') throw new Error('logging bug');
      },
      onFinish: () => Promise.reject(new Error('async bug')),
      onError: ({ error }) => void errors.push(error),
    });
    expect(await stream.text).toBe('391.');
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors.map((error) => (error as Error).message).sort()).toEqual(['async bug', 'logging bug']);
  });

  it('callbacks are checked like every option: a non-function is INVALID_CONFIG, a misspelled one too', () => {
    const { agent } = escalatingAgent();
    expect(() => streamCascade(agent, 'hi', { onFinish: 'log' as never })).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => streamCascade(agent, 'hi', { onFinished: () => undefined } as never)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });
});

describe('toTextStreamResponse', () => {
  it('sends only the accepted text, as text/plain, even when the policy asks for optimistic', async () => {
    const { agent } = escalatingAgent();
    const response = await streamCascade(agent, 'hi', { policy: { streamMode: 'optimistic' } }).toTextStreamResponse({ headers: { 'x-app': '1' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(response.headers.get('x-app')).toBe('1');
    expect(await response.text()).toBe('Strong answer.');
  });

  it('refuses a stream that would show rejected drafts, and one already read without a buffered mode', async () => {
    const { agent } = escalatingAgent();
    await expect(streamCascade(agent, 'hi', { streamMode: 'optimistic' }).toTextStreamResponse()).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining("streamMode: 'buffered'") });
    const started = streamCascade(agent, 'hi');
    await started.result;
    await expect(started.toUIMessageStreamResponse()).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    const buffered = streamCascade(escalatingAgent().agent, 'hi', { streamMode: 'buffered' });
    await buffered.result;
    expect(await (await buffered.toTextStreamResponse()).text()).toBe('Strong answer.');
  });

  it('a request refused before any model call is its status with a public JSON error', async () => {
    const cheap = new MockChatModel({ modelId: 'cheap', responses: [{ chunks: ['x'], usage }] });
    const agent = createCascadeAgent({ models: [cheap], validator, pricing, learning: false, middleware: [{ name: 'deny', admit: () => ({ allowed: false, code: 'RATE_LIMITED', reason: 'user:u1 over', retryAfterMs: 2000 }) }] });
    const response = await streamCascade(agent, 'hi').toTextStreamResponse();
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('2');
    expect(await response.text()).not.toContain('u1');
    expect(cheap.calls).toHaveLength(0);
  });
});
