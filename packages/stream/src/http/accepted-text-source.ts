import type { CascadeStreamEvent } from '../events/stream-event';

/** The part of a `CascadeStream` the text and UI message helpers use (no import cycle with the stream). */
export interface AcceptedTextSource extends AsyncIterable<CascadeStreamEvent> {
  cancel(reason?: unknown): void;
  requireAcceptedText(what: string): void;
}
