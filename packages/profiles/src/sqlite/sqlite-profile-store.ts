import { CascadeError, parseConfig, throwIfAborted } from '@cascade/core';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { UserProfile } from '../profile/user-profile';
import type { ProfileStore, StoreCallOptions } from '../store/profile-store';
import { toStoreError } from '../store/store-error';
import { quoteIdentifier, sqlIdentifierSchema } from '../store/table-name';

/** Configuration of {@link createSqliteProfileStore}. */
export const sqliteProfileStoreConfigSchema = z.strictObject({
  /** Database file (created if missing). Not needed when you pass `database`. */
  filename: z.string().min(1).optional(),
  /** Table of profiles (created if missing). @default 'cascade_profiles' */
  tableName: sqlIdentifierSchema.default('cascade_profiles'),
});

/** What callers write to configure the SQLite store. */
export type SqliteProfileStoreConfig = z.input<typeof sqliteProfileStoreConfigSchema>;

/** Dependencies of the SQLite store. */
export interface SqliteProfileStoreDependencies {
  /** An open `better-sqlite3` database to use instead of opening `filename` (its pragmas are yours; `close` leaves it open). */
  database?: Database.Database;
  /** Clock in ms for `updated_at`. @default Date.now */
  now?: () => number;
}

/** The SQLite store, with access to its database. */
export interface SqliteProfileStore extends ProfileStore {
  readonly database: Database.Database;
  create(profile: UserProfile, options?: StoreCallOptions): Promise<UserProfile>;
  saveMany(profiles: readonly UserProfile[], options?: StoreCallOptions): Promise<void>;
  close(): Promise<void>;
}

interface Row {
  data: string;
}

function parseRow(row: Row, userId: string): UserProfile {
  let json: unknown;
  try {
    json = JSON.parse(row.data);
  } catch (error) {
    throw new CascadeError('INVALID_CONFIG', `Invalid stored profile of user "${userId}": the data column is not JSON. Fix or delete the row.`, { cause: error });
  }
  return UserProfile.fromJSON(json);
}

/**
 * A profile store on a SQLite file (`better-sqlite3`): the embedded default, zero setup. Files it opens
 * use WAL with `synchronous = FULL`, so a resolved write survives a crash or power loss. One row per
 * user: `user_id`, `schema_version`, `tier`, `data` (the profile's JSON), `updated_at`.
 *
 * @throws CascadeError `INVALID_CONFIG` for bad config; calls reject with `STORE_FAILED` on database
 *   errors and `INVALID_CONFIG` for bad stored data.
 * @example
 * const store = createSqliteProfileStore({ filename: './profiles.db' });
 * const manager = createProfileManager({}, { store });
 */
export function createSqliteProfileStore(config: SqliteProfileStoreConfig, dependencies: SqliteProfileStoreDependencies = {}): SqliteProfileStore {
  const options = parseConfig(sqliteProfileStoreConfigSchema, config, 'SQLite profile store config');
  if (!dependencies.database && options.filename === undefined) {
    throw new CascadeError('INVALID_CONFIG', 'Invalid SQLite profile store config:\n✖ pass `filename` (a database file) or an open `database` dependency\n  → at filename');
  }
  const now = dependencies.now ?? Date.now;
  const table = quoteIdentifier(options.tableName);
  let database: Database.Database;
  try {
    if (dependencies.database) {
      database = dependencies.database;
    } else {
      database = new Database(options.filename!);
      database.pragma('journal_mode = WAL');
      database.pragma('synchronous = FULL');
      database.pragma('busy_timeout = 5000');
    }
    database.exec(
      `CREATE TABLE IF NOT EXISTS ${table} (
        user_id TEXT PRIMARY KEY NOT NULL,
        schema_version INTEGER NOT NULL,
        tier TEXT NOT NULL,
        data TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      )`,
    );
  } catch (error) {
    throw toStoreError(error, `Opening the SQLite profile store (${options.filename ?? 'given database'})`);
  }
  const ownsDatabase = !dependencies.database;
  const selectOne = database.prepare<[string], Row>(`SELECT data FROM ${table} WHERE user_id = ?`);
  const upsert = database.prepare<[string, number, string, string, number]>(
    `INSERT INTO ${table} (user_id, schema_version, tier, data, updated_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(user_id) DO UPDATE SET schema_version = excluded.schema_version, tier = excluded.tier, data = excluded.data, updated_at = excluded.updated_at`,
  );
  const insertIfAbsent = database.prepare<[string, number, string, string, number]>(
    `INSERT INTO ${table} (user_id, schema_version, tier, data, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(user_id) DO NOTHING`,
  );
  const deleteOne = database.prepare<[string]>(`DELETE FROM ${table} WHERE user_id = ?`);
  const params = (profile: UserProfile): [string, number, string, string, number] => {
    const json = profile.toJSON();
    return [profile.userId, json.schemaVersion, profile.tier.name, JSON.stringify(json), now()];
  };
  const upsertMany = database.transaction((profiles: readonly UserProfile[]) => {
    for (const profile of profiles) upsert.run(...params(profile));
  });

  const run = <T>(what: string, signal: AbortSignal | undefined, task: () => T): T => {
    throwIfAborted(signal, what);
    try {
      return task();
    } catch (error) {
      throw toStoreError(error, `SQLite profile store: ${what}`);
    }
  };

  return {
    database,
    async load(userId, callOptions) {
      const row = run(`load "${userId}"`, callOptions?.abortSignal, () => selectOne.get(userId));
      return row ? parseRow(row, userId) : undefined;
    },
    async save(profile, callOptions) {
      run(`save "${profile.userId}"`, callOptions?.abortSignal, () => upsert.run(...params(profile)));
    },
    async saveMany(profiles, callOptions) {
      run(`save ${profiles.length} profiles`, callOptions?.abortSignal, () => upsertMany(profiles));
    },
    async create(profile, callOptions) {
      const inserted = run(`create "${profile.userId}"`, callOptions?.abortSignal, () => insertIfAbsent.run(...params(profile)).changes);
      if (inserted === 1) return profile;
      const row = run(`load "${profile.userId}"`, callOptions?.abortSignal, () => selectOne.get(profile.userId));
      return row ? parseRow(row, profile.userId) : profile;
    },
    async delete(userId, callOptions) {
      return run(`delete "${userId}"`, callOptions?.abortSignal, () => deleteOne.run(userId).changes > 0);
    },
    async close() {
      if (ownsDatabase && database.open) database.close();
    },
  };
}
