import { dropDeprecatedFeatureFlags, modelAccessSchema, parseConfig } from '@cascade/core';
import { z } from 'zod';
import { deepFreeze } from '../util/deep-freeze';

const usd = z.number().positive().finite();
const count = z.number().int().positive();
const unit = z.number().min(0).max(1);
/** A model id as the engine knows it, e.g. `gpt-4o-mini`. */
export const modelIdSchema = z.string().trim().min(1).max(200);
const modelList = z.array(modelIdSchema).readonly();

/** Spending caps of a tier in USD. Absent means unlimited. */
export const tierBudgetSchema = z.strictObject({
  dailyUsd: usd.optional(),
  weeklyUsd: usd.optional(),
  monthlyUsd: usd.optional(),
  totalUsd: usd.optional(),
});

/** Rate limits of a tier. Absent means unlimited. Same fields as core's `RateLimitPolicy`. */
export const tierRateLimitsSchema = z.strictObject({
  requestsPerSecond: count.optional(),
  requestsPerMinute: count.optional(),
  requestsPerHour: count.optional(),
  requestsPerDay: count.optional(),
  tokensPerMinute: count.optional(),
  tokensPerHour: count.optional(),
  tokensPerDay: count.optional(),
  /** Extra requests allowed above the per-second/minute rate in a burst. */
  burst: z.number().int().nonnegative().optional(),
  /** Maximum requests in flight at once. */
  maxConcurrent: count.optional(),
});

/** Feature flags of a tier; the names are core's `FeatureFlag`s. */
export const tierFeaturesSchema = z.strictObject({
  /** @default true */
  streaming: z.boolean().default(true),
  /** @default false */
  batch: z.boolean().default(false),
  /** @default true */
  qualityValidation: z.boolean().default(true),
  /** @default true */
  guardrails: z.boolean().default(true),
  /** @deprecated Did nothing: accepted so stored tiers load, then dropped. Rejected from the next minor version. */
  embeddings: z.boolean().optional(),
  /** @deprecated Did nothing: accepted so stored tiers load, then dropped. Rejected from the next minor version. */
  domainRouting: z.boolean().optional(),
}).transform(dropDeprecatedFeatureFlags);

/** Quality range 0..1: never accept below `min`, aim for `target`, never pay for more than `max`. */
export const qualityRangeSchema = z
  .strictObject({
    /** @default 0.6 */
    min: unit.default(0.6),
    /** @default 0.8 */
    target: unit.default(0.8),
    /** @default 0.95 */
    max: unit.default(0.95),
    /**
     * Share of the strongest model's quality this tier keeps (0..1): the learning cascade's target
     * (`policy.qualityShare`). When set, `target` is not sent as the engine's fixed score threshold,
     * so the learner decides; unset, `target` stays the fixed threshold (the expert override).
     */
    share: unit.optional(),
  })
  .refine((quality) => quality.min <= quality.target, { message: 'quality.min must be <= quality.target', path: ['min'] })
  .refine((quality) => quality.target <= quality.max, { message: 'quality.target must be <= quality.max', path: ['target'] });

/** Support level of a tier. */
export const supportPrioritySchema = z.enum(['community', 'standard', 'priority', 'dedicated']);
/** Support level of a tier. */
export type SupportPriority = z.output<typeof supportPrioritySchema>;

/**
 * A subscription tier: budgets, rate limits, feature flags, quality range, model access and support
 * level. One dimension of a {@link UserProfile}. The schema is the source of truth for the type.
 */
export const tierConfigSchema = z.strictObject({
  /** Tier name, e.g. `pro` or a custom `startup`. */
  name: z.string().trim().min(1).max(64),
  budget: tierBudgetSchema.prefault({}),
  rateLimits: tierRateLimitsSchema.prefault({}),
  features: tierFeaturesSchema.prefault({}),
  quality: qualityRangeSchema.prefault({}),
  /** Only these models may be called. Absent means every configured model. */
  allowedModels: modelList.optional(),
  /**
   * Which of the agent's models may be called by their place in its cascade (cheapest first), whatever
   * their ids: `cheapest`, `all-but-strongest`, `all` (core's `policy.modelAccess`). Works with any models,
   * self-hosted ones too. Combines with `allowedModels`; an `allowedModels` set above the tier (organization,
   * workspace, user) replaces both. @default 'all'
   */
  modelAccess: modelAccessSchema.optional(),
  /** Never call these models. Wins over `allowedModels`. */
  blockedModels: modelList.optional(),
  /** Try these first, in order. */
  preferredModels: modelList.optional(),
  /** @default 'standard' */
  supportPriority: supportPrioritySchema.default('standard'),
});

/** What callers write to define a tier (defaults optional). */
export type TierConfigInput = z.input<typeof tierConfigSchema>;
/** A validated, deeply frozen tier. */
export type TierConfig = Readonly<z.output<typeof tierConfigSchema>>;

/** Tiers this package validated and froze: safe to share between profiles without copying. */
const knownTiers = new WeakSet<object>();

/** True when `value` is a tier produced by {@link defineTier}, {@link deriveTier} or a preset. */
export function isTierConfig(value: unknown): value is TierConfig {
  return typeof value === 'object' && value !== null && knownTiers.has(value);
}

/** Marks an already validated, deeply frozen tier as known. Internal. */
export function adoptTier(tier: z.output<typeof tierConfigSchema>): TierConfig {
  const frozen = deepFreeze(tier);
  knownTiers.add(frozen);
  return frozen;
}

/**
 * Validates a custom tier and returns it deeply frozen.
 *
 * @param input - the tier; omitted fields take their defaults.
 * @throws CascadeError `INVALID_CONFIG` naming the bad field.
 * @example
 * const startup = defineTier({ name: 'startup', budget: { dailyUsd: 5 }, rateLimits: { requestsPerHour: 1000 } });
 */
export function defineTier(input: TierConfigInput): TierConfig {
  if (isTierConfig(input)) return input;
  return adoptTier(parseConfig(tierConfigSchema, input, 'tier config'));
}

/** Overrides for {@link deriveTier}: every field optional, nested objects merged field by field. */
export type TierOverrides = Partial<{
  [Key in keyof TierConfigInput]: TierConfigInput[Key] extends object | undefined
    ? TierConfigInput[Key] extends readonly unknown[] | undefined
      ? TierConfigInput[Key]
      : Partial<NonNullable<TierConfigInput[Key]>>
    : TierConfigInput[Key];
}>;

/**
 * A new tier from `base` with `overrides` applied (nested objects merged field by field, lists replaced).
 * The base is never modified.
 *
 * @example
 * const proPlus = deriveTier(TIER_PRESETS.pro, { name: 'pro-plus', budget: { dailyUsd: 25 } });
 */
export function deriveTier(base: TierConfig, overrides: TierOverrides): TierConfig {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    const current = merged[key];
    const isPlainObject = (candidate: unknown): candidate is Record<string, unknown> =>
      typeof candidate === 'object' && candidate !== null && !Array.isArray(candidate);
    merged[key] = isPlainObject(current) && isPlainObject(value) ? { ...current, ...value } : value;
  }
  return adoptTier(parseConfig(tierConfigSchema, merged, `tier derived from "${base.name}"`));
}
