import { throwIfAborted } from '@cascade/core';
import type { UserProfile } from '../profile/user-profile';
import type { ProfileStore, StoreCallOptions, VersionedProfile } from './profile-store';
import { checkCallOptions, checkExpectedVersion, checkProfileArgument, checkProfileList, checkUserId } from './store-input';

/** The in-memory store: also exposes its size, for tests and the demo. */
export interface MemoryProfileStore extends ProfileStore {
  readonly size: number;
  create(profile: UserProfile, options?: StoreCallOptions): Promise<UserProfile>;
  saveMany(profiles: readonly UserProfile[], options?: StoreCallOptions): Promise<void>;
  loadVersioned(userId: string, options?: StoreCallOptions): Promise<VersionedProfile | undefined>;
  saveIfVersion(profile: UserProfile, expectedVersion: number | undefined, options?: StoreCallOptions): Promise<boolean>;
}

/**
 * An in-process profile store (the embedded default). Profiles are immutable, so they are kept by
 * reference. It holds your data, not a cache: it grows with your users; use SQLite or PostgreSQL to
 * keep profiles across restarts.
 *
 * @example
 * const manager = createProfileManager({}, { store: createMemoryProfileStore() });
 */
export function createMemoryProfileStore(initial: Iterable<UserProfile> = []): MemoryProfileStore {
  const rows = new Map<string, VersionedProfile>();
  const put = (profile: UserProfile): void => {
    rows.set(profile.userId, { profile, version: (rows.get(profile.userId)?.version ?? 0) + 1 });
  };
  const enter = (what: string, options: unknown): void => throwIfAborted(checkCallOptions(options, what), what);
  for (const profile of initial) {
    checkProfileArgument(profile, 'Memory profile store: initial profiles');
    put(profile);
  }
  return {
    get size() {
      return rows.size;
    },
    async load(userId, options) {
      checkUserId(userId, 'Memory profile store: load');
      enter('Loading the profile', options);
      return rows.get(userId)?.profile;
    },
    async loadVersioned(userId, options) {
      checkUserId(userId, 'Memory profile store: load');
      enter('Loading the profile', options);
      return rows.get(userId);
    },
    async save(profile, options) {
      checkProfileArgument(profile, 'Memory profile store: save');
      enter('Saving the profile', options);
      put(profile);
    },
    async saveIfVersion(profile, expectedVersion, options) {
      checkProfileArgument(profile, 'Memory profile store: saveIfVersion');
      checkExpectedVersion(expectedVersion, 'Memory profile store: saveIfVersion');
      enter('Saving the profile', options);
      if (rows.get(profile.userId)?.version !== expectedVersion) return false;
      put(profile);
      return true;
    },
    async saveMany(many, options) {
      checkProfileList(many, 'Memory profile store: saveMany');
      enter('Saving the profiles', options);
      for (const profile of many) put(profile);
    },
    async create(profile, options) {
      checkProfileArgument(profile, 'Memory profile store: create');
      enter('Creating the profile', options);
      const existing = rows.get(profile.userId);
      if (existing) return existing.profile;
      put(profile);
      return profile;
    },
    async delete(userId, options) {
      checkUserId(userId, 'Memory profile store: delete');
      enter('Deleting the profile', options);
      return rows.delete(userId);
    },
  };
}
