import type { ChatMessage } from './chat-message';

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
  /** Ask the provider for token logprobs (used by the quality validator when present). */
  logprobs?: boolean;
  topLogprobs?: number;
  /** End-user id forwarded to the provider for abuse monitoring. */
  user?: string;
  /** Extra provider-specific body fields, passed through untouched. */
  providerOptions?: Readonly<Record<string, unknown>>;
}
