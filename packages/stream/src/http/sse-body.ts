import { type Heartbeat, SSE_HEARTBEAT, startHeartbeat } from './heartbeat';

/**
 * A response body pulling `messages` one at a time (backpressure), with an SSE heartbeat while idle
 * (`heartbeatMs` 0: none) cleared on every end; cancelling the body calls `onCancel` and closes `messages`.
 * A failure of `messages` errors the body (the client sees a cut connection). `preamble` (e.g. an SSE
 * `retry:` field) is enqueued first.
 */
export function sseBody(messages: AsyncGenerator<string, void>, heartbeatMs: number, onCancel: () => void, preamble?: string): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let heartbeat: Heartbeat | undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      if (preamble !== undefined) controller.enqueue(encoder.encode(preamble));
      heartbeat = startHeartbeat(heartbeatMs, () => {
        if ((controller.desiredSize ?? 0) <= 0) return; // a full queue is not an idle connection
        try {
          controller.enqueue(encoder.encode(SSE_HEARTBEAT));
        } catch {
          heartbeat?.stop();
        }
      });
    },
    async pull(controller) {
      let next: IteratorResult<string, void>;
      try {
        next = await messages.next();
      } catch (error) {
        heartbeat?.stop();
        throw error;
      }
      if (next.done === true) {
        heartbeat?.stop();
        controller.close();
      } else {
        controller.enqueue(encoder.encode(next.value));
        heartbeat?.touch();
      }
    },
    async cancel() {
      heartbeat?.stop();
      onCancel();
      await messages.return(undefined);
    },
  });
}
