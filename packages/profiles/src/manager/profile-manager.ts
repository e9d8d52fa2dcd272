import { CascadeError, parseConfig, raceAbort, sleep, throwIfAborted } from '@cascade/core';
import { z } from 'zod';
import { tierRefSchema } from '../profile/profile-schema';
import type { UserProfileInput } from '../profile/profile-schema';
import { UserProfile } from '../profile/user-profile';
import { createCallbackProfileStore, type ProfileStoreCallbacks } from '../store/callback-store';
import { createMemoryProfileStore } from '../store/memory-store';
import type { ProfileStore, StoreCallOptions, VersionedProfile } from '../store/profile-store';
import { toStoreError } from '../store/store-error';
import { checkCallOptions, checkUserId, describeValue } from '../store/store-input';
import { checkLoadedProfile } from '../store/stored-row';
import { type TierConfig, isTierConfig } from '../tier/tier-config';
import { TIER_PRESETS, type TierName, isTierName } from '../tier/tier-presets';
import { TtlLruCache } from './ttl-lru-cache';

/** Configuration of {@link createProfileManager}. */
export const profileManagerConfigSchema = z.strictObject({
  /** How long a cached profile is served before it is reloaded, in ms. `0` disables the cache. @default 300000 (5 min) */
  cacheTtlMs: z.number().int().nonnegative().default(300_000),
  /** Most profiles kept in the cache; the least recently used is evicted beyond it. `0` disables the cache. @default 10000 */
  maxCacheSize: z.number().int().nonnegative().default(10_000),
  /** Plan of profiles created for unknown users: a built-in name, a preset or a custom plan. @default 'free' */
  defaultPlan: tierRefSchema.optional(),
  /** @deprecated Use `defaultPlan` ("tier" is a model's position in the cascade); accepted until the next minor version. */
  defaultTier: tierRefSchema.optional(),
  /** Save the default profile created for an unknown user to the store (insert-if-absent). @default true */
  persistDefaults: z.boolean().default(true),
}).transform(({ defaultPlan, defaultTier, ...config }, context) => {
  if (defaultPlan !== undefined && defaultTier !== undefined) {
    context.addIssue({ code: 'custom', path: ['defaultTier'], message: 'defaultTier is the deprecated name of defaultPlan: set only defaultPlan' });
  }
  return { ...config, defaultPlan: defaultPlan ?? defaultTier ?? TIER_PRESETS.free };
});

/** What callers write to configure the manager. */
export type ProfileManagerConfig = z.input<typeof profileManagerConfigSchema>;

/** Dependencies of the manager: where profiles live and the clock. */
export interface ProfileManagerDependencies {
  /** The store. @default an in-memory store (or a callback store when `load` is given) */
  store?: ProfileStore;
  /** Your own database: load a profile (a `UserProfile`, its JSON, or undefined). Exclusive with `store`. */
  load?: ProfileStoreCallbacks['load'];
  /** Your own database: save a profile. Exclusive with `store`. */
  save?: ProfileStoreCallbacks['save'];
  /** Clock in ms, for TTLs. @default Date.now */
  now?: () => number;
}

/** Options of manager calls. */
export interface ManagerCallOptions {
  /** Stops waiting. A shared load keeps running for other callers and still fills the cache. */
  abortSignal?: AbortSignal;
}

/** Counters of a manager, for metrics. */
export interface ProfileManagerStats {
  /** Profiles in the cache now. */
  size: number;
  hits: number;
  misses: number;
  /** Store loads started (concurrent misses of one user share one). */
  loads: number;
  /** Misses that joined a load already in flight. */
  joinedLoads: number;
  /** Default profiles created for unknown users. */
  defaultsCreated: number;
  evictions: number;
  expirations: number;
  saves: number;
  failedWrites: number;
  /** Compare-and-swap writes of `update` that lost to another writer and were retried. */
  updateConflicts: number;
}

/** Entries of {@link UserProfileManager.createBulk}: ready profiles, or profile input (`{ userId, tier }` is the fast path). */
export type BulkProfileEntry = UserProfile | UserProfileInput;

