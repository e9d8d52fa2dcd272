import { UserProfile } from '../profile/user-profile';
import type { ProfileStore, StoreCallOptions } from './profile-store';
import { toStoreError } from './store-error';
import { checkCallOptions, checkProfileArgument, checkUserId } from './store-input';
import { checkLoadedProfile, profileFromRow } from './stored-row';

/** Callbacks onto your own database. */
export interface ProfileStoreCallbacks {
  /**
   * Returns (or resolves to) a `UserProfile`, its stored JSON (a `ProfileJson`, possibly from
   * an older version: it is validated and migrated), or `undefined`/`null` when the user has none.
   */
  load(userId: string, options: StoreCallOptions): unknown;
  save?(profile: UserProfile, options: StoreCallOptions): Promise<void> | void;
  delete?(userId: string, options: StoreCallOptions): Promise<boolean> | boolean;
}

/**
 * A store over your own load/save callbacks (the plan's `load_callback`/`save_callback`). Without
 * `save`, profiles live only in the manager's cache. Stored JSON goes through `UserProfile.fromJSON`
 * (bad data, or a profile of another user than the one asked for → `INVALID_CONFIG`); callback
 * failures become `STORE_FAILED`. It has no compare-and-swap: concurrent `update`s of one user from
 * several managers can overwrite each other unless your callbacks serialize them.
 *
 * @example
 * const store = createCallbackProfileStore({
 *   load: (userId) => db.profiles.findJson(userId),
 *   save: (profile) => db.profiles.upsert(profile.userId, JSON.stringify(profile)),
 * });
 */
export function createCallbackProfileStore(callbacks: ProfileStoreCallbacks): ProfileStore {
  return {
    async load(userId, options = {}) {
      checkUserId(userId, 'Callback profile store: load');
      checkCallOptions(options, 'Callback profile store: load');
      let loaded: unknown;
      try {
        loaded = await callbacks.load(userId, options);
      } catch (error) {
        throw toStoreError(error, `Profile load callback for "${userId}"`);
      }
      if (loaded === undefined || loaded === null) return undefined;
      const source = 'Profile load callback';
      return UserProfile.isInstance(loaded) ? checkLoadedProfile(loaded, userId, source) : profileFromRow(loaded, userId, source);
    },
    async save(profile, options = {}) {
      checkProfileArgument(profile, 'Callback profile store: save');
      checkCallOptions(options, 'Callback profile store: save');
      if (!callbacks.save) return;
      try {
        await callbacks.save(profile, options);
      } catch (error) {
        throw toStoreError(error, `Profile save callback for "${profile.userId}"`);
      }
    },
    async delete(userId, options = {}) {
      checkUserId(userId, 'Callback profile store: delete');
      checkCallOptions(options, 'Callback profile store: delete');
      if (!callbacks.delete) return false;
      try {
        return await callbacks.delete(userId, options);
      } catch (error) {
        throw toStoreError(error, `Profile delete callback for "${userId}"`);
      }
    },
  };
}
