import { z } from 'zod';
import { CascadeError } from '../errors/cascade-error';
import { parseConfig } from '../errors/config-error';
import type { ChatRequest } from '../model/chat-request';
import type { TokenUsage } from '../model/token-usage';
import { estimateMessageTokens } from '../tokens/estimate-tokens';
import { DEFAULT_PRICES, DEFAULT_PRICES_AS_OF } from './default-prices';
import { type ModelPrice, modelPriceSchema } from './model-price';

/** Answer budget assumed when a request sets no `maxOutputTokens`. @default 1024 */
export const DEFAULT_MAX_OUTPUT_TOKENS = 1024;

export const pricingConfigSchema = z.strictObject({
  /** Your prices, USD per 1M tokens; they win over the defaults. */
  prices: z.record(z.string().min(1), modelPriceSchema).default({}),
  /** Include the dated default table. @default true */
  includeDefaults: z.boolean().default(true),
  /** What to do for a model with no price: `error` (INVALID_CONFIG) or `zero` (cost 0). @default 'error' */
  unknownModel: z.enum(['error', 'zero']).default('error'),
  /** Output tokens assumed for the pre-flight estimate when the request sets no max. @default 1024 */
  defaultMaxOutputTokens: z.number().int().positive().default(DEFAULT_MAX_OUTPUT_TOKENS),
});
export type PricingConfig = z.input<typeof pricingConfigSchema>;

/** A pre-flight estimate for one model. */
export interface CostEstimate {
  inputTokens: number;
  maxOutputTokens: number;
  costUsd: number;
}

/** Prices models and usage. */
export interface Pricing {
  /** Date of the default table in use. */
  readonly asOf: string;
  /** The price of a model, or undefined when unknown. */
  priceOf(modelId: string): ModelPrice | undefined;
  /** USD cost of `usage` on `modelId`. `batch` applies the model's batch multiplier. */
  costOf(modelId: string, usage: TokenUsage, options?: { batch?: boolean }): number;
  /** Conservative pre-flight estimate: prompt tokens (`estimateMessageTokens`: exact for the first 8 K chars, bounded past them) + max output tokens, priced. */
  estimate(modelId: string, request: ChatRequest, inputTokens?: number): CostEstimate;
}

/**
 * Creates a price table: the dated defaults plus yours.
 *
 * @example
 * const pricing = createPricing({ prices: { 'my-llama': { inputUsdPerMTok: 0.1, outputUsdPerMTok: 0.2 } } });
 * pricing.costOf('gpt-4o-mini', { inputTokens: 1000, outputTokens: 500, source: 'provider' }); // 0.00045
 */
export function createPricing(config: PricingConfig = {}): Pricing {
  const options = parseConfig(pricingConfigSchema, config, 'pricing config');
  const table = new Map<string, ModelPrice>();
  if (options.includeDefaults) for (const [id, price] of Object.entries(DEFAULT_PRICES)) table.set(id, price);
  for (const [id, price] of Object.entries(options.prices)) table.set(id, Object.freeze({ ...price }));

  const lookup = (modelId: string): ModelPrice | undefined => {
    const exact = table.get(modelId);
    if (exact) return exact;
    // Provider-prefixed ids ("openai/gpt-4o-mini") and dated snapshots ("gpt-4o-mini-2024-07-18").
    const slash = modelId.lastIndexOf('/');
    if (slash >= 0) {
      const bare = lookup(modelId.slice(slash + 1));
      if (bare) return bare;
    }
    const dated = /^(.*?)-\d{4}-\d{2}-\d{2}$/.exec(modelId);
    return dated ? table.get(dated[1]!) : undefined;
  };

  const required = (modelId: string): ModelPrice | undefined => {
    const price = lookup(modelId);
    if (price || options.unknownModel === 'zero') return price;
    throw new CascadeError(
      'INVALID_CONFIG',
      `No price for model "${modelId}". Add it with createPricing({ prices: { "${modelId}": { inputUsdPerMTok, outputUsdPerMTok } } }) or set unknownModel: "zero".`,
    );
  };

  return {
    asOf: DEFAULT_PRICES_AS_OF,
    priceOf: lookup,
    costOf(modelId, usage, costOptions) {
      const price = required(modelId);
      if (!price) return 0;
      const cached = Math.min(usage.cachedInputTokens ?? 0, usage.inputTokens);
      const cachedPrice = price.cachedInputUsdPerMTok ?? price.inputUsdPerMTok;
      const cost =
        ((usage.inputTokens - cached) * price.inputUsdPerMTok + cached * cachedPrice + usage.outputTokens * price.outputUsdPerMTok) / 1_000_000;
      return costOptions?.batch ? cost * (price.batchMultiplier ?? 0.5) : cost;
    },
    estimate(modelId, request, inputTokens) {
      const price = required(modelId);
      const input = inputTokens ?? estimateMessageTokens(request.messages);
      const maxOutputTokens = request.maxOutputTokens ?? options.defaultMaxOutputTokens;
      const costUsd = price ? (input * price.inputUsdPerMTok + maxOutputTokens * price.outputUsdPerMTok) / 1_000_000 : 0;
      return { inputTokens: input, maxOutputTokens, costUsd };
    },
  };
}
