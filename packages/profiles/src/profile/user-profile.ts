import { type AgentPolicy, type BudgetPolicy, type FeatureFlag, type Principal, type RateLimitPolicy, isModelAllowed, parseConfig } from '@cascade/core';
import {
  type BudgetConfig,
  type ProfileJson,
  PROFILE_SCHEMA_VERSION,
  budgetOverridesFromBudgetConfig,
  parseStoredProfile,
} from '../serialization/profile-json';
import { type TierConfig, isTierConfig } from '../tier/tier-config';
import { TIER_PRESETS, type TierName, isTierName, presetNameOf } from '../tier/tier-presets';
import { deepFreeze } from '../util/deep-freeze';
import { type EffectiveQuality, type EffectiveValues, computeEffectiveValues } from './effective-values';
import {
  type OrganizationConfig,
  type ProfileGovernance,
  type ProfileLimits,
  type ProfilePreferences,
  type ProfileTelemetry,
  type TierRefInput,
  type UserProfileData,
  type UserProfileInput,
  type WorkspaceConfig,
  userProfileSchema,
} from './profile-schema';

const MARKER = Symbol.for('cascade.profiles.user-profile');
const EMPTY: readonly string[] = Object.freeze([]);
/** Effective values of profiles that only have a tier: shared by every such profile of that tier. */
const tierOnlyEffective = new WeakMap<TierConfig, EffectiveValues>();

/** Everything but `userId` and `tier`, for {@link UserProfile.fromTier}. */
export type UserProfileOptions = Omit<UserProfileInput, 'userId' | 'tier'>;

/** True for an id the fast path may take without the schema: printable ASCII ends, sane length. */
function isPlainId(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 256) return false;
  const head = value.charCodeAt(0);
  const tail = value.charCodeAt(value.length - 1);
  return head > 32 && head < 127 && tail > 32 && tail < 127;
}

function quickTier(tier: unknown): TierConfig | undefined {
  if (tier === undefined) return TIER_PRESETS.free;
  if (typeof tier === 'string') return isTierName(tier) ? TIER_PRESETS[tier] : undefined;
  return isTierConfig(tier) ? tier : undefined;
}

/**
 * A user's profile: identity, tier, limits, preferences, governance, organization/workspace and
 * telemetry. Immutable (deeply frozen): changes return a new profile (`with`, `withTier`), so cached
 * profiles are safe to share. Effective values and the core policy are computed lazily, once.
 *
 * Precedence everywhere: user override > workspace > organization > tier (see {@link computeEffectiveValues}).
 *
 * @example
 * const profile = UserProfile.fromTier('pro', 'user_123');
 * profile.canUseFeature('batch'); // true
 * const { principal, policy } = { principal: profile.toPrincipal(), policy: profile.toPolicy() };
 */
export class UserProfile {
  /** Identity: the user id. */
  readonly userId: string;
  /** Identity: roles for RBAC, e.g. `admin`. */
  readonly roles: readonly string[];
  /** Identity: permissions, e.g. `deploy`. */
  readonly permissions: readonly string[];
  /** Subscription plan (a shared, frozen object for presets); same as {@link UserProfile.plan}. */
  readonly tier: TierConfig;
  /** Operator overrides of budgets, rate limits, features, allowed models. */
  readonly limits: Readonly<ProfileLimits> | undefined;
  /** Quality, cost, latency, domain and model preferences. */
  readonly preferences: Readonly<ProfilePreferences> | undefined;
  /** Guardrails, audit logging, retention, compliance. */
  readonly governance: Readonly<ProfileGovernance> | undefined;
  /** The tenant, with its shared limits and member overrides. */
  readonly organization: Readonly<OrganizationConfig> | undefined;
  /** The workspace inside the tenant. */
  readonly workspace: Readonly<WorkspaceConfig> | undefined;
  /** Metadata and tags. */
  readonly telemetry: Readonly<ProfileTelemetry> | undefined;
  /** ISO 8601 creation time, when known. */
  readonly createdAt: string | undefined;
  #effective: EffectiveValues | undefined;
  #principal: Principal | undefined;

