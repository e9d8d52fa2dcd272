import { CascadeError, parseConfig, throwIfAborted } from '@cascade/core';
import type Database from 'better-sqlite3';
import { loadBetterSqlite3, openDurableDatabase } from './load-better-sqlite3';
import { z } from 'zod';
import { type AuditRecord, auditRecordSchema } from '../audit/audit-record';
import type { AuditStore } from '../audit/audit-store';
import { toStoreError } from '../store/store-error';
import { quoteIdentifier, sqlIdentifierSchema } from '../store/table-name';

/** Configuration of {@link createSqliteAuditStore}. */
export const sqliteAuditStoreConfigSchema = z.strictObject({
  /** Database file (created if missing). Not needed when you pass `database`. */
  filename: z.string().min(1).optional(),
  /** Table of audit records (created if missing). @default 'cascade_audit' */
  tableName: sqlIdentifierSchema.default('cascade_audit'),
});
export type SqliteAuditStoreConfig = z.input<typeof sqliteAuditStoreConfigSchema>;

/** Dependencies of the SQLite audit store. */
export interface SqliteAuditStoreDependencies {
  /** An open `better-sqlite3` database (e.g. the profile store's); `close` leaves it open. */
  database?: Database.Database;
}

const SOURCE = 'SQLite audit store';

/**
 * An append-only audit store on SQLite (`better-sqlite3`): one row per record — `id` (primary key, so
 * a retried append is skipped), `user_id`, `created_at`, `expires_at` (indexed for the purge), `data`
 * (the record's JSON). Files it opens use WAL with `synchronous = FULL`.
 *
 * @example
 * const store = createSqliteAuditStore({ filename: './audit.db' });
 */
export function createSqliteAuditStore(config: SqliteAuditStoreConfig, dependencies: SqliteAuditStoreDependencies = {}): AuditStore {
  const options = parseConfig(sqliteAuditStoreConfigSchema, config, 'SQLite audit store config');
  if (!dependencies.database && options.filename === undefined) {
    throw new CascadeError('INVALID_CONFIG', 'Invalid SQLite audit store config:\n✖ pass `filename` (a database file) or an open `database` dependency\n  → at filename');
  }
  const table = quoteIdentifier(options.tableName);
  const index = (suffix: string): string => quoteIdentifier(`${options.tableName}_${suffix}`);
  // Loaded outside the try: a missing driver is INVALID_CONFIG (install it), not a store failure.
  const Driver = dependencies.database ? undefined : loadBetterSqlite3('createSqliteAuditStore');
  let database: Database.Database;
  try {
    database = dependencies.database ?? openDurableDatabase(Driver!, options.filename!);
    database.exec(`CREATE TABLE IF NOT EXISTS ${table} (
      id TEXT PRIMARY KEY NOT NULL,
      user_id TEXT,
      created_at INTEGER NOT NULL,
      expires_at INTEGER,
      data TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS ${index('user')} ON ${table} (user_id, created_at);
    CREATE INDEX IF NOT EXISTS ${index('expiry')} ON ${table} (expires_at) WHERE expires_at IS NOT NULL;`);
  } catch (error) {
    throw toStoreError(error, `Opening the ${SOURCE} (${options.filename ?? 'given database'})`);
  }
  const insert = database.prepare<[string, string | null, number, number | null, string]>(`INSERT INTO ${table} (id, user_id, created_at, expires_at, data) VALUES (?, ?, ?, ?, ?) ON CONFLICT(id) DO NOTHING`);
  const insertMany = database.transaction((records: readonly AuditRecord[]) => {
    for (const record of records) insert.run(record.id, record.userId ?? null, record.timestamp, record.expiresAt, JSON.stringify(record));
  });
  const selectUser = database.prepare<[string], { data: string }>(`SELECT data FROM ${table} WHERE user_id = ? ORDER BY created_at, rowid`);
  const deleteUser = database.prepare<[string]>(`DELETE FROM ${table} WHERE user_id = ?`);
  const deleteExpired = database.prepare<[number]>(`DELETE FROM ${table} WHERE expires_at IS NOT NULL AND expires_at <= ?`);
  const run = <T>(what: string, signal: AbortSignal | undefined, task: () => T): T => {
    throwIfAborted(signal, what);
    try {
      return task();
    } catch (error) {
      throw toStoreError(error, `${SOURCE}: ${what}`);
    }
  };
  return {
    async append(records, callOptions) {
      run('append', callOptions?.abortSignal, () => insertMany(records));
    },
    async listByUser(userId, callOptions) {
      const rows = run(`list "${userId}"`, callOptions?.abortSignal, () => selectUser.all(userId));
      return rows.map((row) => auditRecordSchema.parse(JSON.parse(row.data)));
    },
    async deleteByUser(userId, callOptions) {
      return run(`delete "${userId}"`, callOptions?.abortSignal, () => deleteUser.run(userId).changes);
    },
    async purgeExpired(now, callOptions) {
      return run('purge', callOptions?.abortSignal, () => deleteExpired.run(now).changes);
    },
    async close() {
      if (!dependencies.database && database.open) database.close();
    },
  };
}
