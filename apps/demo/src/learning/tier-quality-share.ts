import type { CascadeMiddleware } from '@cascade/core';

/**
 * Share of the strongest tier's quality each demo tier keeps. The profiles' presets carry their own
 * shares (free 0.90 … enterprise 0.99); the demo sets its own per tier, as an operator would, so the
 * tour shows tiers trading quality for cost differently.
 */
export const DEMO_TIER_SHARES: Readonly<Record<string, number>> = Object.freeze({ free: 0.9, starter: 0.95, pro: 0.93, business: 0.98, enterprise: 0.99 });

/**
 * A resolver placed after the profiles middleware: for a principal on a tier of `shares`, it drops
 * the tier's score threshold (`qualityTarget`) and sets `qualityShare`, so the learner decides.
 * Other principals keep whatever their profile says.
 */
export function createTierQualityShareMiddleware(shares: Readonly<Record<string, number>> = DEMO_TIER_SHARES): CascadeMiddleware {
  return {
    name: 'tier-quality-share',
    resolve(context) {
      const tier = context.principal?.tier;
      const share = tier === undefined ? undefined : shares[tier];
      if (share === undefined) return undefined;
      return { policy: { qualityTarget: undefined, qualityShare: share } };
    },
  };
}