/** Manages profiles at scale: a TTL + LRU cache over a store, single-flight loads, safe writes. */
export interface UserProfileManager {
  /** The store behind the cache. */
  readonly store: ProfileStore;
  /**
   * The user's profile: from the cache, else from the store (concurrent callers share one load), else
   * a new profile on the default tier (saved insert-if-absent when `persistDefaults`).
   *
   * @throws CascadeError `STORE_FAILED` when the store fails (never a silent default that could
   *   downgrade a paying user), `INVALID_CONFIG` for bad stored data, `ABORTED` on abort.
   */
  get(userId: string, options?: ManagerCallOptions): Promise<UserProfile>;
  /** The cached profile, without loading (synchronous). */
  peek(userId: string): UserProfile | undefined;
  /**
   * Saves the profile to the store, then caches it. Writes of one user run one after another. When the
   * write fails the cache entry is dropped, so the next `get` reads what the store really holds.
   */
  save(profile: UserProfile, options?: ManagerCallOptions): Promise<UserProfile>;
  /**
   * Atomic read-modify-write: reads the store (not the cache), applies `change`, and writes only if
   * nobody wrote the user in between (compare-and-swap on the row's version); otherwise it reads again
   * and reapplies `change`. So concurrent updates on any number of managers, processes or servers are
   * all kept. `change` may run more than once: keep it a pure function of `current`. Stores without
   * versions (load/save callbacks) order updates only within this manager.
   *
   * @throws CascadeError `INVALID_INPUT` for a bad id or a `change` that is not a function or changes
   *   the user id, `INVALID_CONFIG` for bad stored data, `STORE_FAILED` (retryable after 100 lost
   *   compare-and-swaps in a row), `ABORTED`.
   */
  update(userId: string, change: (current: UserProfile) => UserProfile, options?: ManagerCallOptions): Promise<UserProfile>;
  /** Moves the user to another tier, keeping every other dimension. */
  updateTier(userId: string, tier: TierName | TierConfig, options?: ManagerCallOptions): Promise<UserProfile>;
  /** Deletes the stored profile and its cache entry; true when one existed. */
  delete(userId: string, options?: ManagerCallOptions): Promise<boolean>;
  /** Drops the cached profile (e.g. after another server changed it); in-flight loads will not re-cache it. */
  invalidate(userId: string): void;
  /** Drops every cached profile. */
  clear(): void;
  /**
   * Creates many profiles (creating or replacing them), saves them in one `saveMany` when the store has
   * it, then caches them. Not ordered with concurrent `save`s of the same users.
   *
   * @param options.persist - save to the store. @default true
   */
  createBulk(entries: readonly BulkProfileEntry[], options?: ManagerCallOptions & { persist?: boolean }): Promise<UserProfile[]>;
  /** Counters for metrics. */
  stats(): ProfileManagerStats;
}

/**
 * Most compare-and-swap attempts of one `update`. Each lost attempt means another writer's change
 * landed, so running out takes sustained contention on one user; the caller gets a retryable error.
 */
const MAX_UPDATE_ATTEMPTS = 100;
/** Longest pause between attempts: a random wait up to this spreads contenders apart. */
const MAX_UPDATE_BACKOFF_MS = 50;

interface Flight {
  stale: boolean;
  promise: Promise<UserProfile>;
}

const noop = (): void => undefined;

const WHAT = 'Profile manager';

/**
 * Creates a profile manager: a bounded TTL + LRU cache in front of a store.
 *
 * @param config - cache TTL and size, default tier. See {@link profileManagerConfigSchema}.
 * @param dependencies - `store` (or `load`/`save` callbacks) and the clock `now`.
 * @throws CascadeError `INVALID_CONFIG` naming the bad field.
 * @example
 * const manager = createProfileManager({ cacheTtlMs: 60_000, defaultPlan: 'free' }, { store: createSqliteProfileStore({ filename: 'profiles.db' }) });
 * const profile = await manager.get('user_123');
 * await manager.updateTier('user_123', 'pro');
 */
