import type { ToolCall } from './chat-message';
import type { FinishReason, TokenLogprob } from './chat-result';
import type { TokenUsage } from './token-usage';

/**
 * One part of a model's stream. A stream ends with exactly one `finish`. Tool calls stream as
 * `tool-call-start`, `tool-call-delta`s and `tool-call-end` per call.
 */
export type StreamPart =
  | { type: 'text-delta'; text: string }
  /** A tool call begins: `index` orders the calls of one answer. */
  | { type: 'tool-call-start'; index: number; id: string; name: string }
  /** More of a tool call's JSON arguments. */
  | { type: 'tool-call-delta'; index: number; argumentsDelta: string }
  /** A tool call is complete (sent before `finish`). */
  | { type: 'tool-call-end'; index: number; toolCall: ToolCall }
  | { type: 'logprobs'; logprobs: readonly TokenLogprob[] }
  | { type: 'usage'; usage: TokenUsage }
  | { type: 'response-metadata'; responseId?: string; responseModelId?: string }
  | { type: 'finish'; finishReason: FinishReason; usage?: TokenUsage };
