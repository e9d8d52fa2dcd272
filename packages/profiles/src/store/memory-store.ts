import { throwIfAborted } from '@cascade/core';
import type { UserProfile } from '../profile/user-profile';
import type { ProfileStore, StoreCallOptions } from './profile-store';

/** The in-memory store: also exposes its size, for tests and the demo. */
export interface MemoryProfileStore extends ProfileStore {
  readonly size: number;
  create(profile: UserProfile, options?: StoreCallOptions): Promise<UserProfile>;
  saveMany(profiles: readonly UserProfile[], options?: StoreCallOptions): Promise<void>;
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
  const profiles = new Map<string, UserProfile>();
  for (const profile of initial) profiles.set(profile.userId, profile);
  return {
    get size() {
      return profiles.size;
    },
    async load(userId, options) {
      throwIfAborted(options?.abortSignal, 'Loading the profile');
      return profiles.get(userId);
    },
    async save(profile, options) {
      throwIfAborted(options?.abortSignal, 'Saving the profile');
      profiles.set(profile.userId, profile);
    },
    async saveMany(many, options) {
      throwIfAborted(options?.abortSignal, 'Saving the profiles');
      for (const profile of many) profiles.set(profile.userId, profile);
    },
    async create(profile, options) {
      throwIfAborted(options?.abortSignal, 'Creating the profile');
      const existing = profiles.get(profile.userId);
      if (existing) return existing;
      profiles.set(profile.userId, profile);
      return profile;
    },
    async delete(userId, options) {
      throwIfAborted(options?.abortSignal, 'Deleting the profile');
      return profiles.delete(userId);
    },
  };
}
