// @cascade/profiles: tiers, multi-dimensional user profiles, a profile manager on real stores.

// Tiers
export {
  tierConfigSchema,
  tierBudgetSchema,
  tierRateLimitsSchema,
  tierFeaturesSchema,
  qualityRangeSchema,
  supportPrioritySchema,
  modelIdSchema,
  isTierConfig,
  type SupportPriority,
} from './tier/tier-config';
export { FREE_TIER_MODELS, tierNameSchema, isTierName, presetNameOf } from './tier/tier-presets';
// Plans (a customer's subscription; "tier" is a model's position in core), and their deprecated tier names
export {
  PLAN_PRESETS, definePlan, derivePlan, type PlanName, type PlanConfig, type PlanConfigInput, type PlanOverrides,
  TIER_PRESETS, defineTier, deriveTier, type TierName, type TierConfig, type TierConfigInput, type TierOverrides,
} from './tier/plan-names';
// Profiles
export {
  userProfileSchema,
  tierRefSchema,
  budgetOverridesSchema,
  rateLimitOverridesSchema,
  featureOverridesSchema,
  qualityOverridesSchema,
  memberOverridesSchema,
  sharedBudgetSchema,
  sharedRateLimitsSchema,
  profileLimitsSchema,
  profilePreferencesSchema,
  profileGovernanceSchema,
  profileGuardrailsSchema,
  organizationSchema,
  workspaceSchema,
  profileTelemetrySchema,
  complianceModeSchema,
  auditLogLevelSchema,
  type UserProfileInput,
  type UserProfileData,
  type TierRefInput,
  type BudgetOverrides,
  type RateLimitOverrides,
  type MemberOverrides,
  type ProfileGuardrails,
  type OrganizationConfig,
  type WorkspaceConfig,
  type ProfileLimits,
  type ProfilePreferences,
  type ProfileGovernance,
  type ProfileTelemetry,
} from './profile/profile-schema';
export { UserProfile, type UserProfileOptions } from './profile/user-profile';
export { computeEffectiveValues, type EffectiveValues, type EffectiveQuality } from './profile/effective-values';
// Serialization
export {
  PROFILE_SCHEMA_VERSION,
  profileJsonSchema,
  budgetConfigSchema,
  legacyProfileSchema,
  parseStoredProfile,
  budgetOverridesFromBudgetConfig,
  type ProfileJson,
  type BudgetConfig,
} from './serialization/profile-json';
// Stores
export type { ProfileStore, StoreCallOptions, VersionedProfile } from './store/profile-store';
export type { StoredProfileProblem } from './store/stored-row';
export { createMemoryProfileStore, type MemoryProfileStore } from './store/memory-store';
export { createCallbackProfileStore, type ProfileStoreCallbacks } from './store/callback-store';
export { toStoreError } from './store/store-error';
// Manager
export {
  createProfileManager,
  profileManagerConfigSchema,
  type UserProfileManager,
  type ProfileManagerConfig,
  type ProfileManagerDependencies,
  type ProfileManagerStats,
  type ManagerCallOptions,
  type BulkProfileEntry,
} from './manager/profile-manager';
// Middleware
export { createProfileMiddleware, type ProfileMiddlewareOptions } from './middleware/profile-middleware';
// Audit trail, compliance, GDPR
export { createAuditTrail, auditTrailConfigSchema, type AuditTrail, type AuditTrailConfig, type AuditTrailDependencies } from './audit/audit-trail';
export { auditRecordSchema, auditLevelSchema, auditCallSchema, auditFindingSchema, auditLimitSchema, type AuditRecord, type AuditLevel } from './audit/audit-record';
export type { AuditStore, AuditStoreCallOptions } from './audit/audit-store';
export { createMemoryAuditStore, type MemoryAuditStore } from './audit/memory-audit-store';
export { createComplianceMiddleware, complianceConfigSchema, ACTING_COMPLIANCE_MODES, type ComplianceConfig } from './compliance/compliance-middleware';
export {
  createDataSubjectRequests, type DataSubjectRequests, type DataSubjectSources, type PersonalDataSource, type PersonalDataExport,
} from './gdpr/data-subject-requests';
