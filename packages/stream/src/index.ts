// @cascade/stream: streaming through the cascade with typed events, modes, cancellation, SSE.
export { streamCascade } from './cascade/stream-cascade';
export type { CascadeStream } from './cascade/cascade-stream';
export {
  streamObject, streamObjectOptionsSchema, type StreamObjectOptions, type ObjectStream, type ObjectStreamEvent, type PartialObjectEvent, type PartialObject,
} from './object/stream-object';
export {
  streamCascadeOptionsSchema, streamModeSchema, streamCallbacksSchema, type StreamCascadeOptions, type ParsedStreamCascadeOptions, type StreamMode,
  type StreamFinishEvent,
} from './options/stream-options';
export type {
  CascadeStreamEvent, CascadeStreamEventType, AttemptStartEvent, TextDeltaEvent, DraftDecisionEvent, SwitchEvent, GuardrailEvent,
  UsageEvent, FinishEvent, ErrorEvent, ToolCallEvent, ToolCallStartEvent, ToolCallDeltaEvent, ToolCallEndEvent, ToolResultEvent,
} from './events/stream-event';
export { toPublicEvent, type PublicStreamEvent } from './events/public-event';
export type { SseSource, SseStreamEvent } from './events/sse-source';
export { resolveStreamMode, attemptStrategy, type AttemptStrategy } from './modes/stream-mode';
export { estimateUsage } from './usage/estimate-usage';
export { formatSseEvent, encodeSse } from './sse/encode-sse';
export { encodeOpenAIChunks, openAIChunkOptionsSchema, type OpenAIChunkOptions } from './sse/encode-openai-chunks';
export {
  openAIErrorBody, openAIErrorResponse, retryAfterSeconds, OPENAI_ERROR_TYPE_BY_CODE, INTERNAL_ERROR_MESSAGE, type OpenAIErrorBody,
} from './sse/openai-error';
export { writeSseToNodeResponse } from './http/write-sse-to-node-response';
export { toSseResponse } from './http/to-sse-response';
export { toTextStreamResponse, textStreamResponseOptionsSchema, type TextStreamResponseOptions } from './http/to-text-stream-response';
export { toUIMessageStreamResponse, uiMessageStreamResponseOptionsSchema, type UIMessageStreamResponseOptions } from './http/to-ui-message-stream-response';
export {
  toUIMessageChunks, formatUIMessageChunk, UI_MESSAGE_STREAM_DONE, UI_MESSAGE_STREAM_HEADERS, type UIMessageChunk, type UIMessageChunkOptions,
} from './sse/encode-ui-message-chunks';
export { SSE_HEARTBEAT } from './http/heartbeat';
export { fromUIMessages, uiMessagesSchema } from './ui/from-ui-messages';
export { sseResponseOptionsSchema, type SseResponseOptions, type ParsedSseResponseOptions } from './http/sse-response-options';
