import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CascadeError } from '@cascade/core';
import { type SqliteProfileStore, createSqliteProfileStore } from '@cascade/profiles/sqlite';
import Database from 'better-sqlite3';
import { type ApiKeyStore, createApiKeyStore } from './api-key-store';
import { type UsageLedger, createSqliteUsageLedger } from './usage-ledger';

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
  readonly usage: UsageLedger;
  close(): void;
}

/** Opens (creating if needed) the demo database. */
export function openDemoDatabase(filename: string = process.env.CASCADE_DEMO_DB ?? DEFAULT_DATABASE_FILE): DemoDatabase {
  let database: Database.Database;
  try {
    mkdirSync(dirname(filename), { recursive: true });
    database = new Database(filename);
    database.pragma('journal_mode = WAL');
    database.pragma('busy_timeout = 2000');
  } catch (error) {
    throw new CascadeError('STORE_FAILED', `Cannot open the demo database ${filename}: ${(error as Error).message}.`, { cause: error });
  }
  const profiles = createSqliteProfileStore({}, { database });
  const keys = createApiKeyStore(database);
  const usage = createSqliteUsageLedger(database);
  return {
    filename,
    profiles,
    keys,
    usage,
    close: () => database.close(),
  };
}
