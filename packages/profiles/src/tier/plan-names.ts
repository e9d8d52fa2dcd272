// Issue 14.11: a customer's subscription is a "plan"; "tier" is a model's position in a cascade
// (core's `CascadeAttempt.tier`). The plan names below are the public ones; the tier names stay as
// deprecated aliases until the next minor version. Inside this package the code keeps its tier files.
import * as tierConfig from './tier-config';
import * as tierPresets from './tier-presets';

/** A built-in plan name: `free`, `starter`, `pro`, `business`, `enterprise`. */
export type PlanName = tierPresets.TierName;
/** A plan: models, quality, budget, rate limits and features of a subscription level. */
export type PlanConfig = tierConfig.TierConfig;
/** What callers write to define a plan (see {@link definePlan}). */
export type PlanConfigInput = tierConfig.TierConfigInput;
/** Changes {@link derivePlan} applies to a base plan. */
export type PlanOverrides = tierConfig.TierOverrides;

/**
 * The built-in plans, FREE … ENTERPRISE.
 *
 * @example
 * const profile = UserProfile.fromPlan(PLAN_PRESETS.pro, 'user_123');
 */
export const PLAN_PRESETS: typeof tierPresets.TIER_PRESETS = tierPresets.TIER_PRESETS;

/**
 * Defines a custom plan (validated, frozen).
 *
 * @throws CascadeError `INVALID_CONFIG` naming the bad field.
 * @example
 * const team = definePlan({ name: 'team', allowedModels: ['gpt-4o-mini', 'gpt-4o'], budget: { dailyUsd: 20 } });
 */
export const definePlan: typeof tierConfig.defineTier = tierConfig.defineTier;

/**
 * A new plan from a base plan with some fields replaced.
 *
 * @example
 * const businessEu = derivePlan(PLAN_PRESETS.business, { name: 'business-eu', budget: { dailyUsd: 80 } });
 */
export const derivePlan: typeof tierConfig.deriveTier = tierConfig.deriveTier;

/** @deprecated Use `PlanName` ("tier" is a model's position in the cascade). Removed in the next minor version. */
export type TierName = PlanName;
/** @deprecated Use `PlanConfig`. Removed in the next minor version. */
export type TierConfig = PlanConfig;
/** @deprecated Use `PlanConfigInput`. Removed in the next minor version. */
export type TierConfigInput = PlanConfigInput;
/** @deprecated Use `PlanOverrides`. Removed in the next minor version. */
export type TierOverrides = PlanOverrides;
/** @deprecated Use `PLAN_PRESETS`. Removed in the next minor version. */
export const TIER_PRESETS: typeof PLAN_PRESETS = PLAN_PRESETS;
/** @deprecated Use `definePlan`. Removed in the next minor version. */
export const defineTier: typeof definePlan = definePlan;
/** @deprecated Use `derivePlan`. Removed in the next minor version. */
export const deriveTier: typeof derivePlan = derivePlan;