export function createProfileManager(config: ProfileManagerConfig = {}, dependencies: ProfileManagerDependencies = {}): UserProfileManager {
  const options = parseConfig(profileManagerConfigSchema, config, 'profile manager config');
  if (dependencies.store && (dependencies.load || dependencies.save)) {
    throw new CascadeError('INVALID_CONFIG', 'Invalid profile manager dependencies: pass either `store` or `load`/`save` callbacks, not both.');
  }
  if (dependencies.save && !dependencies.load) {
    throw new CascadeError('INVALID_CONFIG', 'Invalid profile manager dependencies: a `save` callback needs a `load` callback too.');
  }
  const store: ProfileStore =
    dependencies.store ??
    (dependencies.load
      ? createCallbackProfileStore({ load: dependencies.load, ...(dependencies.save ? { save: dependencies.save } : {}) })
      : createMemoryProfileStore());
  const now = dependencies.now ?? Date.now;
  const cache = new TtlLruCache<UserProfile>(options.maxCacheSize, options.cacheTtlMs, now);
  const inflight = new Map<string, Flight>();
  const writeTails = new Map<string, Promise<void>>();
  const counters = { hits: 0, misses: 0, loads: 0, joinedLoads: 0, defaultsCreated: 0, saves: 0, failedWrites: 0, updateConflicts: 0 };
  const source = 'Profile store';

  function defaultProfile(userId: string): UserProfile {
    return UserProfile.create({ userId, tier: options.defaultPlan, createdAt: new Date(now()).toISOString() });
  }

  async function createDefault(userId: string): Promise<UserProfile> {
    counters.defaultsCreated++;
    const profile = defaultProfile(userId);
    if (!options.persistDefaults) return profile;
    if (store.create) return checkLoadedProfile(await store.create(profile), userId, source);
    await store.save(profile);
    return profile;
  }

  /** Stops in-flight loads of the user from caching what they read (it may predate a write). */
  function markStale(userId: string): void {
    const flight = inflight.get(userId);
    if (flight) {
      flight.stale = true;
      inflight.delete(userId);
    }
  }

  function startFlight(userId: string): Flight {
    counters.loads++;
    const flight = { stale: false } as Flight;
    inflight.set(userId, flight);
    flight.promise = (async () => {
      try {
        const loaded = await store.load(userId);
        const profile = loaded ? checkLoadedProfile(loaded, userId, source) : await createDefault(userId);
        if (!flight.stale) cache.set(userId, profile);
        return profile;
      } catch (error) {
        throw toStoreError(error, `Loading the profile of "${userId}"`);
      } finally {
        if (inflight.get(userId) === flight) inflight.delete(userId);
      }
    })();
    // Callers that gave up (aborted) must not turn a failed shared load into an unhandled rejection.
    flight.promise.catch(noop);
    return flight;
  }

  function exclusive<T>(userId: string, task: () => Promise<T>): Promise<T> {
    const previous = writeTails.get(userId);
    const run = previous ? previous.then(task) : task();
    const tail = run.then(noop, noop);
    writeTails.set(userId, tail);
    void tail.then(() => {
      if (writeTails.get(userId) === tail) writeTails.delete(userId);
    });
    return run;
  }

  /**
   * Runs a store write of `profile` and keeps the cache consistent with it. `attempt` resolves false
   * when a compare-and-swap lost (nothing written, nothing cached).
   */
  async function write(profile: UserProfile, signal: AbortSignal | undefined, attempt: (options: StoreCallOptions) => Promise<boolean>): Promise<boolean> {
    throwIfAborted(signal, 'Saving the profile');
    const { userId } = profile;
    markStale(userId);
    let written: boolean;
    try {
      written = await attempt(signal ? { abortSignal: signal } : {});
    } catch (error) {
      counters.failedWrites++;
      // The write may or may not have reached the store: drop the entry so the next get reads the truth.
      cache.delete(userId);
      markStale(userId);
      throw toStoreError(error, `Saving the profile of "${userId}"`);
    }
    markStale(userId);
    if (!written) {
      cache.delete(userId); // another writer changed the user: what we cached is stale
      return false;
    }
    cache.set(userId, profile);
    counters.saves++;
    return true;
  }

  async function save(profile: UserProfile, signal: AbortSignal | undefined): Promise<UserProfile> {
    await write(profile, signal, async (storeOptions) => {
      await store.save(profile, storeOptions);
      return true;
    });
    return profile;
  }

  function checkProfile(profile: unknown, what: string): asserts profile is UserProfile {
    if (!UserProfile.isInstance(profile)) {
      throw new CascadeError('INVALID_INPUT', `${what}: expected a UserProfile, got ${describeValue(profile)}; create one with UserProfile.fromTier(...) or UserProfile.create(...).`);
    }
  }

  function applyChange(userId: string, current: UserProfile, change: (current: UserProfile) => UserProfile): UserProfile {
    const next = change(current);
    checkProfile(next, `${WHAT}: the update of "${userId}"`);
    if (next.userId !== userId) {
      throw new CascadeError('INVALID_INPUT', `The update of "${userId}" returned the profile of "${next.userId}": keep the user id.`);
    }
    return next;
  }

  async function loadForUpdate<T>(userId: string, load: () => Promise<T>): Promise<T> {
    try {
      return await load();
    } catch (error) {
      throw toStoreError(error, `Loading the profile of "${userId}" for an update`);
    }
  }

  /**
   * Read-modify-write without lost updates: load the row with its version, apply the change, write
   * only if the version is unchanged; on a conflict load again and reapply. Stores without versions
   * (your callbacks) get the plain load-then-save, ordered only within this manager.
   */
  async function applyUpdate(userId: string, change: (current: UserProfile) => UserProfile, signal: AbortSignal | undefined): Promise<UserProfile> {
    throwIfAborted(signal, 'Updating the profile');
    const storeOptions: StoreCallOptions = signal ? { abortSignal: signal } : {};
    const { loadVersioned, saveIfVersion } = store;
    if (!loadVersioned || !saveIfVersion) {
      const current = await loadForUpdate(userId, () => store.load(userId, storeOptions));
      const next = applyChange(userId, current ? checkLoadedProfile(current, userId, source) : defaultProfile(userId), change);
      return save(next, signal);
    }
    for (let attempt = 1; ; attempt++) {
      const loaded: VersionedProfile | undefined = await loadForUpdate(userId, () => loadVersioned.call(store, userId, storeOptions));
      const next = applyChange(userId, loaded ? checkLoadedProfile(loaded.profile, userId, source) : defaultProfile(userId), change);
      if (await write(next, signal, (writeOptions) => saveIfVersion.call(store, next, loaded?.version, writeOptions))) return next;
      counters.updateConflicts++;
      if (attempt >= MAX_UPDATE_ATTEMPTS) {
        throw new CascadeError(
          'STORE_FAILED',
          `Updating the profile of "${userId}": another writer changed it ${MAX_UPDATE_ATTEMPTS} times in a row while this update retried. Retry later.`,
          { retryable: true, details: { userId, attempts: attempt } },
        );
      }
      await sleep(Math.random() * Math.min(MAX_UPDATE_BACKOFF_MS, 2 ** attempt), signal);
    }
  }

  const manager: UserProfileManager = {
    store,

    get(userId, callOptions) {
      let signal: AbortSignal | undefined;
      try {
        if (callOptions !== undefined) signal = checkCallOptions(callOptions, `${WHAT}: get`);
        const cached = cache.get(userId);
        if (cached !== undefined) {
          counters.hits++;
          return Promise.resolve(cached);
        }
        checkUserId(userId, `${WHAT}: get`);
      } catch (error) {
        return Promise.reject(error as Error);
      }
      counters.misses++;
      let flight = inflight.get(userId);
      if (flight) counters.joinedLoads++;
      else flight = startFlight(userId);
      return signal ? raceAbort(flight.promise, signal, `Loading the profile of "${userId}"`) : flight.promise;
    },

    peek(userId) {
      checkUserId(userId, `${WHAT}: peek`);
      return cache.get(userId);
    },

    async save(profile, callOptions) {
      checkProfile(profile, `${WHAT}: save`);
      checkUserId(profile.userId, `${WHAT}: save`);
      const signal = checkCallOptions(callOptions, `${WHAT}: save`);
      return exclusive(profile.userId, () => save(profile, signal));
    },

    async update(userId, change, callOptions) {
      checkUserId(userId, `${WHAT}: update`);
      if (typeof change !== 'function') {
        throw new CascadeError('INVALID_INPUT', `${WHAT}: update of "${userId}": pass a function (current profile) => new profile, got ${describeValue(change)}.`);
      }
      const signal = checkCallOptions(callOptions, `${WHAT}: update`);
      return exclusive(userId, () => applyUpdate(userId, change, signal));
    },

    async updateTier(userId, tier, callOptions) {
      const given: unknown = tier;
      if (!isTierName(given) && !isTierConfig(given)) {
        throw new CascadeError('INVALID_INPUT', `${WHAT}: updateTier of "${String(userId).slice(0, 40)}": unknown tier ${typeof given === 'string' ? JSON.stringify(given.slice(0, 40)) : describeValue(given)}; pass a built-in tier name (free, starter, pro, business, enterprise) or a tier from defineTier/deriveTier.`);
      }
      return manager.update(userId, (current) => current.withTier(tier), callOptions);
    },

    async delete(userId, callOptions) {
      checkUserId(userId, `${WHAT}: delete`);
      const signal = checkCallOptions(callOptions, `${WHAT}: delete`);
      return exclusive(userId, async () => {
        throwIfAborted(signal, 'Deleting the profile');
        markStale(userId);
        try {
          return await store.delete(userId, signal ? { abortSignal: signal } : {});
        } catch (error) {
          counters.failedWrites++;
          throw toStoreError(error, `Deleting the profile of "${userId}"`);
        } finally {
          cache.delete(userId);
          markStale(userId);
        }
      });
    },

    invalidate(userId) {
      checkUserId(userId, `${WHAT}: invalidate`);
      cache.delete(userId);
      markStale(userId);
    },

    clear() {
      cache.clear();
      for (const flight of inflight.values()) flight.stale = true;
      inflight.clear();
    },

    async createBulk(entries, callOptions = {}) {
      if (!Array.isArray(entries)) throw new CascadeError('INVALID_INPUT', `${WHAT}: createBulk: pass an array of profiles or profile input, got ${describeValue(entries)}.`);
      const signal = checkCallOptions(callOptions, `${WHAT}: createBulk`);
      const persist: unknown = callOptions?.persist;
      if (persist !== undefined && typeof persist !== 'boolean') throw new CascadeError('INVALID_INPUT', `${WHAT}: createBulk: persist must be a boolean, got ${describeValue(persist)}.`);
      throwIfAborted(signal, 'Creating the profiles');
      const profiles = entries.map((entry) => (UserProfile.isInstance(entry) ? entry : UserProfile.create(entry)));
      if (persist !== false) {
        for (const profile of profiles) markStale(profile.userId);
        const storeOptions: StoreCallOptions = signal ? { abortSignal: signal } : {};
        try {
          if (store.saveMany) await store.saveMany(profiles, storeOptions);
          else for (const profile of profiles) await store.save(profile, storeOptions);
        } catch (error) {
          counters.failedWrites++;
          for (const profile of profiles) cache.delete(profile.userId);
          throw toStoreError(error, `Saving ${profiles.length} profiles`);
        }
        counters.saves += profiles.length;
      }
      for (const profile of profiles) {
        markStale(profile.userId);
        cache.set(profile.userId, profile);
      }
      return profiles;
    },

    stats() {
      return { size: cache.size, ...counters, evictions: cache.evictions, expirations: cache.expirations };
    },
  };
  return manager;
}
