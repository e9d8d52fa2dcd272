import type { AgentPolicy, BudgetPolicy, FeatureFlag, GuardrailsPolicy, LimitsPolicy, ModelAccess, RateLimitPolicy } from '@cascade/core';
import { featureFlagSchema } from '@cascade/core';
import { deepFreeze } from '../util/deep-freeze';
import type { MemberOverrides, ProfileGuardrails, UserProfileData } from './profile-schema';

/** Effective quality range after precedence and clamping. */
export interface EffectiveQuality {
  readonly min: number;
  readonly target: number;
  readonly max: number;
  /** The tier's quality share (learning cascade target); absent when a profile level sets its own score `target`. */
  readonly share?: number;
}

/** Every value the precedence rules decide for a profile. Deeply frozen. */
export interface EffectiveValues {
  readonly budget: Readonly<BudgetPolicy>;
  readonly rateLimits: Readonly<RateLimitPolicy>;
  readonly quality: EffectiveQuality;
  readonly features: Readonly<Record<FeatureFlag, boolean>>;
  /** Absent means every model. */
  readonly allowedModels: readonly string[] | undefined;
  /** The tier's access by place in the cascade; absent when a level above the tier sets `allowedModels`, or the tier sets none. */
  readonly modelAccess: ModelAccess | undefined;
  readonly blockedModels: readonly string[] | undefined;
  /** Preferred models that the profile may use, most preferred first. */
  readonly preferredModels: readonly string[] | undefined;
  readonly maxCostPerRequestUsd: number | undefined;
  /** @deprecated Use `maxCostPerRequestUsd` (same value); removed in the next minor version. */
  readonly maxCostPerQueryUsd: number | undefined;
  /** Guardrails merged user > workspace > organization; absent when no level sets any. */
  readonly guardrails: Readonly<ProfileGuardrails> | undefined;
  /** The profile as core's policy. */
  readonly policy: AgentPolicy;
}

const BUDGET_KEYS = ['dailyUsd', 'weeklyUsd', 'monthlyUsd', 'totalUsd'] as const;
const RATE_KEYS = [
  'requestsPerSecond', 'requestsPerMinute', 'requestsPerHour', 'requestsPerDay',
  'tokensPerMinute', 'tokensPerHour', 'tokensPerDay', 'burst', 'maxConcurrent',
] as const;
const FEATURES = featureFlagSchema.options;

/** The dimensions effective values depend on (everything but identity and telemetry). */
type Inputs = Pick<UserProfileData, 'tier' | 'limits' | 'preferences' | 'governance' | 'organization' | 'workspace'>;

/** First value that is set: a number wins, `null` means "unlimited" and stops the search. */
function first<T>(values: readonly (T | null | undefined)[]): T | undefined {
  for (const value of values) {
    if (value === null) return undefined;
    if (value !== undefined) return value;
  }
  return undefined;
}

function defined<T extends object>(entries: readonly (readonly [string, unknown])[]): T {
  const result: Record<string, unknown> = {};
  for (const [key, value] of entries) if (value !== undefined) result[key] = value;
  return result as T;
}

function mergeLayers<T extends object>(layers: readonly (T | undefined)[]): T | undefined {
  let merged: Record<string, unknown> | undefined;
  // Least specific first, so later (more specific) layers win field by field.
  for (let index = layers.length - 1; index >= 0; index--) {
    const layer = layers[index];
    if (!layer) continue;
    merged ??= {};
    for (const [key, value] of Object.entries(layer)) if (value !== undefined) merged[key] = value;
  }
  return merged as T | undefined;
}

const GUARDS = ['moderation', 'pii', 'injection', 'toxicity', 'applyTo'] as const;

function mergeGuardrails(layers: readonly (ProfileGuardrails | undefined)[]): ProfileGuardrails | undefined {
  if (layers.every((layer) => layer === undefined)) return undefined;
  const result: Record<string, unknown> = {};
  for (const guard of GUARDS) {
    const merged = mergeLayers(layers.map((layer) => layer?.[guard]));
    if (merged && Object.keys(merged).length > 0) result[guard] = merged;
  }
  return Object.keys(result).length > 0 ? (result as ProfileGuardrails) : undefined;
}

function toCoreGuardrails(guardrails: ProfileGuardrails | undefined): GuardrailsPolicy | undefined {
  if (!guardrails) return undefined;
  const policy: GuardrailsPolicy = {};
  if (guardrails.pii) {
    const { entities, ...pii } = guardrails.pii;
    policy.pii = { ...pii, enabled: pii.enabled ?? true, ...(entities ? { entities: [...entities] } : {}) };
  }
  if (guardrails.moderation) {
    const { categories, ...moderation } = guardrails.moderation;
    policy.moderation = { ...moderation, enabled: moderation.enabled ?? true, ...(categories ? { categories: [...categories] } : {}) };
  }
  if (guardrails.injection) policy.injection = { ...guardrails.injection, enabled: guardrails.injection.enabled ?? true };
  if (guardrails.applyTo) policy.applyTo = { ...guardrails.applyTo };
  return Object.keys(policy).length > 0 ? policy : undefined;
}

function nonEmpty<T extends object>(value: T): T | undefined {
  return Object.keys(value).length > 0 ? value : undefined;
}

