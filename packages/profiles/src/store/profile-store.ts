import type { UserProfile } from '../profile/user-profile';

/** Options every store call takes. */
export interface StoreCallOptions {
  /**
   * Aborts the call. A write aborted after it reached the database may still commit, except on
   * PostgreSQL: there `ABORTED` means nothing was written (the running statement is cancelled).
   */
  abortSignal?: AbortSignal;
}

/**
 * Where profiles live. Implementations: memory (`createMemoryProfileStore`), SQLite
 * (`@cascade/profiles/sqlite`), PostgreSQL (`@cascade/profiles/postgres`), or your own database
 * through `createCallbackProfileStore`. A resolved `save`/`saveMany`/`create` is durable.
 * Failures reject with `CascadeError` `STORE_FAILED` (bad stored data: `INVALID_CONFIG`).
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
  /** Deletes the user's profile; true when one existed. */
  delete(userId: string, options?: StoreCallOptions): Promise<boolean>;
  /** Releases connections the store opened itself. */
  close?(): Promise<void>;
}
