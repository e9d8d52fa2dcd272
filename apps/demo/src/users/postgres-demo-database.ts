import { CascadeError, type LearningStore } from '@cascade/core';
import { type PostgresProfileStore, createPostgresProfileStore } from '@cascade/profiles/postgres';
import pg from 'pg';
import { apiKeyTableSql, createPostgresApiKeyStore } from './postgres-api-key-store';
import type { KeyStore } from './api-key-store';
import { createPostgresLearningStore, learningTableSql } from '../learning/postgres-learning-store';
import { sqlName } from './postgres-sql';
import { createPostgresUsageLedger, usageTablesSql } from './postgres-usage-ledger';
import type { UsageLedger } from './usage-ledger';

/** The demo's state in PostgreSQL: what every host behind a load balancer shares. */
export interface PostgresDemoDatabase {
  /** The URL with its password masked. */
  readonly shown: string;
  readonly schema: string;
  readonly pool: pg.Pool;
  readonly profiles: PostgresProfileStore;
  readonly keys: KeyStore;
  readonly usage: UsageLedger & { readonly pending: number };
  readonly learning: LearningStore;
  profileUserIds(): Promise<string[]>;
  /** Writes queued usage, then closes the pool. */
  close(): Promise<void>;
}

/** Options of {@link openPostgresDemoDatabase}. */
export interface PostgresDemoDatabaseOptions {
  /** Schema of the demo's tables (created if missing). @default 'public' */
  schema?: string;
  /** Connections of the pool. @default 10 */
  maxConnections?: number;
  /** Longest wait for a connection. @default 5000 */
  connectTimeoutMs?: number;
}

/** The URL with its password masked, for logs and errors. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '<unparsable DATABASE_URL>';
  }
}

/**
 * Opens the demo's PostgreSQL state: profiles (`@cascade/profiles/postgres`), API keys, the usage
 * ledger and the cascade's learned state, in `schema`. Connects and creates missing tables before it
 * resolves — under an advisory lock, so hosts starting together do not race on `CREATE TABLE` — so a
 * wrong URL is a clear `STORE_FAILED` before the server listens.
 */
export async function openPostgresDemoDatabase(url: string, options: PostgresDemoDatabaseOptions = {}): Promise<PostgresDemoDatabase> {
  const schemaName = options.schema ?? 'public';
  const schema = sqlName(schemaName, 'The PostgreSQL schema');
  const shown = redactDatabaseUrl(url);
  if (!/^postgres(ql)?:\/\//.test(url)) throw new CascadeError('INVALID_INPUT', `DATABASE_URL must start with postgres:// or postgresql:// (got ${shown}); unset it to keep the demo's state in SQLite.`);
  const pool = new pg.Pool({ connectionString: url, max: options.maxConnections ?? 10, connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000 });
  pool.on('error', () => undefined); // an idle client's connection dropped: the next query reconnects
  const profiles = createPostgresProfileStore({ schema: schemaName === 'public' ? undefined : schemaName }, { pool });
  try {
    // A session lock on a client of its own, each statement committed on its own: the profile store
    // migrates on other connections of the pool, which must see the schema.
    const client = await pool.connect();
    try {
      await client.query(`SELECT pg_advisory_lock(hashtext('cascade-demo-migrate'))`);
      try {
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
        for (const sql of [apiKeyTableSql(schema), ...usageTablesSql(schema), learningTableSql(schema)]) await client.query(sql);
        await profiles.migrate();
      } finally {
        await client.query(`SELECT pg_advisory_unlock(hashtext('cascade-demo-migrate'))`);
      }
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new CascadeError('STORE_FAILED', `Cannot open the demo's state on PostgreSQL at ${shown}: ${(error as Error).message}. Start PostgreSQL or fix DATABASE_URL; unset it to use the SQLite file.`, { cause: error });
  }
  const profileTable = `${schema}.cascade_profiles`;
  const userExists = async (userId: string): Promise<boolean> => (await pool.query(`SELECT 1 FROM ${profileTable} WHERE user_id = $1`, [userId])).rows.length > 0;
  const keys = createPostgresApiKeyStore(schema, { pool, userExists });
  const usage = createPostgresUsageLedger(pool, schema);
  const learning = createPostgresLearningStore(pool, schema);
  let closing: Promise<void> | undefined;
  return {
    shown,
    schema: schemaName,
    pool,
    profiles,
    keys,
    usage,
    learning,
    profileUserIds: async () => (await pool.query(`SELECT user_id FROM ${profileTable} ORDER BY user_id`)).rows.map((row: { user_id: string }) => row.user_id),
    close() {
      closing ??= (async () => {
        await usage.close();
        await pool.end();
      })();
      return closing;
    },
  };
}
