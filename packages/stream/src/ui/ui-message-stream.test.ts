import { type CascadeMiddleware, createCascadeAgent, tool } from '@cascade/core';
import { MockChatModel } from '@cascade/core/test';
import { DefaultChatTransport, readUIMessageStream, type UIMessage, type UIMessageChunk } from 'ai';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { pricing, validator } from '../__fixtures__/agent-fixtures';
import { streamCascade } from '../cascade/stream-cascade';
import type { StreamCascadeOptions } from '../options/stream-options';
import { fromUIMessages } from './from-ui-messages';

const usage = { inputTokens: 12, outputTokens: 7 };

function agentWith(cheapChunks: string[], middleware: CascadeMiddleware[] = []) {
  const cheap = new MockChatModel({ modelId: 'cheap', responses: [{ chunks: cheapChunks, usage }] });
  const strong = new MockChatModel({ modelId: 'strong', responses: [{ chunks: ['Strong ', 'answer.'], usage }] });
  return createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: false, middleware });
}

/** `useChat`'s own transport (the `ai` package) against a route handler built on `streamCascade`, no network. */
function transportFor(handle: (request: Request) => Promise<Response>): DefaultChatTransport<UIMessage> {
  return new DefaultChatTransport<UIMessage>({
    api: 'http://cascade.test/api/chat',
    fetch: (async (url: string | URL | Request, init?: RequestInit) => handle(new Request(url, init))) as typeof fetch,
  });
}

const question: UIMessage[] = [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: 'What is 17 * 23?' }] }];

async function chat(transport: DefaultChatTransport<UIMessage>): Promise<{ chunks: UIMessageChunk[]; message: UIMessage | undefined }> {
  const stream = await transport.sendMessages({ trigger: 'submit-message', chatId: 'chat-1', messageId: undefined, messages: question, abortSignal: undefined });
  const [forChunks, forMessages] = stream.tee();
  const chunks: UIMessageChunk[] = [];
  const reading = (async () => {
    for await (const chunk of forChunks) chunks.push(chunk);
  })();
  let message: UIMessage | undefined;
  for await (const snapshot of readUIMessageStream<UIMessage>({ stream: forMessages })) message = snapshot;
  await reading;
  return { chunks, message };
}

function routeFor(agent: ReturnType<typeof agentWith>, options: StreamCascadeOptions = {}) {
  return async (request: Request): Promise<Response> => {
    const body = (await request.json()) as { messages: unknown };
    return streamCascade(agent, fromUIMessages(body.messages), { ...options, abortSignal: request.signal }).toUIMessageStreamResponse({
      messageId: 'm-1',
      messageMetadata: ({ result }) => ({ modelId: result.modelId }),
    });
  };
}

describe('toUIMessageStreamResponse, read by the ai package (DefaultChatTransport + readUIMessageStream)', () => {
  it('an accepted draft: start, one text part, finish, parsed by the SDK schema', async () => {
    const { chunks, message } = await chat(transportFor(routeFor(agentWith(['391 ', 'is the answer.']))));
    expect(chunks.map((chunk) => chunk.type)).toEqual(['start', 'start-step', 'text-start', 'text-delta', 'text-delta', 'text-end', 'finish-step', 'finish']);
    expect(message).toMatchObject({ id: 'm-1', role: 'assistant', metadata: { modelId: 'cheap' } });
    expect(message!.parts.filter((part) => part.type === 'text')).toEqual([expect.objectContaining({ type: 'text', text: '391 is the answer.', state: 'done' })]);
  });

  it('an escalated request: the rejected draft never reaches the client, even with the policy asking for optimistic', async () => {
    const route = routeFor(agentWith(['I am ', 'unsure.']), { policy: { streamMode: 'optimistic' } });
    const { chunks, message } = await chat(transportFor(route));
    const text = message!.parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
    expect(text).toBe('Strong answer.');
    expect(JSON.stringify(chunks)).not.toContain('unsure');
    expect(message!.metadata).toEqual({ modelId: 'strong' });
  });

  it('a request refused before any model call is an HTTP error the transport throws (public message)', async () => {
    const deny: CascadeMiddleware = { name: 'deny', admit: () => ({ allowed: false, code: 'RATE_LIMITED', reason: 'user:u1 is over the limit' }) };
    const error = await chat(transportFor(routeFor(agentWith(['x'], [deny])))).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain('Too many requests');
    expect((error as Error).message).not.toContain('u1');
  });

  it('a failure after the start is an error part: the SDK reader reports it', async () => {
    const failing = new MockChatModel({ modelId: 'cheap', responses: [{ chunks: ['never'], usage, error: new Error('boom') }] });
    const alsoFailing = new MockChatModel({ modelId: 'strong', responses: [{ chunks: ['never'], usage, error: new Error('boom') }] });
    const agent = createCascadeAgent({ models: [failing, alsoFailing], validator, pricing, learning: false });
    const response = await streamCascade(agent, 'hi').toUIMessageStreamResponse();
    expect(response.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
    const raw = await response.text();
    expect(raw.endsWith('data: [DONE]\n\n')).toBe(true);
    const errors: unknown[] = [];
    const transport = transportFor(async () => new Response(raw, { headers: response.headers }));
    const stream = await transport.sendMessages({ trigger: 'submit-message', chatId: 'c', messageId: undefined, messages: question, abortSignal: undefined });
    for await (const _ of readUIMessageStream<UIMessage>({ stream, onError: (error) => errors.push(error) })) void _;
    expect(errors).toHaveLength(1);
  });

  it('tool calls stream as tool-input-* and results as tool-output-available, each step framed', async () => {
    const add = tool({ description: 'add', parameters: z.object({ a: z.number(), b: z.number() }), execute: ({ a, b }) => String(a + b) });
    const model = new MockChatModel({
      modelId: 'strong',
      responses: [
        { toolCalls: [{ id: 'call-1', name: 'add', arguments: '{"a":17,"b":23}' }], usage },
        { chunks: ['40.'], usage },
      ],
    });
    const agent = createCascadeAgent({ models: [model], validator, pricing, learning: false });
    const response = await streamCascade(agent, 'add 17 and 23', { tools: { add }, maxSteps: 3 }).toUIMessageStreamResponse();
    const stream = await transportFor(async () => response).sendMessages({ trigger: 'submit-message', chatId: 'c', messageId: undefined, messages: question, abortSignal: undefined });
    let message: UIMessage | undefined;
    for await (const snapshot of readUIMessageStream<UIMessage>({ stream })) message = snapshot;
    const toolPart = message!.parts.find((part) => part.type === 'dynamic-tool' || part.type.startsWith('tool-'));
    expect(toolPart).toMatchObject({ toolCallId: 'call-1', state: 'output-available', input: { a: 17, b: 23 }, output: '40' });
    expect(message!.parts.filter((part) => part.type === 'step-start')).toHaveLength(2);
    expect(message!.parts.at(-1)).toMatchObject({ type: 'text', text: '40.' });
  });
});