function shared(level: { sharedBudget?: BudgetPolicy | undefined; sharedRateLimits?: RateLimitPolicy | undefined } | undefined) {
  if (!level) return undefined;
  const budget = level.sharedBudget && nonEmpty({ ...level.sharedBudget });
  const rate = level.sharedRateLimits && nonEmpty({ ...level.sharedRateLimits });
  if (!budget && !rate) return undefined;
  return defined<{ rate?: RateLimitPolicy; budget?: BudgetPolicy }>([['rate', rate], ['budget', budget]]);
}

/**
 * Computes every effective value with one precedence: the user's own value > the workspace's member
 * overrides > the organization's member overrides > the tier. For budgets and rate limits each field
 * is decided separately, and `null` at a level means "unlimited" (it removes caps set below it).
 * Two documented exceptions: blocked models unite across all levels (a block anywhere holds), and
 * the quality range is made consistent afterwards (`max` is raised to `min`, `target` clamped into it).
 */
export function computeEffectiveValues(profile: Inputs): EffectiveValues {
  const { tier, limits, preferences, governance, organization, workspace } = profile;
  const levels: readonly (MemberOverrides | undefined)[] = [workspace?.overrides, organization?.overrides];

  const budget = defined<BudgetPolicy>(
    BUDGET_KEYS.map((key) => [key, first([limits?.budget?.[key], ...levels.map((level) => level?.budget?.[key]), tier.budget[key]])] as const),
  );
  const rateLimits = defined<RateLimitPolicy>(
    RATE_KEYS.map((key) => [key, first([limits?.rateLimits?.[key], ...levels.map((level) => level?.rateLimits?.[key]), tier.rateLimits[key]])] as const),
  );
  const features = Object.fromEntries(
    FEATURES.map((flag) => [flag, first([limits?.features?.[flag], ...levels.map((level) => level?.features?.[flag]), tier.features[flag]]) ?? false]),
  ) as Record<FeatureFlag, boolean>;

  const min = first([preferences?.quality?.min, ...levels.map((level) => level?.quality?.min), tier.quality.min]) ?? tier.quality.min;
  const max = Math.max(min, first([preferences?.quality?.max, ...levels.map((level) => level?.quality?.max), tier.quality.max]) ?? tier.quality.max);
  const rawTarget = first([preferences?.quality?.target, ...levels.map((level) => level?.quality?.target), tier.quality.target]) ?? tier.quality.target;
  // A score target set by the user, workspace or organization is the expert override: it keeps the fixed threshold.
  const targetOverridden = [preferences?.quality?.target, ...levels.map((level) => level?.quality?.target)].some((value) => value !== undefined);
  const share = targetOverridden ? undefined : tier.quality.share;
  const quality: EffectiveQuality = { min, target: Math.min(max, Math.max(min, rawTarget)), max, ...(share === undefined ? {} : { share }) };

  const allowedModels = first<readonly string[]>([limits?.allowedModels, ...levels.map((level) => level?.allowedModels), tier.allowedModels]);
  // An allow-list set above the tier replaces the tier's whole model restriction, by id or by place.
  const overridden = [limits?.allowedModels, ...levels.map((level) => level?.allowedModels)].some((value) => value !== undefined);
  const modelAccess = overridden ? undefined : tier.modelAccess;
  const blockedSources = [tier.blockedModels, organization?.overrides?.blockedModels, workspace?.overrides?.blockedModels, preferences?.blockedModels];
  const blockedSet = new Set<string>();
  for (const source of blockedSources) for (const model of source ?? []) blockedSet.add(model);
  const blockedModels = blockedSet.size > 0 ? [...blockedSet] : undefined;
  const usable = (model: string): boolean => !blockedSet.has(model) && (!allowedModels || allowedModels.includes(model));
  const preferredSource = first<readonly string[]>([preferences?.preferredModels, ...levels.map((level) => level?.preferredModels), tier.preferredModels]);
  const preferredModels = preferredSource?.filter(usable);
  const maxCostPerRequestUsd = first([preferences?.maxCostPerRequestUsd, ...levels.map((level) => level?.maxCostPerRequestUsd)]);

  const guardrails = mergeGuardrails([governance?.guardrails, workspace?.guardrails, organization?.guardrails]);

  const limitsPolicy: LimitsPolicy = defined<LimitsPolicy>([
    ['user', nonEmpty(defined([['rate', nonEmpty({ ...rateLimits })], ['budget', nonEmpty({ ...budget })]]))],
    ['organization', shared(organization)],
    ['workspace', shared(workspace)],
    ['timeZone', organization?.timeZone],
  ]);
  const policy: AgentPolicy = defined<AgentPolicy>([
    ['allowedModels', allowedModels ? [...allowedModels] : undefined],
    ['blockedModels', blockedModels],
    ['modelAccess', modelAccess],
    ['preferredModels', preferredModels && preferredModels.length > 0 ? preferredModels : undefined],
    // A tier with a share lets the learning cascade decide; its score target is then not a fixed threshold.
    ['qualityShare', quality.share],
    ['qualityTarget', quality.share === undefined ? quality.target : undefined],
    ['qualityMin', quality.min],
    ['maxCostPerRequestUsd', maxCostPerRequestUsd],
    ['features', { ...features }],
    ['limits', nonEmpty(limitsPolicy)],
    ['guardrails', toCoreGuardrails(guardrails)],
  ]);

  return deepFreeze({
    budget,
    rateLimits,
    quality,
    features,
    allowedModels,
    modelAccess,
    blockedModels,
    preferredModels,
    maxCostPerRequestUsd,
    maxCostPerQueryUsd: maxCostPerRequestUsd,
    guardrails,
    policy,
  });
}
