import { CascadeError, parseConfig } from '@cascade/core';
import { z } from 'zod';
import { type UserProfileData, checkProfile, userProfileShape, userProfileSchema } from '../profile/profile-schema';
import { tierNameSchema } from '../tier/tier-presets';

/** Version of the stored profile format written by `toJSON`. Bump it with a migration in {@link parseStoredProfile}. */
export const PROFILE_SCHEMA_VERSION = 1;

/** The stored (JSON) form of a profile: the profile fields plus `schemaVersion`. */
export const profileJsonSchema = z
  .strictObject({ schemaVersion: z.literal(PROFILE_SCHEMA_VERSION), ...userProfileShape })
  .superRefine(checkProfile);

/** A profile in its stored (JSON) form, as written by `UserProfile.toJSON()`. */
export type ProfileJson = z.input<typeof profileJsonSchema>;

const legacyUsd = z.number().positive().finite().nullable().optional();

/**
 * The v0.2.0 `BudgetConfig` (Python `cascadeflow.telemetry.BudgetConfig`): USD caps per period,
 * `null`/absent meaning no cap.
 */
export const budgetConfigSchema = z.strictObject({
  daily: legacyUsd,
  weekly: legacyUsd,
  monthly: legacyUsd,
  total: legacyUsd,
});

/** What callers pass as a v0.2.0 `BudgetConfig`. */
export type BudgetConfig = z.input<typeof budgetConfigSchema>;

/** A v0.2.0 stored record: a user id with its `BudgetConfig` (and optionally a tier name). No `schemaVersion`. */
export const legacyProfileSchema = z.strictObject({
  user_id: z.string().min(1).max(256),
  tier: tierNameSchema.optional(),
  budget: budgetConfigSchema.optional(),
});

/**
 * The budget overrides equivalent to a v0.2.0 `BudgetConfig`: its periods become overrides, and the
 * periods it left unset become `null` (unlimited), exactly as v0.2.0 enforced them.
 */
export function budgetOverridesFromBudgetConfig(config: BudgetConfig): { dailyUsd: number | null; weeklyUsd: number | null; monthlyUsd: number | null; totalUsd: number | null } {
  const parsed = parseConfig(budgetConfigSchema, config, 'v0.2.0 BudgetConfig');
  return {
    dailyUsd: parsed.daily ?? null,
    weeklyUsd: parsed.weekly ?? null,
    monthlyUsd: parsed.monthly ?? null,
    totalUsd: parsed.total ?? null,
  };
}

function userIdOf(data: Record<string, unknown>): string {
  const userId = data['userId'] ?? data['user_id'];
  return typeof userId === 'string' ? ` of user "${userId.slice(0, 256)}"` : '';
}

/**
 * Validates stored profile data and migrates older formats to the current one.
 *
 * - `schemaVersion: 1`: the current format.
 * - no `schemaVersion`: a v0.2.0 record `{ user_id, budget?: BudgetConfig, tier? }`.
 *
 * @throws CascadeError `INVALID_CONFIG` naming the bad field (and the user, when known).
 */
export function parseStoredProfile(json: unknown): UserProfileData {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new CascadeError('INVALID_CONFIG', `Invalid stored profile: expected an object, got ${json === null ? 'null' : Array.isArray(json) ? 'an array' : typeof json}.`);
  }
  const data = json as Record<string, unknown>;
  const version = data['schemaVersion'];
  if (version === PROFILE_SCHEMA_VERSION) {
    const { schemaVersion: _version, ...profile } = parseConfig(profileJsonSchema, data, `stored profile${userIdOf(data)}`);
    return profile;
  }
  if (version === undefined) {
    const legacy = parseConfig(legacyProfileSchema, data, `v0.2.0 stored profile${userIdOf(data)} (no schemaVersion)`);
    return parseConfig(
      userProfileSchema,
      {
        userId: legacy.user_id,
        ...(legacy.tier ? { tier: legacy.tier } : {}),
        ...(legacy.budget ? { limits: { budget: budgetOverridesFromBudgetConfig(legacy.budget) } } : {}),
      },
      `v0.2.0 stored profile${userIdOf(data)}`,
    );
  }
  throw new CascadeError(
    'INVALID_CONFIG',
    `Invalid stored profile${userIdOf(data)}:\n✖ unsupported schemaVersion ${JSON.stringify(version)}; this version of @cascade/profiles reads 1 (or none for v0.2.0 data). Upgrade @cascade/profiles to read newer profiles.\n  → at schemaVersion`,
  );
}
