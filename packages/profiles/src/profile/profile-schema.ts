import { deprecatedFeatureFlagSchema, dropDeprecatedFeatureFlags, featureFlagSchema, guardActionSchema } from '@cascade/core';
import { z } from 'zod';
import { type TierConfig, type TierConfigInput, adoptTier, isTierConfig, modelIdSchema, tierBudgetSchema, tierConfigSchema, tierRateLimitsSchema } from '../tier/tier-config';
import { TIER_PRESETS, type TierName, isTierName, tierNameSchema } from '../tier/tier-presets';

const usd = z.number().positive().finite();
const count = z.number().int().positive();
const unit = z.number().min(0).max(1);
const id = z
  .string()
  .min(1)
  .max(256)
  .refine((value) => value.trim() === value, { message: 'must not start or end with whitespace' });
const label = z.string().min(1).max(128);
const modelList = z.array(modelIdSchema).readonly();
/** `null` removes an inherited cap (unlimited); absent inherits it. */
const overrideUsd = usd.nullable().optional();
const overrideCount = count.nullable().optional();

/**
 * Maps the deprecated `maxCostPerQueryUsd` to `maxCostPerRequestUsd`, core's name for the same cap
 * (issue 14: one name per thing). Accepted until the next minor version; two different values are refused.
 */
function renameCostCap<T extends { maxCostPerRequestUsd?: number | null | undefined; maxCostPerQueryUsd?: number | null | undefined }>(
  value: T,
  context: z.RefinementCtx,
): Omit<T, 'maxCostPerQueryUsd'> {
  const { maxCostPerQueryUsd, ...rest } = value;
  if (maxCostPerQueryUsd === undefined) return rest;
  if (rest.maxCostPerRequestUsd !== undefined && rest.maxCostPerRequestUsd !== maxCostPerQueryUsd) {
    context.addIssue({ code: 'custom', path: ['maxCostPerQueryUsd'], message: 'maxCostPerQueryUsd is the deprecated name of maxCostPerRequestUsd: set only maxCostPerRequestUsd' });
  }
  return { ...rest, maxCostPerRequestUsd: rest.maxCostPerRequestUsd ?? maxCostPerQueryUsd };
}

/** Budget overrides in USD. A number replaces the inherited cap, `null` removes it, absent inherits. */
export const budgetOverridesSchema = z.strictObject({
  dailyUsd: overrideUsd,
  weeklyUsd: overrideUsd,
  monthlyUsd: overrideUsd,
  totalUsd: overrideUsd,
});

/** Rate-limit overrides. A number replaces the inherited limit, `null` removes it, absent inherits. */
export const rateLimitOverridesSchema = z.strictObject({
  requestsPerSecond: overrideCount,
  requestsPerMinute: overrideCount,
  requestsPerHour: overrideCount,
  requestsPerDay: overrideCount,
  tokensPerMinute: overrideCount,
  tokensPerHour: overrideCount,
  tokensPerDay: overrideCount,
  burst: z.number().int().nonnegative().nullable().optional(),
  maxConcurrent: overrideCount,
});

/** Feature-flag overrides (core's `FeatureFlag` names); absent inherits. */
export const featureOverridesSchema = z.strictObject(
  Object.fromEntries([...featureFlagSchema.options, ...deprecatedFeatureFlagSchema.options].map((flag) => [flag, z.boolean().optional()])) as Record<
    z.output<typeof featureFlagSchema> | z.output<typeof deprecatedFeatureFlagSchema>,
    z.ZodOptional<z.ZodBoolean>
  >,
  // Deprecated flags (embeddings, domainRouting) are accepted so stored profiles load, then dropped.
).transform(dropDeprecatedFeatureFlags);

