import { CascadeError } from '@cascade/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { profileInputArbitrary } from '../profile/__fixtures__/profile-arbitrary';
import { UserProfile } from '../profile/user-profile';
import { deriveTier } from '../tier/tier-config';
import { TIER_PRESETS } from '../tier/tier-presets';
import { PROFILE_SCHEMA_VERSION } from './profile-json';

const throughJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;

function invalidConfigMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(CascadeError.isInstance(error)).toBe(true);
    expect((error as CascadeError).code).toBe('INVALID_CONFIG');
    return (error as CascadeError).message;
  }
  throw new Error('expected INVALID_CONFIG');
}

describe('toJSON / fromJSON', () => {
  it('round-trips every valid profile losslessly (property)', () => {
    fc.assert(
      fc.property(profileInputArbitrary, (input) => {
        const profile = UserProfile.create(input);
        const restored = UserProfile.fromJSON(throughJson(profile.toJSON()));
        expect(restored.toJSON()).toEqual(profile.toJSON());
        expect(restored.toPolicy()).toEqual(profile.toPolicy());
        expect(restored.toPrincipal()).toEqual(profile.toPrincipal());
        expect(restored.tier).toEqual(profile.tier);
      }),
      { numRuns: 300 },
    );
  });

  it('is idempotent: serializing a restored profile gives the same JSON text (property)', () => {
    fc.assert(
      fc.property(profileInputArbitrary, (input) => {
        const text = JSON.stringify(UserProfile.create(input));
        expect(JSON.stringify(UserProfile.fromJSON(JSON.parse(text)))).toBe(text);
      }),
      { numRuns: 200 },
    );
  });

  it('stores built-in tiers by name and custom or derived tiers in full', () => {
    expect(UserProfile.fromTier('pro', 'u').toJSON()).toEqual({ schemaVersion: PROFILE_SCHEMA_VERSION, userId: 'u', tier: 'pro' });
    expect(UserProfile.fromJSON({ schemaVersion: 1, userId: 'u', tier: 'pro' }).tier).toBe(TIER_PRESETS.pro);
    const derived = deriveTier(TIER_PRESETS.pro, { name: 'pro', budget: { dailyUsd: 99 } });
    const json = throughJson(UserProfile.fromTier(derived, 'u').toJSON()) as { tier: { budget: { dailyUsd: number } } };
    expect(json.tier.budget.dailyUsd).toBe(99);
    expect(UserProfile.fromJSON(json).effectiveBudget().dailyUsd).toBe(99);
  });

  it('names the bad field of bad stored data', () => {
    expect(invalidConfigMessage(() => UserProfile.fromJSON({ schemaVersion: 1, userId: 'u', tier: 'pro', limits: { budget: { dailyUsd: 'ten' } } }))).toMatch(
      /user "u"[\s\S]*limits\.budget\.dailyUsd/,
    );
    expect(invalidConfigMessage(() => UserProfile.fromJSON({ schemaVersion: 1, userId: 'u', tier: 'platinum' }))).toMatch(/unknown tier "platinum"[\s\S]*at tier/);
    expect(invalidConfigMessage(() => UserProfile.fromJSON({ schemaVersion: 1, userId: 'u', colour: 'red' }))).toMatch(/colour/);
    expect(invalidConfigMessage(() => UserProfile.fromJSON({ schemaVersion: 2, userId: 'u' }))).toMatch(/schemaVersion 2[\s\S]*Upgrade/);
    expect(invalidConfigMessage(() => UserProfile.fromJSON('nope'))).toMatch(/expected an object/);
    expect(invalidConfigMessage(() => UserProfile.fromJSON(null))).toMatch(/null/);
  });
});

describe('v0.2.0 BudgetConfig migration', () => {
  it('turns a stored v0.2.0 record into budget overrides, unset periods unlimited', () => {
    const profile = UserProfile.fromJSON({ user_id: 'user_123', budget: { daily: 1.0 } });
    expect(profile.userId).toBe('user_123');
    expect(profile.tier).toBe(TIER_PRESETS.free);
    expect(profile.limits?.budget).toEqual({ dailyUsd: 1, weeklyUsd: null, monthlyUsd: null, totalUsd: null });
    expect(profile.effectiveBudget()).toEqual({ dailyUsd: 1 });
    // Saved again, it is a current-version profile that reads back the same.
    const again = UserProfile.fromJSON(throughJson(profile.toJSON()));
    expect(again.toJSON()).toMatchObject({ schemaVersion: 1, userId: 'user_123' });
    expect(again.effectiveBudget()).toEqual({ dailyUsd: 1 });
  });

  it('keeps v0.2.0 semantics on a tier with more caps', () => {
    const profile = UserProfile.fromBudgetConfig('u', { daily: 5, total: 100 }, 'pro');
    expect(profile.effectiveBudget()).toEqual({ dailyUsd: 5, totalUsd: 100 });
    expect(UserProfile.fromJSON({ user_id: 'u', tier: 'pro', budget: { weekly: 20, daily: null } }).effectiveBudget()).toEqual({ weeklyUsd: 20 });
  });

  it('names the bad field of a bad v0.2.0 record', () => {
    expect(invalidConfigMessage(() => UserProfile.fromJSON({ user_id: 'u', budget: { daily: -1 } }))).toMatch(/budget\.daily/);
    expect(invalidConfigMessage(() => UserProfile.fromBudgetConfig('u', { hourly: 1 } as never))).toMatch(/hourly/);
  });
});
