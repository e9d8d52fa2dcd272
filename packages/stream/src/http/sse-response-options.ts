import { type CascadeError, delayMsSchema, timeoutMsSchema, toPublicError } from '@cascade/core';
import { z } from 'zod';
import { toPublicEvent } from '../events/public-event';
import type { SseStreamEvent } from '../events/sse-source';
import { encodeOpenAIChunks, openAIChunkOptionsSchema } from '../sse/encode-openai-chunks';
import { openAIErrorResponse, retryAfterSeconds } from '../sse/openai-error';
import { encodeSse } from '../sse/encode-sse';

/** Options of the HTTP helpers (`writeSseToNodeResponse`, `toSseResponse`). */
export const sseResponseOptionsSchema = z
  .object({
    /** `events`: the cascade's typed events; `openai`: OpenAI `chat.completion.chunk` SSE. @default 'events' */
    format: z.enum(['events', 'openai']).default('events'),
    /** Options of the OpenAI encoder (format `openai`). */
    openai: openAIChunkOptionsSchema.optional(),
    /** Extra response headers. */
    headers: z.record(z.string(), z.string()).optional(),
    /**
     * Writes an SSE comment (`: ping`) whenever nothing was written for this long, so proxies and load
     * balancers (nginx 60 s, AWS ALB 60 s by default) do not cut a response that is waiting for a slow
     * model or a buffered draft. Clients ignore comments. `0` disables it. @default 15000
     */
    heartbeatMs: delayMsSchema.default(15_000),
    /**
     * Format `events` only: sends `retry: <ms>` first, the delay an `EventSource` waits before it
     * reconnects. Off by default: a reconnect re-runs (and pays for) the whole request.
     */
    retryMs: timeoutMsSchema.optional(),
    /**
     * Format `events` only (format `openai` always sends OpenAI's own error bodies, which hide internal
     * messages). `public` (for browsers): only text, switches, guardrail stops, the final text and
     * public errors (`toPublicEvent`, `toPublicError`: generic message, no details, no limiter keys).
     * `trusted` (your own backend): the full events (`CascadeResult` with costs, scores, attempts)
     * and errors with details. @default 'public'
     */
    view: z.enum(['public', 'trusted']).default('public'),
  })
  .strict()
  .refine((options) => options.retryMs === undefined || options.format === 'events', {
    message: '`retryMs` is for format `events`: OpenAI clients do not reconnect',
    path: ['retryMs'],
  });

/** What callers pass to the HTTP helpers. */
export type SseResponseOptions = z.input<typeof sseResponseOptionsSchema>;
/** Parsed HTTP helper options. */
export type ParsedSseResponseOptions = z.output<typeof sseResponseOptionsSchema>;

/** Headers of an SSE response (no caching, no proxy buffering). */
export function sseHeaders(extra: Readonly<Record<string, string>> | undefined): Record<string, string> {
  return {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    ...extra,
  };
}

/** The encoded messages of a stream in the chosen format. */
export function encodeFor(events: AsyncIterable<SseStreamEvent>, options: ParsedSseResponseOptions): AsyncGenerator<string, void> {
  if (options.format === 'openai') return encodeOpenAIChunks(events, options.openai ?? {});
  return options.view === 'trusted' ? encodeSse(events) : encodePublicSse(events);
}

/** Format `events`, view `public`: {@link toPublicEvent} of each event, numbered from 0; the rest is skipped. */
async function* encodePublicSse(events: AsyncIterable<SseStreamEvent>): AsyncGenerator<string, void> {
  let id = 0;
  for await (const event of events) {
    const visible = toPublicEvent(event);
    if (visible) yield `id: ${id++}\nevent: ${visible.type}\ndata: ${JSON.stringify(visible)}\n\n`;
  }
}

/** The `retry:` field sent first (format `events` with `retryMs`), if any. */
export function retryField(options: ParsedSseResponseOptions): string | undefined {
  return options.retryMs !== undefined && options.format === 'events' ? `retry: ${options.retryMs}\n\n` : undefined;
}

/**
 * An error answered before the stream started: its HTTP status, headers and JSON body. Format `openai`:
 * {@link openAIErrorResponse}, the body the stream's error chunk carries; format `events`:
 * `{ error: error.toJSON() }`, the `error` of the typed `error` event.
 */
export function errorResponse(shown: CascadeError, options: ParsedSseResponseOptions): { status: number; headers: Record<string, string>; body: string } {
  const error = options.view === 'public' && options.format === 'events' ? toPublicError(shown) : shown;
  if (options.format === 'openai') {
    const answer = openAIErrorResponse(error);
    return { status: answer.status, headers: { 'content-type': 'application/json; charset=utf-8', ...answer.headers, ...options.headers }, body: JSON.stringify(answer.body) };
  }
  return {
    status: error.httpStatus,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      ...(error.retryAfterMs !== undefined ? { 'retry-after': retryAfterSeconds(error.retryAfterMs) } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ error: error.toJSON() }),
  };
}
