import type { CascadeError } from '@cascade/core';
import { z } from 'zod';
import type { CascadeStreamEvent } from '../events/stream-event';
import { encodeOpenAIChunks, openAIChunkOptionsSchema, openAIErrorBody } from '../sse/encode-openai-chunks';
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
  })
  .strict();

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
export function encodeFor(events: AsyncIterable<CascadeStreamEvent>, options: ParsedSseResponseOptions): AsyncGenerator<string, void> {
  return options.format === 'openai' ? encodeOpenAIChunks(events, options.openai ?? {}) : encodeSse(events);
}

/** An error answered before the stream started: its HTTP status, headers and JSON body. */
export function errorResponse(error: CascadeError, options: ParsedSseResponseOptions): { status: number; headers: Record<string, string>; body: string } {
  return {
    status: error.httpStatus,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      ...(error.retryAfterMs !== undefined ? { 'retry-after': String(Math.ceil(error.retryAfterMs / 1000)) } : {}),
      ...options.headers,
    },
    body: JSON.stringify(options.format === 'openai' ? openAIErrorBody(error) : { error: error.toJSON() }),
  };
}
