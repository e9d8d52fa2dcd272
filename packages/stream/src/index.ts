// @cascade/stream: streaming through the cascade with typed events, modes, cancellation, SSE.
export { streamCascade } from './cascade/stream-cascade';
export type { CascadeStream } from './cascade/cascade-stream';
export {
  streamObject, streamObjectOptionsSchema, type StreamObjectOptions, type ObjectStream, type ObjectStreamEvent, type PartialObjectEvent, type PartialObject,
} from './object/stream-object';
export {
  streamCascadeOptionsSchema, streamModeSchema, type StreamCascadeOptions, type ParsedStreamCascadeOptions, type StreamMode,
} from './options/stream-options';
export type {
  CascadeStreamEvent, CascadeStreamEventType, AttemptStartEvent, TextDeltaEvent, DraftDecisionEvent, SwitchEvent, GuardrailEvent,
  UsageEvent, FinishEvent, ErrorEvent, ToolCallEvent, ToolCallStartEvent, ToolCallDeltaEvent, ToolCallEndEvent, ToolResultEvent,
} from './events/stream-event';
export { toPublicEvent, type PublicStreamEvent } from './events/public-event';
export { resolveStreamMode, attemptStrategy, type AttemptStrategy } from './modes/stream-mode';
export { estimateUsage } from './usage/estimate-usage';
export { formatSseEvent, encodeSse } from './sse/encode-sse';
export { encodeOpenAIChunks, openAIChunkOptionsSchema, type OpenAIChunkOptions } from './sse/encode-openai-chunks';
export {
  openAIErrorBody, openAIErrorResponse, retryAfterSeconds, OPENAI_ERROR_TYPE_BY_CODE, INTERNAL_ERROR_MESSAGE, type OpenAIErrorBody,
} from './sse/openai-error';
export { writeSseToNodeResponse } from './http/write-sse-to-node-response';
export { toSseResponse } from './http/to-sse-response';
export { SSE_HEARTBEAT } from './http/heartbeat';
export { sseResponseOptionsSchema, type SseResponseOptions, type ParsedSseResponseOptions } from './http/sse-response-options';