  private constructor(data: UserProfileData) {
    this.userId = data.userId;
    this.roles = data.roles ?? EMPTY;
    this.permissions = data.permissions ?? EMPTY;
    this.tier = data.tier;
    this.limits = data.limits;
    this.preferences = data.preferences;
    this.governance = data.governance;
    this.organization = data.organization;
    this.workspace = data.workspace;
    this.telemetry = data.telemetry;
    this.createdAt = data.createdAt;
    Object.freeze(this);
  }

  /** Marker for {@link UserProfile.isInstance}. */
  /** Subscription plan (a shared, frozen object for presets). The profile's data and stored JSON keep the key `tier`. */
  get plan(): TierConfig {
    return this.tier;
  }

  get [MARKER](): true {
    return true;
  }

  /** True for a `UserProfile`, also across duplicated installs (use it instead of `instanceof`). */
  static isInstance(value: unknown): value is UserProfile {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[MARKER] === true;
  }

  /**
   * The one-line path: a profile on a built-in or custom plan (see {@link UserProfile.fromTier}).
   *
   * @param plan - a built-in name (`'pro'`) or a plan from `PLAN_PRESETS`, `definePlan`, `derivePlan`.
   * @example
   * const profile = UserProfile.fromPlan('pro', 'user_123');
   */
  static fromPlan(plan: TierName | TierConfig, userId: string, options?: UserProfileOptions): UserProfile {
    return UserProfile.fromTier(plan, userId, options);
  }

  /**
   * @deprecated Use {@link UserProfile.fromPlan} ("tier" is a model's position in the cascade); removed in the next minor version.
   *
   * The one-line path: a profile on a built-in or custom tier. Without options this is allocation-light
   * (no validation beyond the id, the tier object is shared), so millions can be created per second.
   *
   * @param tier - a built-in name (`'pro'`) or a tier from `TIER_PRESETS`, `defineTier`, `deriveTier`.
   * @param userId - the user id.
   * @param options - any other dimension (validated).
   * @throws CascadeError `INVALID_CONFIG` naming the bad field.
   * @example
   * const profile = UserProfile.fromTier('pro', 'user_123');
   */
  static fromTier(tier: TierName | TierConfig, userId: string, options?: UserProfileOptions): UserProfile {
    if (options === undefined && isPlainId(userId)) {
      const resolved = quickTier(tier);
      if (resolved) return new UserProfile({ userId, tier: resolved });
    }
    return UserProfile.create({ ...options, userId, tier });
  }

  /**
   * The advanced path: a profile with any of its seven dimensions.
   *
   * @throws CascadeError `INVALID_CONFIG` naming the bad field.
   * @example
   * const profile = UserProfile.create({
   *   userId: 'user_123', tier: 'pro',
   *   organization: { id: 'acme', sharedBudget: { monthlyUsd: 5000 } },
   *   preferences: { quality: { target: 0.9 }, blockedModels: ['gpt-4-turbo'] },
   *   governance: { guardrails: { pii: { action: 'block' } } },
   * });
   */
  static create(input: UserProfileInput): UserProfile {
    if (typeof input === 'object' && input !== null && isPlainId(input.userId)) {
      let onlyTier = true;
      for (const key in input) if (key !== 'userId' && key !== 'tier') onlyTier = false;
      const resolved = onlyTier ? quickTier(input.tier) : undefined;
      if (resolved) return new UserProfile({ userId: input.userId, tier: resolved });
    }
    return new UserProfile(deepFreeze(parseConfig(userProfileSchema, input, 'user profile')));
  }

