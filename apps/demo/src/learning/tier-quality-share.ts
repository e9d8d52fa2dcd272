import type { CascadeMiddleware } from '@cascade/core';

/**
 * Share of the strongest tier's quality each demo tier keeps. The profiles' tier presets carry a
 * validator-score `quality.target`, which core treats as the expert override (fixed threshold, no
 * learning); the demo serves its tenants with the learning cascade at these shares instead.
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
