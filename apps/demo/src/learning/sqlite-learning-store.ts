import { CascadeError, type LearningState, type LearningStore, addLearningStates } from '@cascade/core';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';

/** Options of {@link createSqliteLearningStore}. */
export interface SqliteLearningStoreOptions {
  /** Row the state lives in: agents with different tiers of models keep separate states. @default 'default' */
  key?: string;
}

const rowSchema = z.object({ state: z.string() });

/**
 * What the cascade has learned about its drafters (core's `LearningStore`), in a row of the demo's
 * SQLite file: the tour and every `serve` process on the file load it at start and save it as they
 * learn, so a restarted or second server starts from what the others learned instead of a cold start.
 * The state is core's versioned JSON; core validates it on import. `merge` adds what a process
 * learned since its last sync to what the row holds (core's `addLearningStates`, in one immediate
 * transaction) and returns the sum, so processes on the file pool their labels instead of
 * overwriting each other's.
 *
 * @throws CascadeError `STORE_FAILED` when the row cannot be read, written or parsed as JSON.
 */
export function createSqliteLearningStore(database: Database.Database, options: SqliteLearningStoreOptions = {}): LearningStore {
  const key = options.key ?? 'default';
  database.exec(`CREATE TABLE IF NOT EXISTS demo_learning_state (
    key TEXT PRIMARY KEY,
    state TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  ) WITHOUT ROWID`);
  const select = database.prepare('SELECT state FROM demo_learning_state WHERE key = ?');
  const upsert = database.prepare(`INSERT INTO demo_learning_state (key, state, updated_at) VALUES (?, ?, ?)
    ON CONFLICT (key) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`);

  const readRow = (): LearningState | undefined => {
    const row = select.get(key);
    return row === undefined ? undefined : (JSON.parse(rowSchema.parse(row).state) as LearningState);
  };
  const addAndWrite = database.transaction((delta: LearningState): LearningState => {
    const merged = addLearningStates(readRow(), delta);
    upsert.run(key, JSON.stringify(merged), Date.now());
    return merged;
  });

  return {
    load() {
      let text: string | undefined;
      try {
        const row = select.get(key);
        text = row === undefined ? undefined : rowSchema.parse(row).state;
      } catch (error) {
        return Promise.reject(new CascadeError('STORE_FAILED', `Cannot read the learned state "${key}" from ${database.name}: ${(error as Error).message}.`, { cause: error }));
      }
      if (text === undefined) return Promise.resolve(undefined);
      try {
        return Promise.resolve(JSON.parse(text) as LearningState);
      } catch (error) {
        return Promise.reject(new CascadeError('STORE_FAILED', `The learned state "${key}" in ${database.name} is not JSON: delete its row in demo_learning_state to start learning afresh.`, { cause: error }));
      }
    },
    save(state) {
      try {
        upsert.run(key, JSON.stringify(state), Date.now());
        return Promise.resolve();
      } catch (error) {
        return Promise.reject(new CascadeError('STORE_FAILED', `Cannot save the learned state "${key}" to ${database.name}: ${(error as Error).message}.`, { cause: error }));
      }
    },
    merge(delta) {
      try {
        return Promise.resolve(addAndWrite.immediate(delta));
      } catch (error) {
        return Promise.reject(new CascadeError('STORE_FAILED', `Cannot merge into the learned state "${key}" in ${database.name}: ${(error as Error).message}.`, { cause: error }));
      }
    },
  };
}

/** A learning store on its own connection to a SQLite file; `close()` closes that connection. */
export interface SqliteLearningStoreHandle {
  readonly store: LearningStore;
  readonly filename: string;
  close(): void;
}

/**
 * Opens `filename` (the demo database; created if needed) on a connection of its own, WAL mode like
 * the demo's other tables, and keeps the learned state there.
 *
 * @throws CascadeError `STORE_FAILED` when the file cannot be opened.
 */
export function openSqliteLearningStore(filename: string, options: SqliteLearningStoreOptions = {}): SqliteLearningStoreHandle {
  let database: Database.Database;
  try {
    if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
    database = new Database(filename);
    database.pragma('journal_mode = WAL');
    database.pragma('busy_timeout = 2000');
  } catch (error) {
    throw new CascadeError('STORE_FAILED', `Cannot open ${filename} for the learned state: ${(error as Error).message}.`, { cause: error });
  }
  return { store: createSqliteLearningStore(database, options), filename, close: () => database.close() };
}
