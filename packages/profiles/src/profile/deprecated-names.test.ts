import { CascadeError } from '@cascade/core';
import { describe, expect, it } from 'vitest';
import { createProfileManager } from '../manager/profile-manager';
import { UserProfile } from './user-profile';

// Issue 14.11: old names keep working for one minor version and map to the new ones.
describe('deprecated maxCostPerQueryUsd', () => {
  it('in preferences maps to maxCostPerRequestUsd', () => {
    const profile = UserProfile.create({ userId: 'u', tier: 'pro', preferences: { maxCostPerQueryUsd: 0.07 } });
    expect(profile.preferences).toEqual({ maxCostPerRequestUsd: 0.07 });
    expect(profile.toPolicy().maxCostPerRequestUsd).toBe(0.07);
    expect(profile.effective().maxCostPerRequestUsd).toBe(0.07);
    expect(profile.effective().maxCostPerQueryUsd).toBe(0.07);
  });

  it('in organization and workspace overrides maps to maxCostPerRequestUsd, null included', () => {
    const profile = UserProfile.create({
      userId: 'u', tier: 'pro',
      organization: { id: 'org', overrides: { maxCostPerQueryUsd: 0.5 } },
      workspace: { id: 'ws', overrides: { maxCostPerQueryUsd: null } },
    });
    expect(profile.organization?.overrides).toEqual({ maxCostPerRequestUsd: 0.5 });
    expect(profile.workspace?.overrides).toEqual({ maxCostPerRequestUsd: null });
    expect(profile.toPolicy().maxCostPerRequestUsd).toBeUndefined();
  });

  it('in a stored profile is read and written back under the new name', () => {
    const stored = { ...UserProfile.fromTier('pro', 'u').toJSON(), preferences: { maxCostPerQueryUsd: 0.2 } };
    const profile = UserProfile.fromJSON(stored);
    expect(profile.toJSON().preferences).toEqual({ maxCostPerRequestUsd: 0.2 });
  });

  it('next to maxCostPerRequestUsd is refused, naming both', () => {
    let caught: unknown;
    try {
      UserProfile.create({ userId: 'u', preferences: { maxCostPerRequestUsd: 0.1, maxCostPerQueryUsd: 0.2 } });
    } catch (error) {
      caught = error;
    }
    expect(CascadeError.isInstance(caught) && caught.code).toBe('INVALID_CONFIG');
    expect((caught as Error).message).toMatch(/maxCostPerQueryUsd is the deprecated name of maxCostPerRequestUsd/);
  });
});

describe('deprecated tier names of plans', () => {
  it('TIER_PRESETS, defineTier, deriveTier are the plan ones', async () => {
    const profiles = await import('../index');
    expect(profiles.TIER_PRESETS).toBe(profiles.PLAN_PRESETS);
    expect(profiles.defineTier).toBe(profiles.definePlan);
    expect(profiles.deriveTier).toBe(profiles.derivePlan);
    const derived = profiles.deriveTier(profiles.TIER_PRESETS.pro, { name: 'pro-plus', budget: { dailyUsd: 25 } });
    expect(UserProfile.fromPlan(derived, 'u').effectiveBudget().dailyUsd).toBe(25);
  });

  it('UserProfile.fromTier and withTier equal fromPlan and withPlan', () => {
    expect(UserProfile.fromTier('pro', 'u').toJSON()).toEqual(UserProfile.fromPlan('pro', 'u').toJSON());
    const free = UserProfile.fromPlan('free', 'u');
    expect(free.withTier('business').toJSON()).toEqual(free.withPlan('business').toJSON());
    expect(free.withPlan('business').plan.name).toBe('business');
    expect(free.plan).toBe(free.tier);
  });

  it('the principal carries the plan under plan and, for one minor version, tier', () => {
    expect(UserProfile.fromPlan('pro', 'u').toPrincipal()).toMatchObject({ plan: 'pro', tier: 'pro' });
  });

  it('createProfileManager({ defaultTier }) maps to defaultPlan; both at once is refused', async () => {
    const manager = createProfileManager({ defaultTier: 'starter', persistDefaults: false });
    expect((await manager.get('new-user')).plan.name).toBe('starter');
    expect((await createProfileManager({ defaultPlan: 'pro', persistDefaults: false }).get('new-user')).plan.name).toBe('pro');
    expect(() => createProfileManager({ defaultPlan: 'pro', defaultTier: 'free' })).toThrow(/defaultTier is the deprecated name of defaultPlan/);
  });
});
