import type { ChatMessage } from './chat-message';
import type { ToolChoice, ToolDefinition } from './tool-definition';

/** What shape the answer must take. */
export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; json_schema: { name: string; schema?: Record<string, unknown>; strict?: boolean } };

/** One chat call, provider-neutral. */
export interface ChatRequest {
  messages: readonly ChatMessage[];
  /** Upper bound on answer tokens; also the basis of the pre-flight cost estimate. */
  maxOutputTokens?: number;
  temperature?: number;
  topP?: number;
  stop?: readonly string[];
  seed?: number;
  responseFormat?: ResponseFormat;
  /** Tools the model may call (their `execute` functions, if any, live in `RunOptions.tools`). */
  tools?: readonly ToolDefinition[];
  /** @default 'auto' when tools are given */
  toolChoice?: ToolChoice;
  /** Let the model call several tools in one turn. @default the provider's (true for OpenAI) */
  parallelToolCalls?: boolean;
  /** Ask the provider for token logprobs (used by the quality validator when present). */
  logprobs?: boolean;
  topLogprobs?: number;
  /**
   * Answers to sample in one call (OpenAI `n`). Only for models whose `supportsChoiceCount` is true;
   * they return every answer in `ChatResult.choices`. The learning cascade sets it for sampled
   * agreement (`learning.signals.agreement`); it is not a caller's request parameter.
   */
  choiceCount?: number;
  /** End-user id forwarded to the provider for abuse monitoring. */
  user?: string;
  /** Extra provider-specific body fields, passed through untouched. */
  providerOptions?: Readonly<Record<string, unknown>>;
}
