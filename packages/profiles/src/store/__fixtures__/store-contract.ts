import { CascadeError } from '@cascade/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserProfile } from '../../profile/user-profile';
import { TIER_PRESETS } from '../../tier/tier-presets';
import type { ProfileStore } from '../profile-store';

/** Behaviour every ProfileStore must have. `open` makes a fresh, empty store; `close` cleans up. */
export function describeProfileStoreContract(name: string, open: () => Promise<ProfileStore>, close: (store: ProfileStore) => Promise<void>): void {
  describe(`${name}: ProfileStore contract`, () => {
    let store: ProfileStore;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await close(store);
    });

    it('loads nothing for an unknown user', async () => {
      expect(await store.load('nobody')).toBeUndefined();
    });

    it('saves, loads back an equal profile, replaces it', async () => {
      const profile = UserProfile.create({
        userId: 'contract_a',
        tier: 'pro',
        roles: ['admin'],
        limits: { budget: { dailyUsd: 12.5, monthlyUsd: null } },
        organization: { id: 'acme', sharedBudget: { monthlyUsd: 1000 } },
        telemetry: { metadata: { nested: { list: [1, 'two', null] } } },
      });
      await store.save(profile);
      const loaded = await store.load('contract_a');
      expect(loaded?.toJSON()).toEqual(profile.toJSON());
      expect(loaded?.tier).toBe(TIER_PRESETS.pro);
      await store.save(profile.withTier('business'));
      expect((await store.load('contract_a'))?.tier).toBe(TIER_PRESETS.business);
    });

    it('keeps custom tiers losslessly', async () => {
      const profile = UserProfile.create({ userId: 'contract_custom', tier: { name: 'startup', budget: { dailyUsd: 0.1 + 0.2 }, allowedModels: ['m1'] } });
      await store.save(profile);
      expect((await store.load('contract_custom'))?.toJSON()).toEqual(profile.toJSON());
    });

    it('create is insert-if-absent and returns the stored profile', async () => {
      if (!store.create) return;
      const first = UserProfile.fromTier('enterprise', 'contract_b');
      expect((await store.create(first)).tier).toBe(TIER_PRESETS.enterprise);
      const second = await store.create(UserProfile.fromTier('free', 'contract_b'));
      expect(second.tier).toBe(TIER_PRESETS.enterprise);
      expect((await store.load('contract_b'))?.tier).toBe(TIER_PRESETS.enterprise);
    });

    it('concurrent creates agree on one profile', async () => {
      if (!store.create) return;
      const results = await Promise.all(['free', 'pro', 'business', 'starter'].map((tier) => store.create!(UserProfile.fromTier(tier as 'free', 'contract_race'))));
      expect(new Set(results.map((profile) => profile.tier.name)).size).toBe(1);
    });

    it('saveMany writes every profile', async () => {
      if (!store.saveMany) return;
      const profiles = Array.from({ length: 250 }, (_, index) => UserProfile.fromTier(index % 2 ? 'pro' : 'free', `contract_bulk_${index}`));
      await store.saveMany(profiles);
      expect((await store.load('contract_bulk_249'))?.tier).toBe(TIER_PRESETS.pro);
      expect((await store.load('contract_bulk_0'))?.tier).toBe(TIER_PRESETS.free);
      await store.saveMany([]);
    });

    it('deletes', async () => {
      await store.save(UserProfile.fromTier('pro', 'contract_del'));
      expect(await store.delete('contract_del')).toBe(true);
      expect(await store.delete('contract_del')).toBe(false);
      expect(await store.load('contract_del')).toBeUndefined();
    });

    it('refuses work on an aborted signal', async () => {
      try {
        await store.load('contract_a', { abortSignal: AbortSignal.abort() });
        expect.unreachable();
      } catch (error) {
        expect(CascadeError.isInstance(error) && error.code).toBe('ABORTED');
      }
    });
  });
}
