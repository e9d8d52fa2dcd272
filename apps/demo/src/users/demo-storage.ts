import type { LearningStore } from '@cascade/core';
import type { PersonalDataSource, ProfileStore } from '@cascade/profiles';
import Database from 'better-sqlite3';
import { openSqliteLearningStore } from '../learning/sqlite-learning-store';
import type { KeyStore } from './api-key-store';
import { type DemoDatabaseOptions, openDemoDatabase } from './demo-database';
import { openPostgresDemoDatabase } from './postgres-demo-database';
import { inTransaction, sqlName as quoteSqlName } from './postgres-sql';
import type pg from 'pg';
import type { UsageLedger } from './usage-ledger';

/**
 * Where `serve`, `ask`, `batch` and `admin` keep profiles, API keys, the usage ledger and the
 * cascade's learned state: the SQLite file (zero setup; every process on this host shares it) or
 * PostgreSQL (`DATABASE_URL`; every host shares it).
 */
export interface DemoStorage {
  readonly kind: 'sqlite' | 'postgres';
  /** One line for the startup banner (a password is never shown). */
  readonly description: string;
  readonly profiles: ProfileStore;
  readonly keys: KeyStore;
  readonly usage: UsageLedger;
  readonly learning: LearningStore;
  /** Where the state is: the SQLite file, or the PostgreSQL URL and schema (for the audit trail beside it). */
  readonly location: { readonly kind: 'sqlite'; readonly filename: string } | { readonly kind: 'postgres'; readonly url: string; readonly schema: string };
  /** GDPR access and erasure of a user's usage rows. */
  readonly usageData: PersonalDataSource;
  profileUserIds(): Promise<string[]>;
  /** Writes queued usage, then closes the connections. */
  close(): Promise<void>;
}

/** Options of {@link openDemoStorage}. */
export interface DemoStorageOptions extends DemoDatabaseOptions {
  /** `postgres://…`: PostgreSQL instead of the SQLite file. @default process.env.DATABASE_URL, unless `file` is given (`--db`) */
  databaseUrl?: string | undefined;
  /** Schema of the PostgreSQL tables. @default process.env.CASCADE_PG_SCHEMA ?? 'public' */
  schema?: string | undefined;
  /** SQLite file (without `databaseUrl`). @default CASCADE_DEMO_DB or apps/demo/.data/cascade-demo.sqlite */
  file?: string | undefined;
}

const envOf = (name: string): string | undefined => (process.env[name] === '' ? undefined : process.env[name]);

/**
 * Opens PostgreSQL when a database URL is given (or `DATABASE_URL` is set and no `--db` file was
 * named), else the SQLite file.
 */
export async function openDemoStorage(options: DemoStorageOptions = {}): Promise<DemoStorage> {
  const url = 'databaseUrl' in options ? options.databaseUrl : options.file === undefined ? envOf('DATABASE_URL') : undefined;
  if (url) {
    const database = await openPostgresDemoDatabase(url, { schema: options.schema ?? envOf('CASCADE_PG_SCHEMA') ?? 'public' });
    return {
      kind: 'postgres',
      description: `Database PostgreSQL ${database.shown} (schema ${database.schema}): profiles, keys, /v1/usage spend and the learned state, shared by every server on it.`,
      profiles: database.profiles,
      keys: database.keys,
      usage: database.usage,
      learning: database.learning,
      location: { kind: 'postgres', url, schema: database.schema },
      usageData: postgresUsageData(database.pool, quoteSqlName(database.schema, 'The PostgreSQL schema')),
      profileUserIds: () => database.profileUserIds(),
      close: () => database.close(),
    };
  }
  const database = openDemoDatabase(options.file ?? envOf('CASCADE_DEMO_DB'), options);
  // The learned state lives in the same file, on a connection of its own.
  const learning = openSqliteLearningStore(database.filename);
  const usageData = sqliteUsageData(database.filename);
  return {
    kind: 'sqlite',
    description: `Database ${database.filename}: profiles, keys, /v1/usage spend and the learned state (durable, shared by every server on this file; set DATABASE_URL to share them across hosts).`,
    profiles: database.profiles,
    keys: database.keys,
    usage: database.usage,
    learning: learning.store,
    location: { kind: 'sqlite', filename: database.filename },
    usageData: usageData.source,
    profileUserIds: async () => database.profileUserIds(),
    async close() {
      usageData.close();
      learning.close();
      database.close();
    },
  };
}

/** Usage rows of one user in the SQLite file, on a connection of its own (opened on first use). */
function sqliteUsageData(filename: string): { source: PersonalDataSource; close(): void } {
  let raw: Database.Database | undefined;
  const open = (): Database.Database => {
    if (!raw) {
      raw = new Database(filename);
      raw.pragma('busy_timeout = 5000');
    }
    return raw;
  };
  return {
    source: {
      name: 'usage',
      export: async (userId) => {
        const db = open();
        return {
          requests: db.prepare('SELECT day, requests FROM demo_usage_requests WHERE user_id = ? ORDER BY day').all(userId),
          calls: db.prepare('SELECT day, model_id, calls, cost_usd, input_tokens, output_tokens FROM demo_usage_calls WHERE user_id = ? ORDER BY day, model_id').all(userId),
        };
      },
      erase: async (userId) => {
        const db = open();
        return db.transaction(() =>
          db.prepare('DELETE FROM demo_usage_requests WHERE user_id = ?').run(userId).changes + db.prepare('DELETE FROM demo_usage_calls WHERE user_id = ?').run(userId).changes)();
      },
    },
    close: () => raw?.close(),
  };
}

/** Usage rows of one user in PostgreSQL (`schema` already quoted). */
function postgresUsageData(pool: pg.Pool, schema: string): PersonalDataSource {
  return {
    name: 'usage',
    export: async (userId) => ({
      requests: (await pool.query(`SELECT day, requests::float8 AS requests FROM ${schema}.demo_usage_requests WHERE user_id = $1 ORDER BY day`, [userId])).rows,
      calls: (await pool.query(`SELECT day, model_id, calls::float8 AS calls, cost_usd, input_tokens::float8 AS input_tokens, output_tokens::float8 AS output_tokens FROM ${schema}.demo_usage_calls WHERE user_id = $1 ORDER BY day, model_id`, [userId])).rows,
    }),
    erase: (userId) => inTransaction(pool, async (client) => {
      const requests = await client.query(`DELETE FROM ${schema}.demo_usage_requests WHERE user_id = $1`, [userId]);
      const calls = await client.query(`DELETE FROM ${schema}.demo_usage_calls WHERE user_id = $1`, [userId]);
      return (requests.rowCount ?? 0) + (calls.rowCount ?? 0);
    }),
  };
}
