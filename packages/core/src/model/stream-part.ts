import type { FinishReason, TokenLogprob } from './chat-result';
import type { TokenUsage } from './token-usage';

/** One part of a model's stream. A stream ends with exactly one `finish`. */
export type StreamPart =
  | { type: 'text-delta'; text: string }
  | { type: 'logprobs'; logprobs: readonly TokenLogprob[] }
  | { type: 'usage'; usage: TokenUsage }
  | { type: 'response-metadata'; responseId?: string; responseModelId?: string }
  | { type: 'finish'; finishReason: FinishReason; usage?: TokenUsage };