/** Quality overrides 0..1; absent inherits. */
export const qualityOverridesSchema = z
  .strictObject({ min: unit.optional(), target: unit.optional(), max: unit.optional() })
  .refine((quality) => quality.min === undefined || quality.target === undefined || quality.min <= quality.target, {
    message: 'min must be <= target',
    path: ['min'],
  })
  .refine((quality) => quality.target === undefined || quality.max === undefined || quality.target <= quality.max, {
    message: 'target must be <= max',
    path: ['target'],
  });

/** Shared limits of a whole organization or workspace (one pool for all its members): a tier's budget shape. */
export const sharedBudgetSchema = tierBudgetSchema;

/** Shared rate limits of a whole organization or workspace: a tier's rate-limit shape. */
export const sharedRateLimitsSchema = tierRateLimitsSchema;

/**
 * What an organization or workspace sets for each of its members, over the tier (and under the
 * user's own overrides).
 */
export const memberOverridesSchema = z.strictObject({
  budget: budgetOverridesSchema.optional(),
  rateLimits: rateLimitOverridesSchema.optional(),
  features: featureOverridesSchema.optional(),
  quality: qualityOverridesSchema.optional(),
  /** Replaces the inherited allowed list; `null` allows every model. */
  allowedModels: modelList.nullable().optional(),
  /** Added to the inherited blocked list (blocks at every level unite). */
  blockedModels: modelList.optional(),
  preferredModels: modelList.optional(),
  /** Refuse requests whose pre-flight estimate exceeds this; `null` removes an inherited cap. */
  maxCostPerRequestUsd: overrideUsd,
  /** @deprecated Use `maxCostPerRequestUsd` (same meaning); accepted until the next minor version. */
  maxCostPerQueryUsd: overrideUsd,
}).transform(renameCostCap);

/** Guardrails of the governance dimension; every field optional so levels layer (user > workspace > organization > agent). */
export const profileGuardrailsSchema = z.strictObject({
  /** Content moderation (pre-call). */
  moderation: z
    .strictObject({
      enabled: z.boolean().optional(),
      action: z.enum(['block', 'warn']).optional(),
      categories: z.array(label).readonly().optional(),
      threshold: unit.optional(),
    })
    .optional(),
  /** PII detection (pre and post call). */
  pii: z
    .strictObject({
      enabled: z.boolean().optional(),
      action: guardActionSchema.optional(),
      actions: z.record(label, guardActionSchema).optional(),
      entities: z.array(label).readonly().optional(),
    })
    .optional(),
  /** Prompt-injection detection (pre-call, and on tool results: `toolResults` blocks, marks or warns). */
  injection: z
    .strictObject({ enabled: z.boolean().optional(), action: z.enum(['block', 'warn']).optional(), threshold: unit.optional(), toolResults: z.enum(['block', 'mark', 'warn']).optional() })
    .optional(),
  /** Toxicity detection (post-call, opt-in). Not part of core's policy yet: exposed through the principal's attributes. */
  toxicity: z
    .strictObject({ enabled: z.boolean().optional(), action: z.enum(['block', 'retry', 'warn']).optional(), threshold: unit.optional() })
    .optional(),
  /** Where guards run (tool-call arguments and tool results included). */
  applyTo: z
    .strictObject({ input: z.boolean().optional(), output: z.boolean().optional(), stream: z.boolean().optional(), toolArguments: z.boolean().optional(), toolResults: z.boolean().optional() })
    .optional(),
});

/** Compliance regime a profile operates under. */
export const complianceModeSchema = z.enum(['none', 'gdpr', 'hipaa', 'sox', 'pci', 'ccpa', 'soc2']);
/** Audit logging detail. */
export const auditLogLevelSchema = z.enum(['none', 'minimal', 'standard', 'comprehensive']);

/** Limits dimension: the operator's per-user overrides of budgets, rate limits, features and model access. */
export const profileLimitsSchema = z.strictObject({
  budget: budgetOverridesSchema.optional(),
  rateLimits: rateLimitOverridesSchema.optional(),
  features: featureOverridesSchema.optional(),
  /** Replaces the inherited allowed list; `null` allows every model. */
  allowedModels: modelList.nullable().optional(),
});

