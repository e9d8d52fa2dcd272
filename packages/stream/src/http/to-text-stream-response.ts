import { CascadeError, parseConfig } from '@cascade/core';
import { z } from 'zod';
import type { AcceptedTextSource } from './accepted-text-source';
import { peekFirstEvent } from './peek-first-event';
import { sseBody } from './sse-body';
import { errorResponse } from './sse-response-options';

/** Options of {@link toTextStreamResponse}. */
export const textStreamResponseOptionsSchema = z.strictObject({
  /** Extra response headers. */
  headers: z.record(z.string(), z.string()).optional(),
});

/** What callers pass to {@link toTextStreamResponse}. */
export type TextStreamResponseOptions = z.input<typeof textStreamResponseOptionsSchema>;

/**
 * The accepted answer as a plain UTF-8 text stream (`text/plain`), like the AI SDK's
 * `toTextStreamResponse()` (for `useCompletion`/`useChat` with `streamProtocol: 'text'`, or `curl`).
 * The request runs in `buffered` mode, so a rejected draft is never sent (`INVALID_CONFIG` for a stream
 * created with `optimistic`/`early-escalation`). It settles after the first event: a request refused before
 * any model call is its HTTP status with a public JSON error. Plain text has no error part: a failure
 * after the first text errors the body (the client sees a cut response).
 *
 * @example
 * app.post('/complete', async (c) => streamCascade(agent, (await c.req.json()).prompt).toTextStreamResponse());
 */
export async function toTextStreamResponse(stream: AcceptedTextSource, options: TextStreamResponseOptions = {}): Promise<Response> {
  const settings = parseConfig(textStreamResponseOptionsSchema, options, 'toTextStreamResponse options');
  stream.requireAcceptedText('toTextStreamResponse');
  const { first, all, stop } = await peekFirstEvent(stream);
  if (first?.type === 'error') {
    await stop();
    const answer = errorResponse(first.error, { format: 'events', view: 'public', heartbeatMs: 0, headers: settings.headers });
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  }
  async function* texts(): AsyncGenerator<string, void> {
    for await (const event of all) {
      if (event.type === 'text-delta' && event.text.length > 0) yield event.text;
      else if (event.type === 'error') throw CascadeError.isInstance(event.error) ? event.error : new CascadeError('STORE_FAILED', 'The stream failed.', { cause: event.error });
    }
  }
  // No heartbeat: an SSE comment would be part of the text.
  const body = sseBody(texts(), 0, () => stream.cancel());
  return new Response(body, { status: 200, headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-cache', ...settings.headers } });
}
