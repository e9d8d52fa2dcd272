import { CascadeError } from '@cascade/core';
import { type TierName, type UserProfileManager, UserProfile, isTierName } from '@cascade/profiles';
import type { ApiKeyRecord, ApiKeyStore } from '../users/api-key-store';

const TIERS = 'free, starter, pro, business, enterprise';

function tierOf(value: string | undefined, fallback: TierName): TierName {
  const tier = (value ?? fallback).toLowerCase();
  if (!isTierName(tier)) throw new CascadeError('INVALID_INPUT', `Unknown tier "${value}": use one of ${TIERS}.`);
  return tier;
}

/** Admin operations on users and keys, shared by the CLI and tests. */
export interface AdminActions {
  createUser(userId: string, tier?: string): Promise<UserProfile>;
  setTier(userId: string, tier: string): Promise<UserProfile>;
  /** Creates a key; the plain key is returned once. The user must exist. */
  createKey(userId: string, label?: string): Promise<{ key: string; record: ApiKeyRecord }>;
  list(): Promise<{ userId: string; tier: string; keys: ApiKeyRecord[] }[]>;
  revokeKey(keyId: number): boolean;
}

/** Creates the admin actions over the profile manager and the key store. */
export function createAdminActions(profiles: UserProfileManager, keys: ApiKeyStore): AdminActions {
  async function existing(userId: string): Promise<UserProfile> {
    const profile = await profiles.store.load(userId);
    if (!profile) throw new CascadeError('INVALID_INPUT', `No user "${userId}": create it first with \`pnpm demo admin create-user ${userId} --tier pro\`.`);
    return profile;
  }
  return {
    async createUser(userId, tier) {
      if (await profiles.store.load(userId)) throw new CascadeError('INVALID_INPUT', `User "${userId}" exists already: change its tier with \`admin set-tier ${userId} <tier>\`.`);
      return profiles.save(UserProfile.fromTier(tierOf(tier, 'free'), userId));
    },
    async setTier(userId, tier) {
      await existing(userId);
      return profiles.updateTier(userId, tierOf(tier, 'free'));
    },
    async createKey(userId, label) {
      await existing(userId);
      return keys.create(userId, label);
    },
    async list() {
      const all = keys.list();
      const userIds = [...new Set(all.map((key) => key.userId))];
      const rows = [];
      for (const userId of userIds) {
        const profile = await profiles.store.load(userId);
        rows.push({ userId, tier: profile?.tier.name ?? '(no profile)', keys: all.filter((key) => key.userId === userId) });
      }
      return rows;
    },
    revokeKey: (keyId) => keys.revoke(keyId),
  };
}
