import type { CascadeStreamEvent } from './stream-event';
import type { PartialObjectEvent } from './partial-object-event';

/** An event the HTTP helpers can send: a cascade event, or a `streamObject` snapshot. */
export type SseStreamEvent = CascadeStreamEvent | PartialObjectEvent<unknown>;

/**
 * What the HTTP helpers stream: a `CascadeStream` (from `streamCascade`) or an `ObjectStream` (from
 * `streamObject`, whose `partial-object` snapshots are sent too). `cancel` runs when the client goes.
 */
export interface SseSource extends AsyncIterable<SseStreamEvent> {
  cancel(reason?: unknown): void;
}
