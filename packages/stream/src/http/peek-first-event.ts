/**
 * Reads the first event of a stream (to answer an admission error with its HTTP status instead of a
 * 200 stream) and returns it with an iterable of the whole stream, the first event included.
 */
export async function peekFirstEvent<Event>(
  events: AsyncIterable<Event>,
): Promise<{ first: Event | undefined; all: AsyncIterable<Event>; stop: () => Promise<void> }> {
  const iterator = events[Symbol.asyncIterator]();
  const head = await iterator.next();
  const first = head.done === true ? undefined : head.value;
  const stop = async (): Promise<void> => {
    await iterator.return?.();
  };
  async function* all(): AsyncGenerator<Event> {
    if (first === undefined) return;
    let completed = false;
    try {
      yield first;
      while (true) {
        const next = await iterator.next();
        if (next.done === true) {
          completed = true;
          return;
        }
        yield next.value;
      }
    } finally {
      if (!completed) await stop();
    }
  }
  return { first, all: all(), stop };
}
