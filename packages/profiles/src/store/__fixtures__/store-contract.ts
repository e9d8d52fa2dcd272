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

    it('never writes a row whose data names another user (a forged profile is refused)', async () => {
      const real = UserProfile.fromTier('enterprise', 'contract_f1');
      const forged = Object.assign(Object.create(Object.getPrototypeOf(real) as object) as UserProfile, { userId: 'contract_c3', roles: [], permissions: [], tier: real.tier });
      Object.defineProperty(forged, 'toJSON', { value: () => real.toJSON() });
      const writes: (() => Promise<unknown>)[] = [() => store.save(forged)];
      if (store.saveMany) writes.push(() => store.saveMany!([forged]));
      if (store.create) writes.push(() => store.create!(forged));
      if (store.saveIfVersion) writes.push(() => store.saveIfVersion!(forged, undefined));
      for (const write of writes) {
        const error = await write().then(() => undefined, (caught: unknown) => caught);
        expect(CascadeError.isInstance(error) && error.code).toBe('INVALID_INPUT');
        expect((error as Error).message).toMatch(/contract_c3[\s\S]*contract_f1/);
      }
      expect(await store.load('contract_c3')).toBeUndefined();
    });

    it('refuses wrong argument types with INVALID_INPUT at the call', async () => {
      const calls: (() => Promise<unknown>)[] = [
        () => store.load(42 as never),
        () => store.load(''),
        () => store.load('x', { abortSignal: 'soon' as never }),
        () => store.save({ userId: 'x' } as never),
        () => store.save(null as never),
        () => store.delete(undefined as never),
      ];
      if (store.saveMany) calls.push(() => store.saveMany!('x' as never), () => store.saveMany!([{}] as never));
      if (store.create) calls.push(() => store.create!({} as never));
      if (store.loadVersioned) calls.push(() => store.loadVersioned!({} as never));
      if (store.saveIfVersion) calls.push(() => store.saveIfVersion!(UserProfile.fromTier('pro', 'x'), 'one' as never));
      for (const call of calls) {
        const error = await call().then(() => undefined, (caught: unknown) => caught);
        expect(CascadeError.isInstance(error) && error.code).toBe('INVALID_INPUT');
      }
    });

    it('compare-and-swap: writes only over the version it read', async () => {
      if (!store.loadVersioned || !store.saveIfVersion) return;
      expect(await store.saveIfVersion(UserProfile.fromTier('free', 'contract_cas'), undefined)).toBe(true);
      expect(await store.saveIfVersion(UserProfile.fromTier('pro', 'contract_cas'), undefined)).toBe(false); // exists now
      const first = (await store.loadVersioned('contract_cas'))!;
      expect(first.profile.tier).toBe(TIER_PRESETS.free);
      await store.save(first.profile.withTier('starter')); // a blind write bumps the version too
      expect(await store.saveIfVersion(first.profile.withTier('pro'), first.version)).toBe(false);
      const second = (await store.loadVersioned('contract_cas'))!;
      expect(second.version).toBeGreaterThan(first.version);
      expect(await store.saveIfVersion(second.profile.withTier('business'), second.version)).toBe(true);
      expect((await store.load('contract_cas'))?.tier).toBe(TIER_PRESETS.business);
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