/** Preferences dimension: how the user wants answers (quality, cost, latency, domains, models). */
export const profilePreferencesSchema = z.strictObject({
  quality: qualityOverridesSchema.optional(),
  costSensitivity: z.enum(['aggressive', 'balanced', 'quality-first']).optional(),
  latencySensitivity: z.enum(['real-time', 'balanced', 'batch']).optional(),
  /** Refuse requests whose pre-flight estimate exceeds this; `null` removes an inherited cap. */
  maxCostPerRequestUsd: overrideUsd,
  /** @deprecated Use `maxCostPerRequestUsd` (same meaning); accepted until the next minor version. */
  maxCostPerQueryUsd: overrideUsd,
  maxLatencyMs: count.optional(),
  maxRetries: z.number().int().min(0).max(10).optional(),
  preferredDomains: z.array(label).readonly().optional(),
  preferredModels: modelList.optional(),
  blockedModels: modelList.optional(),
}).transform(renameCostCap);

/** Governance dimension: guardrails, audit logging, data retention, compliance. */
export const profileGovernanceSchema = z.strictObject({
  guardrails: profileGuardrailsSchema.optional(),
  auditLogging: z.boolean().optional(),
  auditLogLevel: auditLogLevelSchema.optional(),
  dataRetentionDays: z.number().int().min(0).max(36_500).optional(),
  complianceMode: complianceModeSchema.optional(),
});

const timeZone = z.string().refine(
  (zone) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  },
  { message: 'must be an IANA time zone, e.g. "Europe/Berlin"' },
);

/** Organization dimension: the tenant the user belongs to. */
export const organizationSchema = z.strictObject({
  id,
  name: label.optional(),
  /** One budget shared by every member. */
  sharedBudget: sharedBudgetSchema.optional(),
  /** One set of rate limits shared by every member. */
  sharedRateLimits: sharedRateLimitsSchema.optional(),
  /** Per-member values over the tier. */
  overrides: memberOverridesSchema.optional(),
  guardrails: profileGuardrailsSchema.optional(),
  dataRegion: label.optional(),
  dataResidency: z.array(label).readonly().optional(),
  complianceMode: complianceModeSchema.optional(),
  auditLogging: z.boolean().optional(),
  dataRetentionDays: z.number().int().min(0).max(36_500).optional(),
  /** IANA time zone of calendar budget periods. @default 'UTC' */
  timeZone: timeZone.optional(),
});

/** Workspace dimension: a workspace (e.g. an environment) inside the organization. */
export const workspaceSchema = z.strictObject({
  id,
  name: label.optional(),
  /** Must equal `organization.id` when both are set. */
  organizationId: id.optional(),
  environment: z.enum(['development', 'staging', 'production']).optional(),
  sharedBudget: sharedBudgetSchema.optional(),
  sharedRateLimits: sharedRateLimitsSchema.optional(),
  overrides: memberOverridesSchema.optional(),
  /** Workspace-level guardrails, over the organization's. */
  guardrails: profileGuardrailsSchema.optional(),
});

/** Telemetry dimension: metadata and tags for grouping and reporting. */
export const profileTelemetrySchema = z.strictObject({
  metadata: z.record(z.string(), z.json()).optional(),
  tags: z.array(label).readonly().optional(),
});

/** What callers may give as a tier: a built-in name, a tier object, or a custom tier definition. */
export type TierRefInput = TierName | TierConfig | TierConfigInput;

/**
 * A tier: a built-in name (`'pro'`), a tier object from `defineTier`/`deriveTier`/`TIER_PRESETS`
 * (kept by reference), or a custom tier definition (validated and frozen).
 */
