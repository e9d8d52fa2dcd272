import { afterAll, describe, expect, it } from 'vitest';
import { createProfileManager, type UserProfileManager } from '../../manager/profile-manager';
import { UserProfile } from '../../profile/user-profile';
import { TIER_PRESETS } from '../../tier/tier-presets';
import type { ProfileStore } from '../profile-store';

/** Adds `tag` to the user's telemetry tags through the manager's read-modify-write. */
export function addTag(manager: UserProfileManager, userId: string, tag: string): Promise<UserProfile> {
  return manager.update(userId, (current) => current.with({ telemetry: { tags: [...(current.telemetry?.tags ?? []), tag] } }));
}

/**
 * Lost-update checks for a store with compare-and-swap: `open` returns a new store on its own
 * connection (or pool) to the same table each call, like another app server.
 */
export function describeConcurrentUpdates(name: string, open: () => Promise<ProfileStore>, close: (store: ProfileStore) => Promise<void>): void {
  describe(`${name}: concurrent updates from several managers`, () => {
    const opened: ProfileStore[] = [];
    const server = async (): Promise<UserProfileManager> => {
      const store = await open();
      opened.push(store);
      return createProfileManager({}, { store });
    };
    afterAll(async () => {
      for (const store of opened) await close(store);
    });

    it('4 managers on separate connections × 25 concurrent updates keep all 100', async () => {
      const managers = await Promise.all(Array.from({ length: 4 }, server));
      await managers[0]!.save(UserProfile.create({ userId: 'counted', tier: 'pro', telemetry: { tags: [] } }));
      await Promise.all(managers.flatMap((manager, m) => Array.from({ length: 25 }, (_, i) => addTag(manager, 'counted', `m${m}-${i}`))));
      const stored = await managers[3]!.store.load('counted');
      expect(stored?.telemetry?.tags).toHaveLength(100);
      expect(new Set(stored?.telemetry?.tags).size).toBe(100);
      expect(stored?.tier).toBe(TIER_PRESETS.pro);
    });

    it('a tier change racing a role change on another manager keeps both (50 races)', async () => {
      const [a, b] = await Promise.all([server(), server()]);
      const users = Array.from({ length: 50 }, (_, index) => `raced-${index}`);
      await a!.createBulk(users.map((userId) => ({ userId, tier: 'free' as const })));
      await Promise.all(users.flatMap((userId) => [a!.updateTier(userId, 'business'), b!.update(userId, (current) => current.with({ roles: [...current.roles, 'admin'] }))]));
      for (const userId of users) {
        const stored = await a!.store.load(userId);
        expect({ userId, tier: stored?.tier.name, roles: stored?.roles }).toEqual({ userId, tier: 'business', roles: ['admin'] });
      }
    });

    it('updates of a user nobody has yet (insert race) are all kept', async () => {
      const managers = await Promise.all(Array.from({ length: 3 }, server));
      await Promise.all(managers.map((manager, m) => addTag(manager, 'brand-new', `first-${m}`)));
      expect([...((await managers[0]!.store.load('brand-new'))?.telemetry?.tags ?? [])].sort()).toEqual(['first-0', 'first-1', 'first-2']);
    });
  });
}
