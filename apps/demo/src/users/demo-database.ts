import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CascadeError } from '@cascade/core';
import { type SqliteProfileStore, createSqliteProfileStore } from '@cascade/profiles/sqlite';
import Database from 'better-sqlite3';
import { type ApiKeyStore, createApiKeyStore } from './api-key-store';
import { type SyncUsageLedger, createSqliteUsageLedger } from './usage-ledger';

/** Where the demo keeps its SQLite files: apps/demo/.data (gitignored). */
export const DEFAULT_DATABASE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../.data');
/** The server's and admin's database: profiles and API keys. `CASCADE_DEMO_DB` overrides it. */
export const DEFAULT_DATABASE_FILE = resolve(DEFAULT_DATABASE_DIR, 'cascade-demo.sqlite');

/** The demo's SQLite file: user profiles (@cascade/profiles), hashed API keys and settled spend per user. */
export interface DemoDatabase {
  readonly filename: string;
  readonly profiles: SqliteProfileStore;
  readonly keys: ApiKeyStore;
  /** Settled spend per user and UTC day, shared by every process on this file (`/v1/usage`). */
  readonly usage: SyncUsageLedger;
  /** Every user id with a profile row, sorted (rows that do not parse included: they are listed, not loaded). */
  profileUserIds(): string[];
  /** Writes queued usage (waiting up to {@link SHUTDOWN_BUSY_TIMEOUT_MS} for a lock), then closes the file. */
  close(): void;
}

/** Options of {@link openDemoDatabase}. */
export interface DemoDatabaseOptions {
  /**
   * How long a statement waits for another connection's lock. Short by default: the server runs
   * SQLite synchronously, so every waiting millisecond stalls all tenants (usage writes do not wait at
   * all: they are queued and retried). The admin CLI, alone and not serving anyone, waits longer.
   * @default 100
   */
  busyTimeoutMs?: number;
}

/** Busy timeout of the final usage write at close. */
export const SHUTDOWN_BUSY_TIMEOUT_MS = 5_000;

/** Opens (creating if needed) the demo database. */
export function openDemoDatabase(filename: string = process.env.CASCADE_DEMO_DB ?? DEFAULT_DATABASE_FILE, options: DemoDatabaseOptions = {}): DemoDatabase {
  let database: Database.Database;
  try {
    mkdirSync(dirname(filename), { recursive: true });
    database = new Database(filename);
    database.pragma('journal_mode = WAL');
    database.pragma(`busy_timeout = ${Math.max(0, Math.round(options.busyTimeoutMs ?? 100))}`);
  } catch (error) {
    throw new CascadeError('STORE_FAILED', `Cannot open the demo database ${filename}: ${(error as Error).message}.`, { cause: error });
  }
  const profiles = createSqliteProfileStore({}, { database });
  const hasProfile = database.prepare<[string]>('SELECT 1 FROM cascade_profiles WHERE user_id = ?').pluck();
  const allProfileIds = database.prepare('SELECT user_id FROM cascade_profiles ORDER BY user_id').pluck();
  const keys = createApiKeyStore(database, { userExists: (userId) => hasProfile.get(userId) !== undefined });
  const usage = createSqliteUsageLedger(database);
  return {
    filename,
    profiles,
    keys,
    usage,
    profileUserIds: () => allProfileIds.all() as string[],
    close() {
      if (!database.open) return;
      database.pragma(`busy_timeout = ${SHUTDOWN_BUSY_TIMEOUT_MS}`);
      usage.close();
      database.close();
    },
  };
}
