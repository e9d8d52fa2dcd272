import { CascadeError, parseConfig, throwIfAborted } from '@cascade/core';
import type Database from 'better-sqlite3';
import { loadBetterSqlite3, openDurableDatabase } from './load-better-sqlite3';
import { z } from 'zod';
import type { UserProfile } from '../profile/user-profile';
import type { ProfileStore, StoreCallOptions, VersionedProfile } from '../store/profile-store';
import { toStoreError } from '../store/store-error';
import { checkCallOptions, checkExpectedVersion, checkProfileArgument, checkProfileList, checkUserId } from '../store/store-input';
import { profileFromRow } from '../store/stored-row';
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
  loadVersioned(userId: string, options?: StoreCallOptions): Promise<VersionedProfile | undefined>;
  saveIfVersion(profile: UserProfile, expectedVersion: number | undefined, options?: StoreCallOptions): Promise<boolean>;
  close(): Promise<void>;
}

interface Row {
  data: string;
  version: number;
}

const SOURCE = 'SQLite profile store';

/**
 * Adds the `version` column to a table created before it existed (existing rows start at 0). Two
 * connections migrating at once: the loser's "duplicate column" is what it wanted.
 */
function addVersionColumn(database: Database.Database, table: string): void {
  const columns = database.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[];
  if (columns.some((column) => column.name === 'version')) return;
  try {
    database.exec(`ALTER TABLE ${table} ADD COLUMN version INTEGER NOT NULL DEFAULT 0`);
  } catch (error) {
    if (!/duplicate column/i.test((error as Error).message)) throw error;
  }
}

/**
 * A profile store on a SQLite file (`better-sqlite3`): the embedded default, zero setup. Files it opens
 * use WAL with `synchronous = FULL`, so a resolved write survives a crash or power loss. One row per
 * user: `user_id`, `schema_version`, `tier`, `data` (the profile's JSON), `updated_at`, `version`
 * (bumped by every write, for the manager's compare-and-swap `update`; added to older tables on open).
 * A row whose data names another user than its `user_id` is refused on load (`INVALID_CONFIG`).
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
  // Loaded outside the try: a missing driver is INVALID_CONFIG (install it), not a store failure.
  const Driver = dependencies.database ? undefined : loadBetterSqlite3('createSqliteProfileStore');
  let database: Database.Database;
  try {
    database = dependencies.database ?? openDurableDatabase(Driver!, options.filename!);
    database.exec(
      `CREATE TABLE IF NOT EXISTS ${table} (
        user_id TEXT PRIMARY KEY NOT NULL,
        schema_version INTEGER NOT NULL,
        tier TEXT NOT NULL,
        data TEXT NOT NULL,
        updated_at INTEGER NOT NULL,
        version INTEGER NOT NULL DEFAULT 0
      )`,
    );
    addVersionColumn(database, table);
  } catch (error) {
    throw toStoreError(error, `Opening the SQLite profile store (${options.filename ?? 'given database'})`);
  }
  const ownsDatabase = !dependencies.database;
  const selectOne = database.prepare<[string], Row>(`SELECT data, version FROM ${table} WHERE user_id = ?`);
  const upsert = database.prepare<[string, number, string, string, number]>(
    `INSERT INTO ${table} (user_id, schema_version, tier, data, updated_at, version) VALUES (?, ?, ?, ?, ?, 1)
     ON CONFLICT(user_id) DO UPDATE SET schema_version = excluded.schema_version, tier = excluded.tier, data = excluded.data, updated_at = excluded.updated_at,
       version = ${table}.version + 1`,
  );
  const insertIfAbsent = database.prepare<[string, number, string, string, number]>(
    `INSERT INTO ${table} (user_id, schema_version, tier, data, updated_at, version) VALUES (?, ?, ?, ?, ?, 1) ON CONFLICT(user_id) DO NOTHING`,
  );
  const updateIfVersion = database.prepare<[number, string, string, number, string, number]>(
    `UPDATE ${table} SET schema_version = ?, tier = ?, data = ?, updated_at = ?, version = version + 1 WHERE user_id = ? AND version = ?`,
  );
  const deleteOne = database.prepare<[string]>(`DELETE FROM ${table} WHERE user_id = ?`);
  /** The row of a profile, from the one JSON its key is taken from (key and data cannot disagree). */
  const params = (profile: UserProfile, what: string): [string, number, string, string, number] => {
    const json = checkProfileArgument(profile, `${SOURCE}: ${what}`);
    return [json.userId, json.schemaVersion, profile.tier.name, JSON.stringify(json), now()];
  };
  const upsertMany = database.transaction((rows: readonly [string, number, string, string, number][]) => {
    for (const row of rows) upsert.run(...row);
  });

  const run = <T>(what: string, options: unknown, task: () => T): T => {
    throwIfAborted(checkCallOptions(options, `${SOURCE}: ${what}`), what);
    try {
      return task();
    } catch (error) {
      throw toStoreError(error, `${SOURCE}: ${what}`);
    }
  };
  const readRow = (userId: unknown, options: unknown): Row | undefined => {
    checkUserId(userId, `${SOURCE}: load`);
    return run(`load "${userId}"`, options, () => selectOne.get(userId));
  };

  return {
    database,
    async load(userId, callOptions) {
      const row = readRow(userId, callOptions);
      return row ? profileFromRow(row.data, userId, SOURCE) : undefined;
    },
    async loadVersioned(userId, callOptions) {
      const row = readRow(userId, callOptions);
      return row ? { profile: profileFromRow(row.data, userId, SOURCE), version: row.version } : undefined;
    },
    async save(profile, callOptions) {
      const row = params(profile, 'save');
      run(`save "${profile.userId}"`, callOptions, () => upsert.run(...row));
    },
    async saveIfVersion(profile, expectedVersion, callOptions) {
      const row = params(profile, 'saveIfVersion');
      checkExpectedVersion(expectedVersion, `${SOURCE}: saveIfVersion`);
      const [userId, schemaVersion, tier, data, updatedAt] = row;
      return run(`save "${userId}"`, callOptions, () =>
        expectedVersion === undefined
          ? insertIfAbsent.run(...row).changes === 1
          : updateIfVersion.run(schemaVersion, tier, data, updatedAt, userId, expectedVersion).changes === 1,
      );
    },
    async saveMany(profiles, callOptions) {
      checkProfileList(profiles, `${SOURCE}: saveMany`);
      const rows = profiles.map((profile) => params(profile, 'saveMany'));
      run(`save ${profiles.length} profiles`, callOptions, () => upsertMany(rows));
    },
    async create(profile, callOptions) {
      const row = params(profile, 'create');
      const inserted = run(`create "${profile.userId}"`, callOptions, () => insertIfAbsent.run(...row).changes);
      if (inserted === 1) return profile;
      const stored = run(`load "${profile.userId}"`, callOptions, () => selectOne.get(profile.userId));
      return stored ? profileFromRow(stored.data, profile.userId, SOURCE) : profile;
    },
    async delete(userId, callOptions) {
      checkUserId(userId, `${SOURCE}: delete`);
      return run(`delete "${userId}"`, callOptions, () => deleteOne.run(userId).changes > 0);
    },
    async close() {
      if (ownsDatabase && database.open) database.close();
    },
  };
}
