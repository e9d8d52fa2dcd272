import { CascadeError, parseConfig, throwIfAborted } from '@cascade/core';
import pg from 'pg';
import { z } from 'zod';
import { UserProfile } from '../profile/user-profile';
import type { ProfileStore, StoreCallOptions } from '../store/profile-store';
import { toStoreError } from '../store/store-error';
import { quoteIdentifier, sqlIdentifierSchema } from '../store/table-name';
import { raceAbort } from '../util/race-abort';

/** Configuration of {@link createPostgresProfileStore}. */
export const postgresProfileStoreConfigSchema = z.strictObject({
  /** `postgres://user@host:5432/db`. Not needed when you pass a `pool`. */
  connectionString: z.string().min(1).optional(),
  /** Table of profiles. @default 'cascade_profiles' */
  tableName: sqlIdentifierSchema.default('cascade_profiles'),
  /** Schema of the table. @default the connection's search_path (usually `public`) */
  schema: sqlIdentifierSchema.optional(),
  /** Create the table (and schema) on first use when missing. @default true */
  createTable: z.boolean().default(true),
  /** Connections of the pool the store opens itself. @default 10 */
  maxConnections: z.number().int().positive().default(10),
});

/** What callers write to configure the PostgreSQL store. */
export type PostgresProfileStoreConfig = z.input<typeof postgresProfileStoreConfigSchema>;

/** The part of a `pg.Pool` (or `pg.Client`) the store uses. */
export interface PostgresQueryable {
  query<Row extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<Row>>;
}

/** Dependencies of the PostgreSQL store. */
export interface PostgresProfileStoreDependencies {
  /** Your pool (shared with the app; `close` leaves it open). */
  pool?: PostgresQueryable;
}

/** The PostgreSQL store. */
export interface PostgresProfileStore extends ProfileStore {
  /** Creates the schema and table when missing (also done lazily on first use when `createTable`). */
  migrate(options?: StoreCallOptions): Promise<void>;
  create(profile: UserProfile, options?: StoreCallOptions): Promise<UserProfile>;
  saveMany(profiles: readonly UserProfile[], options?: StoreCallOptions): Promise<void>;
  /** Drops the table (for tests and teardown). */
  dropTable(): Promise<void>;
  close(): Promise<void>;
}

interface Row {
  data: unknown;
}

/** Errors of a concurrent `CREATE ... IF NOT EXISTS` on another server: the object exists, which is what we wanted. */
const ALREADY_EXISTS = new Set(['23505', '42P07', '42P06']);

/**
 * A profile store on PostgreSQL (`pg`), for many app servers sharing profiles. One row per user:
 * `user_id text primary key`, `schema_version`, `tier`, `data jsonb`, `updated_at timestamptz`.
 * Writes are single statements (or one transaction for `saveMany`), durable once they resolve
 * (with PostgreSQL's default `synchronous_commit = on`). Default profiles are created insert-if-absent,
 * so two servers meeting a new user at once agree on one profile.
 *
 * An abort stops waiting; a statement already sent may still commit.
 *
 * @throws CascadeError `INVALID_CONFIG` for bad config; calls reject with `STORE_FAILED` on database
 *   errors (retryable for connection resets and serialization failures) and `INVALID_CONFIG` for bad stored data.
 * @example
 * const store = createPostgresProfileStore({ connectionString: process.env.DATABASE_URL });
 * const manager = createProfileManager({}, { store });
 */