  /**
   * Reads a stored profile (from `toJSON`, possibly through `JSON.stringify`), migrating older formats:
   * a v0.2.0 record `{ user_id, budget: BudgetConfig, tier? }` becomes budget overrides.
   *
   * @throws CascadeError `INVALID_CONFIG` naming the bad field, for bad or newer-version data.
   */
  static fromJSON(json: unknown): UserProfile {
    return new UserProfile(deepFreeze(parseStoredProfile(json)));
  }

  /**
   * Migrates a v0.2.0 `BudgetConfig` of one user: its periods become budget overrides, and periods it
   * left unset become unlimited (`null`), as v0.2.0 enforced them.
   *
   * @param tier - tier to put the user on. @default 'free'
   * @example
   * const profile = UserProfile.fromBudgetConfig('user_123', { daily: 1 }, 'starter');
   */
  static fromBudgetConfig(userId: string, budget: BudgetConfig, tier: TierName | TierConfig = 'free'): UserProfile {
    return UserProfile.create({ userId, tier, limits: { budget: budgetOverridesFromBudgetConfig(budget) } });
  }

  /** The stored form: current `schemaVersion`, built-in tiers by name, custom tiers in full. Lossless. */
  toJSON(): ProfileJson {
    const json: Record<string, unknown> = { schemaVersion: PROFILE_SCHEMA_VERSION, userId: this.userId };
    if (this.roles.length > 0) json['roles'] = this.roles;
    if (this.permissions.length > 0) json['permissions'] = this.permissions;
    json['tier'] = presetNameOf(this.tier) ?? this.tier;
    if (this.limits) json['limits'] = this.limits;
    if (this.preferences) json['preferences'] = this.preferences;
    if (this.governance) json['governance'] = this.governance;
    if (this.organization) json['organization'] = this.organization;
    if (this.workspace) json['workspace'] = this.workspace;
    if (this.telemetry) json['telemetry'] = this.telemetry;
    if (this.createdAt) json['createdAt'] = this.createdAt;
    return json as ProfileJson;
  }

  /** This profile's fields as input for {@link UserProfile.create} (tier by reference). */
  toInput(): UserProfileInput {
    const { schemaVersion: _version, ...input } = this.toJSON();
    return { ...input, tier: this.tier };
  }

  /**
   * A new profile with some dimensions replaced (whole dimensions, not merged). This one is unchanged.
   *
   * @example
   * const upgraded = profile.with({ preferences: { quality: { target: 0.9 } } });
   */
  with(patch: Partial<UserProfileOptions> & { tier?: TierRefInput }): UserProfile {
    return UserProfile.create({ ...this.toInput(), ...patch, userId: this.userId });
  }

  /** A new profile on another plan, everything else kept. */
  withPlan(plan: TierName | TierConfig): UserProfile {
    return this.withTier(plan);
  }

  /** @deprecated Use {@link UserProfile.withPlan}; removed in the next minor version. A new profile on another tier, everything else kept. */
  withTier(tier: TierName | TierConfig): UserProfile {
    const resolved = quickTier(tier);
    if (!resolved) return this.with({ tier });
    return new UserProfile({
      userId: this.userId,
      ...(this.roles.length > 0 ? { roles: this.roles } : {}),
      ...(this.permissions.length > 0 ? { permissions: this.permissions } : {}),
      tier: resolved,
      limits: this.limits,
      preferences: this.preferences,
      governance: this.governance,
      organization: this.organization,
      workspace: this.workspace,
      telemetry: this.telemetry,
      createdAt: this.createdAt,
    } as UserProfileData);
  }

