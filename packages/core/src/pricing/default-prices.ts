import type { ModelPrice } from './model-price';

/** Date the default table was last checked against the providers' public list prices. */
export const DEFAULT_PRICES_AS_OF = '2025-08-01';

/**
 * Public list prices in USD per 1M tokens (input / output), as of {@link DEFAULT_PRICES_AS_OF}.
 * Prices change: pass your own with `createPricing({ prices })`; yours win over these.
 */
export const DEFAULT_PRICES: Readonly<Record<string, Readonly<ModelPrice>>> = deepFreeze({
  // OpenAI
  'gpt-5': { inputUsdPerMTok: 1.25, outputUsdPerMTok: 10, cachedInputUsdPerMTok: 0.125 },
  'gpt-5-mini': { inputUsdPerMTok: 0.25, outputUsdPerMTok: 2, cachedInputUsdPerMTok: 0.025 },
  'gpt-5-nano': { inputUsdPerMTok: 0.05, outputUsdPerMTok: 0.4, cachedInputUsdPerMTok: 0.005 },
  'gpt-4.1': { inputUsdPerMTok: 2, outputUsdPerMTok: 8, cachedInputUsdPerMTok: 0.5 },
  'gpt-4.1-mini': { inputUsdPerMTok: 0.4, outputUsdPerMTok: 1.6, cachedInputUsdPerMTok: 0.1 },
  'gpt-4.1-nano': { inputUsdPerMTok: 0.1, outputUsdPerMTok: 0.4, cachedInputUsdPerMTok: 0.025 },
  'gpt-4o': { inputUsdPerMTok: 2.5, outputUsdPerMTok: 10, cachedInputUsdPerMTok: 1.25 },
  'gpt-4o-mini': { inputUsdPerMTok: 0.15, outputUsdPerMTok: 0.6, cachedInputUsdPerMTok: 0.075 },
  o3: { inputUsdPerMTok: 2, outputUsdPerMTok: 8, cachedInputUsdPerMTok: 0.5 },
  'o4-mini': { inputUsdPerMTok: 1.1, outputUsdPerMTok: 4.4, cachedInputUsdPerMTok: 0.275 },
  'gpt-4-turbo': { inputUsdPerMTok: 10, outputUsdPerMTok: 30 },
  'gpt-4-1106-preview': { inputUsdPerMTok: 10, outputUsdPerMTok: 30 },
  'gpt-3.5-turbo': { inputUsdPerMTok: 0.5, outputUsdPerMTok: 1.5 },
  // Anthropic (through OpenAI-compatible gateways)
  'claude-opus-4-1': { inputUsdPerMTok: 15, outputUsdPerMTok: 75 },
  'claude-sonnet-4': { inputUsdPerMTok: 3, outputUsdPerMTok: 15 },
  'claude-3-5-haiku': { inputUsdPerMTok: 0.8, outputUsdPerMTok: 4 },
  // Google
  'gemini-2.5-pro': { inputUsdPerMTok: 1.25, outputUsdPerMTok: 10 },
  'gemini-2.5-flash': { inputUsdPerMTok: 0.3, outputUsdPerMTok: 2.5 },
  'gemini-2.5-flash-lite': { inputUsdPerMTok: 0.1, outputUsdPerMTok: 0.4 },
  // Open models on common hosts (Groq / Together list prices)
  'llama-3.1-8b-instant': { inputUsdPerMTok: 0.05, outputUsdPerMTok: 0.08 },
  'llama-3.3-70b-versatile': { inputUsdPerMTok: 0.59, outputUsdPerMTok: 0.79 },
  'mixtral-8x7b-instruct-v0.1': { inputUsdPerMTok: 0.6, outputUsdPerMTok: 0.6 },
  'deepseek-chat': { inputUsdPerMTok: 0.27, outputUsdPerMTok: 1.1 },
  'deepseek-reasoner': { inputUsdPerMTok: 0.55, outputUsdPerMTok: 2.19 },
});

function deepFreeze<T extends Record<string, object>>(table: T): T {
  for (const value of Object.values(table)) Object.freeze(value);
  return Object.freeze(table);
}
