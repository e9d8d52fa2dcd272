import { CascadeError } from '@cascade/core';
import { describe, expect, it } from 'vitest';
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