  /** Every effective value, computed once (shared by all profiles that only have a tier). */
  effective(): EffectiveValues {
    if (this.#effective) return this.#effective;
    const tierOnly = !this.limits && !this.preferences && !this.governance && !this.organization && !this.workspace;
    if (tierOnly) {
      let shared = tierOnlyEffective.get(this.tier);
      if (!shared) {
        shared = computeEffectiveValues({ tier: this.tier });
        tierOnlyEffective.set(this.tier, shared);
      }
      this.#effective = shared;
    } else {
      this.#effective = computeEffectiveValues(this);
    }
    return this.#effective;
  }

  /** Effective budget caps in USD (user > workspace > organization > tier, per period). Absent = unlimited. */
  effectiveBudget(): Readonly<BudgetPolicy> {
    return this.effective().budget;
  }

  /** Effective rate limits (user > workspace > organization > tier, per field). Absent = unlimited. */
  effectiveRateLimits(): Readonly<RateLimitPolicy> {
    return this.effective().rateLimits;
  }

  /** Effective quality range (min, target, max). */
  effectiveQuality(): EffectiveQuality {
    return this.effective().quality;
  }

  /** True when the feature is on after precedence (user > workspace > organization > tier). */
  canUseFeature(feature: FeatureFlag): boolean {
    return this.effective().features[feature] === true;
  }

  /**
   * True when the profile may call `modelId` (allowed list after precedence, minus every level's blocks).
   * Pass the agent's model ids (cheapest first) to apply the tier's `modelAccess` too (FREE: all but the
   * strongest); without them only the id lists are checked.
   */
  canUseModel(modelId: string, agentModels?: readonly string[]): boolean {
    return isModelAllowed(this.effective().policy, modelId, agentModels);
  }

  /**
   * Models to try first, most preferred first: the preferred list after precedence (user > workspace >
   * organization > tier), else the allowed list; minus models the profile may not use. Empty means
   * "no preference, every allowed model".
   */
  modelPreferences(): readonly string[] {
    const effective = this.effective();
    if (effective.preferredModels && effective.preferredModels.length > 0) return effective.preferredModels;
    if (effective.allowedModels) return effective.allowedModels.filter((model) => this.canUseModel(model));
    return EMPTY;
  }

  /** Who is asking, for core: ids, tier name, roles, and governance facts in `attributes`. */
  toPrincipal(): Principal {
    if (this.#principal) return this.#principal;
    const attributes: Record<string, unknown> = {};
    const set = (key: string, value: unknown): void => {
      if (value !== undefined) attributes[key] = value;
    };
    set('permissions', this.permissions.length > 0 ? this.permissions : undefined);
    set('supportPriority', this.tier.supportPriority);
    set('auditLogging', this.governance?.auditLogging ?? this.organization?.auditLogging);
    set('auditLogLevel', this.governance?.auditLogLevel);
    set('dataRetentionDays', this.governance?.dataRetentionDays ?? this.organization?.dataRetentionDays);
    set('complianceMode', this.governance?.complianceMode ?? this.organization?.complianceMode);
    set('dataRegion', this.organization?.dataRegion);
    set('dataResidency', this.organization?.dataResidency);
    set('environment', this.workspace?.environment);
    set('toxicity', this.effective().guardrails?.toxicity);
    set('costSensitivity', this.preferences?.costSensitivity);
    set('latencySensitivity', this.preferences?.latencySensitivity);
    set('maxLatencyMs', this.preferences?.maxLatencyMs);
    set('maxRetries', this.preferences?.maxRetries);
    set('preferredDomains', this.preferences?.preferredDomains);
    set('tags', this.telemetry?.tags);
    const principal: Principal = {
      userId: this.userId,
      ...(this.organization ? { organizationId: this.organization.id } : {}),
      ...(this.workspace ? { workspaceId: this.workspace.id } : {}),
      plan: this.tier.name,
      // The deprecated name too, for readers of `principal.tier` until the next minor version.
      tier: this.tier.name,
      ...(this.roles.length > 0 ? { roles: this.roles } : {}),
      attributes,
    };
    this.#principal = deepFreeze(principal);
    return this.#principal;
  }

  /** What the profile may do, as core's policy: models, quality, max cost, features, limits, guardrails. */
  toPolicy(): AgentPolicy {
    return this.effective().policy;
  }
}
