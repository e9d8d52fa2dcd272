import type { StreamPart } from '../model/stream-part';

/** Collects every item of an async iterable into an array. */
export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** Turns an array (or strings) into an async iterable, optionally yielding to the event loop between items. */
export async function* fromArray<T>(items: Iterable<T>, options: { yieldBetween?: boolean } = {}): AsyncGenerator<T> {
  for (const item of items) {
    if (options.yieldBetween) await new Promise<void>((resolve) => setImmediate(resolve));
    yield item;
  }
}

/** The concatenated text of a model stream's `text-delta` parts. */
export function streamText(parts: readonly StreamPart[]): string {
  let text = '';
  for (const part of parts) if (part.type === 'text-delta') text += part.text;
  return text;
}
