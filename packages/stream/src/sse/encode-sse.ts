import type { SseStreamEvent } from '../events/sse-source';

/**
 * One event as a Server-Sent Events message: `event: <type>` and the event as JSON in `data:`.
 * Errors serialize through `CascadeError.toJSON()` (code, message, retryable; no cause, no stack).
 *
 * @param event - any cascade event, or a `streamObject` snapshot.
 * @param id - optional SSE `id:` (lets a client resume with `Last-Event-ID`).
 * @example
 * formatSseEvent({ type: 'text-delta', text: 'Hi', modelId: 'gpt-4o-mini', tier: 0 });
 * // 'event: text-delta\ndata: {"type":"text-delta","text":"Hi","modelId":"gpt-4o-mini","tier":0}\n\n'
 */
export function formatSseEvent(event: SseStreamEvent, id?: number | string): string {
  return `${id !== undefined ? `id: ${id}\n` : ''}event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/**
 * Encodes a cascade stream (or any iterable of its events) as Server-Sent Events, one message per
 * event, numbered from 0. Stopping the returned iterator stops (and so cancels) the stream.
 *
 * @example
 * for await (const message of encodeSse(streamCascade(agent, prompt))) response.write(message);
 */
export async function* encodeSse(events: AsyncIterable<SseStreamEvent>): AsyncGenerator<string, void> {
  let id = 0;
  for await (const event of events) yield formatSseEvent(event, id++);
}
