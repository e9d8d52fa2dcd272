/** Token counts of one call. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  /** Input tokens served from the provider's prompt cache, when reported. */
  cachedInputTokens?: number;
  /** `provider` when the provider reported the counts; `estimated` when counted locally with a tokenizer. */
  source: 'provider' | 'estimated';
}

/** Usage with every count zero. */
export const ZERO_USAGE: Readonly<TokenUsage> = Object.freeze({ inputTokens: 0, outputTokens: 0, source: 'provider' });

/** Sum of usages; the source is `estimated` if any part was estimated. */
export function addUsage(left: TokenUsage, right: TokenUsage): TokenUsage {
  const cached = (left.cachedInputTokens ?? 0) + (right.cachedInputTokens ?? 0);
  return {
    inputTokens: left.inputTokens + right.inputTokens,
    outputTokens: left.outputTokens + right.outputTokens,
    ...(cached > 0 ? { cachedInputTokens: cached } : {}),
    source: left.source === 'estimated' || right.source === 'estimated' ? 'estimated' : 'provider',
  };
}
