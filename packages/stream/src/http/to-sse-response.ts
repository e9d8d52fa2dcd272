import { parseConfig } from '@cascade/core';
import type { CascadeStream } from '../cascade/cascade-stream';
import { peekFirstEvent } from './peek-first-event';
import { type SseResponseOptions, encodeFor, errorResponse, sseHeaders, sseResponseOptionsSchema } from './sse-response-options';

/**
 * A web `Response` streaming a cascade as Server-Sent Events (typed events, or OpenAI chunks with
 * `format: 'openai'`), for fetch-style servers (Next.js route handlers, Hono, Deno, Bun, Workers).
 * Waits for the first event, so a request refused before any model call gets its HTTP status and a JSON
 * error. When the client goes away the body is cancelled, which cancels the stream and its model call.
 *
 * @param stream - from `streamCascade`.
 * @param options - format, OpenAI encoder options, extra headers.
 * @example
 * export async function POST(request: Request): Promise<Response> {
 *   const { prompt } = await request.json();
 *   return toSseResponse(streamCascade(agent, prompt, { abortSignal: request.signal }));
 * }
 */
export async function toSseResponse(stream: CascadeStream, options: SseResponseOptions = {}): Promise<Response> {
  const settings = parseConfig(sseResponseOptionsSchema, options, 'toSseResponse options');
  const { first, all, stop } = await peekFirstEvent(stream);
  if (first?.type === 'error') {
    await stop();
    const answer = errorResponse(first.error, settings);
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  }
  const encoder = new TextEncoder();
  const messages = encodeFor(all, settings);
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await messages.next();
      if (next.done === true) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      stream.cancel();
      await messages.return(undefined);
    },
  });
  return new Response(body, { status: 200, headers: sseHeaders(settings.headers) });
}