export const tierRefSchema = z.custom<TierRefInput>().transform((value, context): TierConfig => {
  if (isTierConfig(value)) return value;
  if (typeof value === 'string') {
    if (isTierName(value)) return TIER_PRESETS[value];
    context.addIssue({
      code: 'custom',
      message: `unknown tier "${value}": use one of ${tierNameSchema.options.join(', ')}, or a tier object`,
    });
    return z.NEVER;
  }
  const parsed = tierConfigSchema.safeParse(value);
  if (parsed.success) return adoptTier(parsed.data);
  for (const issue of parsed.error.issues) context.addIssue({ ...issue, code: 'custom', path: issue.path, message: issue.message });
  return z.NEVER;
});

/**
 * A user profile, all seven dimensions: identity (`userId`, `roles`, `permissions`), `tier`, `limits`,
 * `preferences`, `governance`, `organization` + `workspace`, `telemetry`.
 */
/** The fields of a profile (see {@link userProfileSchema}). */
export const userProfileShape = {
  userId: id,
  roles: z.array(label).readonly().optional(),
  permissions: z.array(label).readonly().optional(),
  /** @default 'free' */
  tier: tierRefSchema.optional().transform((tier) => tier ?? TIER_PRESETS.free),
  limits: profileLimitsSchema.optional(),
  preferences: profilePreferencesSchema.optional(),
  governance: profileGovernanceSchema.optional(),
  organization: organizationSchema.optional(),
  workspace: workspaceSchema.optional(),
  telemetry: profileTelemetrySchema.optional(),
  /** ISO 8601 creation time. */
  createdAt: z.iso.datetime({ offset: true }).optional(),
};

/** Cross-field checks shared by the config and the stored form. */
export function checkProfile(profile: { organization?: { id: string } | undefined; workspace?: { organizationId?: string | undefined } | undefined }, context: z.RefinementCtx): void {
  const orgId = profile.organization?.id;
  const workspaceOrg = profile.workspace?.organizationId;
  if (orgId !== undefined && workspaceOrg !== undefined && orgId !== workspaceOrg) {
    context.addIssue({
      code: 'custom',
      path: ['workspace', 'organizationId'],
      message: `workspace.organizationId "${workspaceOrg}" differs from organization.id "${orgId}"`,
    });
  }
}

/**
 * A user profile, all seven dimensions: identity (`userId`, `roles`, `permissions`), `tier`, `limits`,
 * `preferences`, `governance`, `organization` + `workspace`, `telemetry`.
 */
export const userProfileSchema = z.strictObject(userProfileShape).superRefine(checkProfile);

/** What callers write to create a profile. */
export type UserProfileInput = z.input<typeof userProfileSchema>;
/** A validated profile's data. */
export type UserProfileData = z.output<typeof userProfileSchema>;
/** Budget overrides (see {@link budgetOverridesSchema}). */
export type BudgetOverrides = z.output<typeof budgetOverridesSchema>;
/** Rate-limit overrides (see {@link rateLimitOverridesSchema}). */
export type RateLimitOverrides = z.output<typeof rateLimitOverridesSchema>;
/** Per-member overrides of an organization or workspace. */
export type MemberOverrides = z.output<typeof memberOverridesSchema>;
/** Guardrails of the governance dimension. */
export type ProfileGuardrails = z.output<typeof profileGuardrailsSchema>;
/** Organization dimension. */
export type OrganizationConfig = z.output<typeof organizationSchema>;
/** Workspace dimension. */
export type WorkspaceConfig = z.output<typeof workspaceSchema>;
/** Limits dimension. */
export type ProfileLimits = z.output<typeof profileLimitsSchema>;
/** Preferences dimension. */
export type ProfilePreferences = z.output<typeof profilePreferencesSchema>;
/** Governance dimension. */
export type ProfileGovernance = z.output<typeof profileGovernanceSchema>;
/** Telemetry dimension. */
export type ProfileTelemetry = z.output<typeof profileTelemetrySchema>;
