import type { CascadeError } from '@cascade/core';
import { type CascadeStream, type CascadeStreamEvent, toTextStreamResponse, toUIMessageStreamResponse } from '@cascade/stream';
import { type TenantErrorContext, toTenantCascadeError } from './tenant-error';

/** A stream refused before its first event, or one to write whose errors a tenant may see. */
export type OpenedTenantStream = { refused: CascadeError } | { stream: CascadeStream };

/**
 * Reads the first event of a cascade stream. A refusal (rate limit, guardrail, store down) comes back
 * as `refused`, for the server to answer as JSON with the tenant's message and status; otherwise the
 * stream, first event included, with every later `error` event turned into its tenant view, so the
 * error chunk written mid-stream never carries the operator's message either. `context` is read when
 * the error comes (the server may have started to shut down by then).
 */
export async function openTenantStream(source: CascadeStream, context: () => TenantErrorContext): Promise<OpenedTenantStream> {
  const iterator = source[Symbol.asyncIterator]();
  const head = await iterator.next();
  if (head.done !== true && head.value.type === 'error') {
    await iterator.return?.();
    return { refused: head.value.error };
  }
  async function* events(): AsyncGenerator<CascadeStreamEvent> {
    if (head.done === true) return;
    let completed = false;
    try {
      yield head.value;
      while (true) {
        const next = await iterator.next();
        if (next.done === true) {
          completed = true;
          return;
        }
        const event = next.value;
        yield event.type === 'error' ? { ...event, error: toTenantCascadeError(event.error, context()) } : event;
      }
    } finally {
      if (!completed) await iterator.return?.();
    }
  }
  const stream: CascadeStream = {
    [Symbol.asyncIterator]: () => events(),
    get textStream() {
      return source.textStream;
    },
    get result() {
      return source.result;
    },
    get usage() {
      return source.usage;
    },
    get cost() {
      return source.cost;
    },
    get text() {
      return source.text;
    },
    cancel: (reason?: unknown) => source.cancel(reason),
    requireAcceptedText: (what: string) => source.requireAcceptedText(what),
    // Through this wrapper, so their error parts carry the tenant view too.
    toTextStreamResponse: (options) => toTextStreamResponse(stream, options),
    toUIMessageStreamResponse: (options) => toUIMessageStreamResponse(stream, options),
  };
  return { stream };
}
