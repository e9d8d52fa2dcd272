import type { ToolCall } from './chat-message';
import type { TokenUsage } from './token-usage';

/** Why the model stopped. */
export type FinishReason = 'stop' | 'length' | 'content-filter' | 'tool-calls' | 'error' | 'other' | 'unknown';

/** Log probability of one generated token. */
export interface TokenLogprob {
  token: string;
  logprob: number;
  topLogprobs?: readonly { token: string; logprob: number }[];
}

/** One of several answers sampled in one call (`ChatRequest.choiceCount`). */
export interface ChatChoice {
  text: string;
  toolCalls?: readonly ToolCall[];
  finishReason: FinishReason;
  logprobs?: readonly TokenLogprob[];
}

/** The answer of one model call. */
export interface ChatResult {
  text: string;
  /** Tools the model asked to call (then `finishReason` is usually `tool-calls`). */
  toolCalls?: readonly ToolCall[];
  finishReason: FinishReason;
  usage: TokenUsage;
  logprobs?: readonly TokenLogprob[];
  /** Every sampled answer, the first one included, when the request asked for more than one (`choiceCount`); `usage` covers them all. */
  choices?: readonly ChatChoice[];
  /** Provider's response id, when given. */
  responseId?: string;
  /** The model id the provider reports having used (may differ from the requested alias). */
  responseModelId?: string;
}
