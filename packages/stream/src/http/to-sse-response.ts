import { parseConfig } from '@cascade/core';
import type { SseSource } from '../events/sse-source';
import { peekFirstEvent } from './peek-first-event';
import { sseBody } from './sse-body';
import { type SseResponseOptions, encodeFor, errorResponse, retryField, sseHeaders, sseResponseOptionsSchema } from './sse-response-options';

/**
 * A promise of a web `Response` streaming a cascade as Server-Sent Events (typed events, or OpenAI chunks
 * with `format: 'openai'`), for fetch-style servers (Next.js route handlers, Hono, Deno, Bun, Workers):
 * await it, or return it from an async handler. It settles after the first event, so a request refused
 * before any model call gets its HTTP status and a JSON error. When the client goes away the body is cancelled, which cancels the stream and its model call.
 * While nothing has been enqueued for `heartbeatMs` (default 15 s), an SSE comment `: ping` keeps
 * proxies from closing the idle connection; the timer is cleared when the body closes, errors or is cancelled.
 *
 * @param stream - from `streamCascade`, or `streamObject` (its `partial-object` snapshots are sent as events; format `openai` leaves them out).
 * @param options - format, OpenAI encoder options, extra headers, `heartbeatMs`, `retryMs` (format `events`).
 * @example
 * export async function POST(request: Request): Promise<Response> {
 *   const { prompt } = await request.json();
 *   return toSseResponse(streamCascade(agent, prompt, { abortSignal: request.signal }));
 * }
 */
export async function toSseResponse(stream: SseSource, options: SseResponseOptions = {}): Promise<Response> {
  const settings = parseConfig(sseResponseOptionsSchema, options, 'toSseResponse options');
  const { first, all, stop } = await peekFirstEvent(stream);
  if (first?.type === 'error') {
    await stop();
    const answer = errorResponse(first.error, settings);
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  }
  const body = sseBody(encodeFor(all, settings), settings.heartbeatMs, () => stream.cancel(), retryField(settings));
  return new Response(body, { status: 200, headers: sseHeaders(settings.headers) });
}
