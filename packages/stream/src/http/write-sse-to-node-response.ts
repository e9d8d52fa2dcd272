import type { ServerResponse } from 'node:http';
import { parseConfig } from '@cascade/core';
import type { SseSource } from '../events/sse-source';
import { type Heartbeat, SSE_HEARTBEAT, startHeartbeat } from './heartbeat';
import { peekFirstEvent } from './peek-first-event';
import { type SseResponseOptions, encodeFor, errorResponse, retryField, sseHeaders, sseResponseOptionsSchema } from './sse-response-options';

/**
 * Writes a cascade stream to a Node `http.ServerResponse` as Server-Sent Events (typed events, or OpenAI
 * chunks with `format: 'openai'`), honouring backpressure. A request refused before any model call
 * (rate limit, budget, guardrail, bad input) is answered with its HTTP status and a JSON error instead.
 * When the client disconnects, the stream is cancelled: the model's HTTP request is aborted and what
 * was consumed is settled. Resolves when the response has ended (or the client has gone).
 *
 * While the response is open and nothing has been written for `heartbeatMs` (default 15 s; a buffered
 * draft, a slow first token), an SSE comment `: ping` keeps proxies from closing the idle connection.
 * Its timer is cleared on every end (finish, error, disconnect, abort): nothing is written after the end.
 *
 * @param stream - from `streamCascade`, or `streamObject` (its `partial-object` snapshots are sent as events; format `openai` leaves them out).
 * @param response - the `ServerResponse` to write; nothing must have been written yet.
 * @param options - format, OpenAI encoder options, extra headers, `heartbeatMs`, `retryMs` (format `events`).
 * @example
 * createServer(async (request, response) => {
 *   await writeSseToNodeResponse(streamCascade(agent, await readPrompt(request), { streamMode: 'buffered' }), response, { format: 'openai' });
 * });
 */
export async function writeSseToNodeResponse(stream: SseSource, response: ServerResponse, options: SseResponseOptions = {}): Promise<void> {
  const settings = parseConfig(sseResponseOptionsSchema, options, 'writeSseToNodeResponse options');
  let closed = false;
  let heartbeat: Heartbeat | undefined;
  const onClose = (): void => {
    if (response.writableFinished) return;
    closed = true;
    heartbeat?.stop();
    stream.cancel();
  };
  response.once('close', onClose);
  try {
    const { first, all, stop } = await peekFirstEvent(stream);
    if (closed) return;
    if (first?.type === 'error') {
      await stop();
      const answer = errorResponse(first.error, settings);
      response.writeHead(answer.status, answer.headers);
      response.end(answer.body);
      return;
    }
    response.writeHead(200, sseHeaders(settings.headers));
    response.flushHeaders();
    const retry = retryField(settings);
    if (retry !== undefined) response.write(retry);
    heartbeat = startHeartbeat(settings.heartbeatMs, () => {
      // Never after the end, never into a closed socket, never on top of unsent data (not idle then).
      if (closed || response.writableEnded || response.destroyed || response.writableNeedDrain) return;
      response.write(SSE_HEARTBEAT);
    });
    for await (const message of encodeFor(all, settings)) {
      if (closed) break;
      const flushed = response.write(message);
      heartbeat.touch();
      if (!flushed) await drained(response);
    }
    heartbeat.stop();
    if (!closed) response.end();
  } finally {
    heartbeat?.stop();
    response.off('close', onClose);
  }
}

/** Waits for `drain`, or for the connection to close. */
function drained(response: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      response.off('drain', done);
      response.off('close', done);
      resolve();
    };
    response.once('drain', done);
    response.once('close', done);
  });
}
