import type { ChatRequest } from './chat-request';
import type { ChatResult } from './chat-result';
import type { StreamPart } from './stream-part';

/** Per-call options every model method takes. */
export interface CallOptions {
  /** Cancels the call, down to the HTTP request. */
  abortSignal?: AbortSignal;
  /** Extra HTTP headers for this call. */
  headers?: Readonly<Record<string, string>>;
}

/**
 * The model contract, version 1. Provider adapters and wrappers implement the `do*` methods;
 * the engine and everything else call them.
 *
 * - `doGenerate` resolves to the whole answer or rejects with a `CascadeError`.
 * - `doStream` yields parts and ends with one `finish`; it throws a `CascadeError` on failure.
 *   A consumer's `break` must cancel the underlying request.
 */
export interface ChatModel {
  readonly specificationVersion: 'v1';
  /** Provider name, e.g. `openai`, `groq`, `replay`, `mock`. */
  readonly provider: string;
  /** Model id as the provider knows it; also the key of its price. */
  readonly modelId: string;
  /**
   * True when `doGenerate` honours `request.choiceCount` (OpenAI `n`) and returns every answer in
   * `result.choices`, so k samples cost one call with the prompt billed once. Otherwise sampling
   * makes k calls in parallel. @default false
   */
  readonly supportsChoiceCount?: boolean;
  doGenerate(request: ChatRequest, options?: CallOptions): Promise<ChatResult>;
  doStream(request: ChatRequest, options?: CallOptions): AsyncIterable<StreamPart>;
}
