import { type ChatRequest, type TokenUsage, countMessageTokens, countTokens } from '@cascade/core';

/**
 * Usage of a call that ended without the provider's usage (cancelled, abandoned or cut mid-stream):
 * the prompt and the text received, counted with core's tokenizer, marked `estimated`.
 */
export function estimateUsage(request: ChatRequest, receivedText: string): TokenUsage {
  return { inputTokens: countMessageTokens(request.messages), outputTokens: countTokens(receivedText), source: 'estimated' };
}
