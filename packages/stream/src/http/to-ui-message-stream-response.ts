import { type CascadeError, type CascadeResult, delayMsSchema, parseConfig } from '@cascade/core';
import { z } from 'zod';
import { formatUIMessageChunk, toUIMessageChunks, UI_MESSAGE_STREAM_DONE, UI_MESSAGE_STREAM_HEADERS } from '../sse/encode-ui-message-chunks';
import type { AcceptedTextSource } from './accepted-text-source';
import { peekFirstEvent } from './peek-first-event';
import { sseBody } from './sse-body';
import { errorResponse } from './sse-response-options';

const fn = <Callback extends (...args: never[]) => unknown>(what: string) =>
  z.custom<Callback>((value) => typeof value === 'function', { message: `${what} must be a function` });

/** Options of {@link toUIMessageStreamResponse}. */
export const uiMessageStreamResponseOptionsSchema = z.strictObject({
  /** Extra response headers. */
  headers: z.record(z.string(), z.string()).optional(),
  /** SSE comment `: ping` after this long without a write (the SDK's parser skips it); `0` disables it. @default 15000 */
  heartbeatMs: delayMsSchema.default(15_000),
  /** The assistant message's id, sent in the `start` part. @default none (the client makes one) */
  messageId: z.string().min(1).optional(),
  /** Metadata of the finished message, e.g. `({ result }) => ({ costUsd: result.costUsd })` for a trusted client. @default none */
  messageMetadata: fn<(event: { result: CascadeResult }) => unknown>('messageMetadata').optional(),
  /** The `errorText` sent for a failure after the stream started. @default the public message (`toPublicError`) */
  onError: fn<(error: CascadeError) => string>('onError').optional(),
});

/** What callers pass to {@link toUIMessageStreamResponse}. */
export type UIMessageStreamResponseOptions = z.input<typeof uiMessageStreamResponseOptionsSchema>;

/**
 * The Vercel AI SDK UI message stream (SSE `data: {json}` parts, then `data: [DONE]`, header
 * `x-vercel-ai-ui-message-stream: v1`) of a cascade, so a `useChat` front end (AI SDK 5/6,
 * `DefaultChatTransport`) works against `streamCascade`. The request runs in `buffered` mode: only
 * accepted text is sent (`INVALID_CONFIG` for a stream created with `optimistic`/`early-escalation`).
 * Like `toSseResponse` it settles after the first event: a request refused before any model call
 * (`RATE_LIMITED`, ...) is its HTTP status with a public JSON error, which `useChat` reports as its error.
 * Cancelling the body (the browser going away) cancels the request.
 *
 * @example
 * export async function POST(request: Request): Promise<Response> {
 *   const { messages } = await request.json();
 *   return streamCascade(agent, toChatMessages(messages), { abortSignal: request.signal }).toUIMessageStreamResponse();
 * }
 */
export async function toUIMessageStreamResponse(stream: AcceptedTextSource, options: UIMessageStreamResponseOptions = {}): Promise<Response> {
  const settings = parseConfig(uiMessageStreamResponseOptionsSchema, options, 'toUIMessageStreamResponse options');
  stream.requireAcceptedText('toUIMessageStreamResponse');
  const { first, all, stop } = await peekFirstEvent(stream);
  if (first?.type === 'error') {
    await stop();
    const answer = errorResponse(first.error, { format: 'events', view: 'public', heartbeatMs: 0, headers: settings.headers });
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  }
  async function* messages(): AsyncGenerator<string, void> {
    for await (const chunk of toUIMessageChunks(all, { messageId: settings.messageId, messageMetadata: settings.messageMetadata, onError: settings.onError })) {
      yield formatUIMessageChunk(chunk);
    }
    yield UI_MESSAGE_STREAM_DONE;
  }
  const body = sseBody(messages(), settings.heartbeatMs, () => stream.cancel());
  return new Response(body, { status: 200, headers: { ...UI_MESSAGE_STREAM_HEADERS, ...settings.headers } });
}
