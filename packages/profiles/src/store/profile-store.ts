import type { UserProfile } from '../profile/user-profile';

/** Options every store call takes. */
export interface StoreCallOptions {
  /**
   * Aborts the call. A write aborted after it reached the database may still commit, except on
   * PostgreSQL: there `ABORTED` means nothing was written (the running statement is cancelled).
   */
  abortSignal?: AbortSignal;
}

/** A stored profile with the version of its row, for {@link ProfileStore.saveIfVersion}. */
export interface VersionedProfile {
  readonly profile: UserProfile;
  /** Bumped by every write of the row (`save`, `saveMany`, `saveIfVersion`). */
  readonly version: number;
}

/**
 * Where profiles live. Implementations: memory (`createMemoryProfileStore`), SQLite
 * (`@cascade/profiles/sqlite`), PostgreSQL (`@cascade/profiles/postgres`), or your own database
 * through `createCallbackProfileStore`. A resolved `save`/`saveMany`/`create` is durable.
 * Failures reject with `CascadeError` `STORE_FAILED` (bad stored data: `INVALID_CONFIG`, also for a
 * row whose data names another user than its key). Wrong argument types reject with `INVALID_INPUT`.
 *
 * Stores that implement `loadVersioned` and `saveIfVersion` (memory, SQLite, PostgreSQL) give the
 * manager's `update` compare-and-swap: no update is lost across managers, processes or servers.
 */
export interface ProfileStore {
  /** The stored profile, or `undefined` when the user has none. */
  load(userId: string, options?: StoreCallOptions): Promise<UserProfile | undefined>;
  /** Creates or replaces the user's profile. */
  save(profile: UserProfile, options?: StoreCallOptions): Promise<void>;
  /** Creates or replaces many profiles, atomically where the database allows. */
  saveMany?(profiles: readonly UserProfile[], options?: StoreCallOptions): Promise<void>;
  /**
   * Stores `profile` only if the user has none yet, and returns the stored one (this or the existing).
   * Lets many app servers create default profiles without overwriting each other.
   */
  create?(profile: UserProfile, options?: StoreCallOptions): Promise<UserProfile>;
  /** The stored profile with its row version, or `undefined` when the user has none. */
  loadVersioned?(userId: string, options?: StoreCallOptions): Promise<VersionedProfile | undefined>;
  /**
   * Compare-and-swap: writes `profile` only when the user's row still has `expectedVersion`
   * (`undefined`: only when the user has no row yet). True when written; false when another writer
   * got there first (load again, reapply the change, retry).
   */
  saveIfVersion?(profile: UserProfile, expectedVersion: number | undefined, options?: StoreCallOptions): Promise<boolean>;
  /** Deletes the user's profile; true when one existed. */
  delete(userId: string, options?: StoreCallOptions): Promise<boolean>;
  /** Releases connections the store opened itself. */
  close?(): Promise<void>;
}