export function createPostgresProfileStore(config: PostgresProfileStoreConfig, dependencies: PostgresProfileStoreDependencies = {}): PostgresProfileStore {
  const options = parseConfig(postgresProfileStoreConfigSchema, config, 'PostgreSQL profile store config');
  if (!dependencies.pool && options.connectionString === undefined) {
    throw new CascadeError(
      'INVALID_CONFIG',
      'Invalid PostgreSQL profile store config:\n✖ pass `connectionString` (e.g. postgres://user@127.0.0.1:5432/db) or a `pool` dependency\n  → at connectionString',
    );
  }
  const ownPool = dependencies.pool ? undefined : new pg.Pool({ connectionString: options.connectionString, max: options.maxConnections });
  // An idle client's error (server restart) must not crash the process; the next query reports it.
  ownPool?.on('error', () => undefined);
  const pool: PostgresQueryable = dependencies.pool ?? ownPool!;
  const table = options.schema ? `${quoteIdentifier(options.schema)}.${quoteIdentifier(options.tableName)}` : quoteIdentifier(options.tableName);
  const columns = '(user_id, schema_version, tier, data, updated_at)';
  let ready: Promise<void> | undefined;

  async function createTable(): Promise<void> {
    try {
      if (options.schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(options.schema)}`);
      await pool.query(
        `CREATE TABLE IF NOT EXISTS ${table} (
          user_id text PRIMARY KEY,
          schema_version integer NOT NULL,
          tier text NOT NULL,
          data jsonb NOT NULL,
          updated_at timestamptz NOT NULL DEFAULT now()
        )`,
      );
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && ALREADY_EXISTS.has(code)) return;
      throw error;
    }
  }

  function ensureReady(): Promise<void> {
    if (!options.createTable) return Promise.resolve();
    ready ??= createTable().catch((error: unknown) => {
      ready = undefined; // retry on the next call
      throw error;
    });
    return ready;
  }

  async function query<R extends pg.QueryResultRow>(what: string, signal: AbortSignal | undefined, text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
    throwIfAborted(signal, `PostgreSQL profile store: ${what}`);
    try {
      await raceAbort(ensureReady(), signal, `PostgreSQL profile store: ${what}`);
      return await raceAbort(pool.query<R>(text, values), signal, `PostgreSQL profile store: ${what}`);
    } catch (error) {
      throw toStoreError(error, `PostgreSQL profile store: ${what}`);
    }
  }

  const values = (profile: UserProfile): unknown[] => {
    const json = profile.toJSON();
    return [profile.userId, json.schemaVersion, profile.tier.name, JSON.stringify(json)];
  };

  return {
    async migrate(callOptions) {
      throwIfAborted(callOptions?.abortSignal, 'PostgreSQL profile store: migrate');
      try {
        await raceAbort(createTable(), callOptions?.abortSignal, 'PostgreSQL profile store: migrate');
      } catch (error) {
        throw toStoreError(error, 'PostgreSQL profile store: migrate');
      }
    },
    async load(userId, callOptions) {
      const result = await query<Row>(`load "${userId}"`, callOptions?.abortSignal, `SELECT data FROM ${table} WHERE user_id = $1`, [userId]);
      const row = result.rows[0];
      return row ? UserProfile.fromJSON(row.data) : undefined;
    },
    async save(profile, callOptions) {
      await query(
        `save "${profile.userId}"`,
        callOptions?.abortSignal,
        `INSERT INTO ${table} ${columns} VALUES ($1, $2, $3, $4::jsonb, now())
         ON CONFLICT (user_id) DO UPDATE SET schema_version = EXCLUDED.schema_version, tier = EXCLUDED.tier, data = EXCLUDED.data, updated_at = now()`,
        values(profile),
      );
    },
    async saveMany(profiles, callOptions) {
      if (profiles.length === 0) return;
      // One statement is one transaction: all rows or none. Chunked to stay under the 65535-parameter limit.
      const chunkSize = 5000;
      const chunks: UserProfile[][] = [];
      for (let start = 0; start < profiles.length; start += chunkSize) chunks.push(profiles.slice(start, start + chunkSize));
      if (chunks.length > 1 && !dependencies.pool && ownPool) {
        const client = await ownPool.connect().catch((error: unknown) => {
          throw toStoreError(error, `PostgreSQL profile store: save ${profiles.length} profiles`);
        });
        try {
          await runChunks(client, chunks, callOptions?.abortSignal, true);
        } finally {
          client.release();
        }
        return;
      }
      await runChunks(pool, chunks, callOptions?.abortSignal, false);
    },
    async create(profile, callOptions) {
      const result = await query<Row>(
        `create "${profile.userId}"`,
        callOptions?.abortSignal,
        `WITH inserted AS (
           INSERT INTO ${table} ${columns} VALUES ($1, $2, $3, $4::jsonb, now()) ON CONFLICT (user_id) DO NOTHING RETURNING data
         )
         SELECT data FROM inserted UNION ALL SELECT data FROM ${table} WHERE user_id = $1 AND NOT EXISTS (SELECT 1 FROM inserted)`,
        values(profile),
      );
      let row = result.rows[0];
      if (!row) {
        // A concurrent create committed after this statement's snapshot: the insert did nothing and
        // the SELECT above could not see the winner. A new statement (new snapshot) reads it.
        const winner = await query<Row>(`create "${profile.userId}"`, callOptions?.abortSignal, `SELECT data FROM ${table} WHERE user_id = $1`, [profile.userId]);
        row = winner.rows[0];
      }
      return row ? UserProfile.fromJSON(row.data) : profile;
    },
    async delete(userId, callOptions) {
      const result = await query(`delete "${userId}"`, callOptions?.abortSignal, `DELETE FROM ${table} WHERE user_id = $1`, [userId]);
      return (result.rowCount ?? 0) > 0;
    },
    async dropTable() {
      try {
        await pool.query(`DROP TABLE IF EXISTS ${table}`);
        ready = undefined;
      } catch (error) {
        throw toStoreError(error, 'PostgreSQL profile store: drop table');
      }
    },
    async close() {
      await ownPool?.end();
    },
  };

  async function runChunks(client: PostgresQueryable, chunks: readonly UserProfile[][], signal: AbortSignal | undefined, transaction: boolean): Promise<void> {
    const what = `save ${chunks.reduce((sum, chunk) => sum + chunk.length, 0)} profiles`;
    const statement = (chunk: readonly UserProfile[]): { text: string; params: unknown[] } => {
      const params: unknown[] = [];
      const rows = chunk.map((profile) => {
        const base = params.length;
        params.push(...values(profile));
        return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}::jsonb, now())`;
      });
      return {
        text: `INSERT INTO ${table} ${columns} VALUES ${rows.join(', ')}
               ON CONFLICT (user_id) DO UPDATE SET schema_version = EXCLUDED.schema_version, tier = EXCLUDED.tier, data = EXCLUDED.data, updated_at = now()`,
        params,
      };
    };
    if (!transaction) {
      for (const chunk of chunks) {
        const { text, params } = statement(chunk);
        await query(what, signal, text, params);
      }
      return;
    }
    throwIfAborted(signal, `PostgreSQL profile store: ${what}`);
    try {
      await ensureReady();
      await client.query('BEGIN');
      try {
        for (const chunk of chunks) {
          const { text, params } = statement(chunk);
          await client.query(text, params);
        }
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    } catch (error) {
      throw toStoreError(error, `PostgreSQL profile store: ${what}`);
    }
  }
}
