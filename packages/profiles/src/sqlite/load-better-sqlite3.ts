import { requireOptionalPeer } from '@cascade/core';
import type Database from 'better-sqlite3';

/**
 * The `better-sqlite3` constructor (an optional peer), loaded when a store opens its own file rather
 * than at import: without it the store throws `INVALID_CONFIG` naming the package to install.
 */
export function loadBetterSqlite3(feature: string): typeof Database {
  return requireOptionalPeer<typeof Database>({ from: import.meta.url, packageName: 'better-sqlite3', feature });
}

/** Opens a store's own file the way every store here does: WAL, `synchronous = FULL` (an acknowledged write survives a crash), a 5 s busy timeout. */
export function openDurableDatabase(Driver: typeof Database, filename: string): Database.Database {
  const database = new Driver(filename);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma('busy_timeout = 5000');
  return database;
}
