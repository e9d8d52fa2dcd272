// @cascade/stream: streaming through the cascade with typed events, modes, cancellation, SSE.
export { streamCascade } from './cascade/stream-cascade';
export type { CascadeStream } from './cascade/cascade-stream';
export {
  streamCascadeOptionsSchema, streamModeSchema, type StreamCascadeOptions, type ParsedStreamCascadeOptions, type StreamMode,
} from './options/stream-options';
export type {
  CascadeStreamEvent, CascadeStreamEventType, AttemptStartEvent, TextDeltaEvent, DraftDecisionEvent, SwitchEvent, GuardrailEvent,
  UsageEvent, FinishEvent, ErrorEvent,
} from './events/stream-event';
export { resolveStreamMode, attemptStrategy, type AttemptStrategy } from './modes/stream-mode';
export { estimateUsage } from './usage/estimate-usage';
