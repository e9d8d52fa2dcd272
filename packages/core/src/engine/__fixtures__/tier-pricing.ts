import { createPricing } from '../../pricing/pricing';

/** Three test tiers priced 1 : 5 : 30 (USD per million tokens, input and output alike). */
export const tierPricing = createPricing({
  includeDefaults: false,
  prices: {
    cheap: { inputUsdPerMTok: 1, outputUsdPerMTok: 1 },
    mid: { inputUsdPerMTok: 5, outputUsdPerMTok: 5 },
    strong: { inputUsdPerMTok: 30, outputUsdPerMTok: 30 },
  },
});
