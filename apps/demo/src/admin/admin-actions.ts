import { CascadeError } from '@cascade/core';
import { type TierName, type UserProfileManager, UserProfile, isTierName } from '@cascade/profiles';
import type { ApiKeyRecord, KeyStore } from '../users/api-key-store';

const TIERS = 'free, starter, pro, business, enterprise';

function tierOf(value: string | undefined, fallback: TierName): TierName {
  const tier = (value ?? fallback).toLowerCase();
  if (!isTierName(tier)) throw new CascadeError('INVALID_INPUT', `Unknown tier "${value}": use one of ${TIERS}.`);
  return tier;
}

/** One user in `admin list`: its tier, or why its stored profile cannot be read. */
export interface AdminUserRow {
  userId: string;
  /** The tier name; undefined when the profile is missing (its keys are refused) or unreadable (see `problem`). */
  tier: string | undefined;
  keys: ApiKeyRecord[];
  /** What is wrong with the user's profile row: the store's detailed message (field names and ids, no stored values, no keys). */
  problem?: string;
}

/** What `admin delete-user` did. */
export interface DeletedUser {
  userId: string;
  /** Whether a profile row was deleted. */
  profileDeleted: boolean;
  /** API keys deleted (revoked ones included). */
  keysDeleted: number;
}

/** Admin operations on users and keys, shared by the CLI and tests. */
export interface AdminActions {
  createUser(userId: string, tier?: string): Promise<UserProfile>;
  setTier(userId: string, tier: string): Promise<UserProfile>;
  /** Creates a key; the plain key is returned once. The user must exist. */
  createKey(userId: string, label?: string): Promise<{ key: string; record: ApiKeyRecord }>;
  /** Every user with a profile or a key; a bad profile row is reported on its user and does not stop the listing. */
  list(): Promise<AdminUserRow[]>;
  revokeKey(keyId: number): Promise<boolean>;
  /**
   * Deletes the user's API keys, then its profile (in that order: a failure in between leaves a user
   * without keys, never keys without a user). Usage rows are kept: they are billing history.
   */
  deleteUser(userId: string): Promise<DeletedUser>;
}

/** Options of {@link createAdminActions}. */
export interface AdminActionsOptions {
  /** Every user id with a profile row, so `list` shows users without keys too. @default only users with keys */
  profileUserIds?: () => Iterable<string> | Promise<Iterable<string>>;
}

/** The detailed message of a failed profile load, for operators. */
function problemOf(error: unknown): string {
  if (CascadeError.isInstance(error)) {
    const detail = error.details?.['detail'];
    return `${error.code}: ${typeof detail === 'string' ? detail : error.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Creates the admin actions over the profile manager and the key store. */
export function createAdminActions(profiles: UserProfileManager, keys: KeyStore, options: AdminActionsOptions = {}): AdminActions {
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
      return await keys.create(userId, label);
    },
    async list() {
      const all = await keys.list();
      const userIds = [...new Set([...((await options.profileUserIds?.()) ?? []), ...all.map((key) => key.userId)])].sort();
      const rows: AdminUserRow[] = [];
      for (const userId of userIds) {
        const userKeys = all.filter((key) => key.userId === userId);
        try {
          const profile = await profiles.store.load(userId);
          rows.push({ userId, tier: profile?.tier.name, keys: userKeys });
        } catch (error) {
          rows.push({ userId, tier: undefined, keys: userKeys, problem: problemOf(error) });
        }
      }
      return rows;
    },
    revokeKey: async (keyId) => keys.revoke(keyId),
    async deleteUser(userId) {
      if (typeof userId !== 'string' || userId.length === 0) throw new CascadeError('INVALID_INPUT', 'admin delete-user needs a user id.');
      const keysDeleted = await keys.deleteUserKeys(userId);
      const profileDeleted = await profiles.delete(userId);
      return { userId, profileDeleted, keysDeleted };
    },
  };
}
