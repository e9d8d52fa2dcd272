import { z } from 'zod';

/** Price of one model in USD per 1M tokens. */
export const modelPriceSchema = z.strictObject({
  inputUsdPerMTok: z.number().nonnegative(),
  outputUsdPerMTok: z.number().nonnegative(),
  /** Price of prompt-cache hits; defaults to the input price. */
  cachedInputUsdPerMTok: z.number().nonnegative().optional(),
  /** Multiplier for the provider's batch API (OpenAI: 0.5). @default 0.5 */
  batchMultiplier: z.number().positive().max(1).optional(),
});
export type ModelPrice = z.output<typeof modelPriceSchema>;
