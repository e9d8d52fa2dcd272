import { CascadeError, parseConfig, raceAbort, throwIfAborted } from '@cascade/core';
import type pg from 'pg';
import { z } from 'zod';
import type { UserProfile } from '../profile/user-profile';
import type { ProfileStore, StoreCallOptions, VersionedProfile } from '../store/profile-store';
import { toStoreError } from '../store/store-error';
import { checkCallOptions, checkExpectedVersion, checkProfileArgument, checkProfileList, checkUserId } from '../store/store-input';
import { profileFromRow } from '../store/stored-row';
import { quoteIdentifier, sqlIdentifierSchema } from '../store/table-name';
import { loadPg } from './load-pg';
import { checkout, isCheckoutPool, OutcomeUnknownError, release, runStatement, type StatementSession } from './cancellable-statement';

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
  /**
   * After an abort, how long the store waits for PostgreSQL to cancel the running statement (or for
   * it to finish). When neither is confirmed in time the connection is closed and a write rejects with
   * `STORE_FAILED`, `details.outcome: 'unknown'`. @default 5000
   */
  cancelTimeoutMs: z.number().int().positive().default(5000),
});

/** What callers write to configure the PostgreSQL store. */
export type PostgresProfileStoreConfig = z.input<typeof postgresProfileStoreConfigSchema>;

/** The part of a `pg.Pool` (or `pg.Client`) the store uses. */
export interface PostgresQueryable {
  query<Row extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<Row>>;
}

/** Dependencies of the PostgreSQL store. */
export interface PostgresProfileStoreDependencies {
  /**
   * Your pool (shared with the app; `close` leaves it open). A `pg.Pool` lets the store cancel a
   * running statement on abort; with anything else (a `pg.Client`, a wrapper with only `query`) an
   * aborted write reports `details.outcome: 'unknown'`.
   */
  pool?: PostgresQueryable;
  /**
   * Where `pg_cancel_backend` is sent from (a short-lived connection per abort).
   * @default the pool's own connection settings
   */
  cancelConnection?: string | pg.ClientConfig;
}

/** The PostgreSQL store. */
export interface PostgresProfileStore extends ProfileStore {
  /**
   * Creates the schema and table when missing, and adds the `version` column to a table created by an
   * older release (also done lazily on first use when `createTable`).
   */
  migrate(options?: StoreCallOptions): Promise<void>;
  create(profile: UserProfile, options?: StoreCallOptions): Promise<UserProfile>;
  saveMany(profiles: readonly UserProfile[], options?: StoreCallOptions): Promise<void>;
  loadVersioned(userId: string, options?: StoreCallOptions): Promise<VersionedProfile | undefined>;
  saveIfVersion(profile: UserProfile, expectedVersion: number | undefined, options?: StoreCallOptions): Promise<boolean>;
  /** Drops the table (for tests and teardown). */
  dropTable(): Promise<void>;
  close(): Promise<void>;
}

interface Row {
  data: unknown;
}

interface VersionedRow extends Row {
  /** `bigint` arrives as text. */
  version: string;
}

const SOURCE = 'PostgreSQL profile store';

/**
 * Errors of a concurrent `CREATE ... IF NOT EXISTS` / `ADD COLUMN IF NOT EXISTS` on another server:
 * the object exists, which is what we wanted.
 */
const ALREADY_EXISTS = new Set(['23505', '42P07', '42P06', '42701']);

/**
 * A profile store on PostgreSQL (`pg`), for many app servers sharing profiles. One row per user:
 * `user_id text primary key`, `schema_version`, `tier`, `data jsonb`, `updated_at timestamptz`, `version bigint`
 * (bumped by every write, for the manager's compare-and-swap `update`; added to older tables by `migrate`).
 * A row whose data names another user than its `user_id` is refused on load (`INVALID_CONFIG`).
 * Writes are single statements (or one transaction for `saveMany`), durable once they resolve
 * (with PostgreSQL's default `synchronous_commit = on`). Default profiles are created insert-if-absent,
 * so two servers meeting a new user at once agree on one profile.
 *
 * Aborts are honest: an abort before the statement is sent touches nothing; an abort while it runs
 * cancels it on the server (`pg_cancel_backend` from a short-lived connection) and waits for the
 * truth. `ABORTED`/`TIMEOUT` means nothing was written. A statement that committed before the cancel
 * took effect resolves normally (the write landed, whatever the signal says). A cancel not confirmed
 * within `cancelTimeoutMs` rejects with `STORE_FAILED`, `details: { aborted: true, outcome: 'unknown' }`.
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
  const ownPool = dependencies.pool ? undefined : new (loadPg('createPostgresProfileStore').Pool)({ connectionString: options.connectionString, max: options.maxConnections });
  // An idle client's error (server restart) must not crash the process; the next query reports it.
  ownPool?.on('error', () => undefined);
  const pool: PostgresQueryable = dependencies.pool ?? ownPool!;
  // Statements run on a checked-out client whose backend can be cancelled; other queryables cannot.
  const checkoutPool: pg.Pool | undefined = ownPool ?? (isCheckoutPool(dependencies.pool) ? dependencies.pool : undefined);
  const cancelConnection = dependencies.cancelConnection ?? checkoutPool?.options;
  const cancel = {
    timeoutMs: options.cancelTimeoutMs,
    openClient: (): pg.Client =>
      new (loadPg('createPostgresProfileStore').Client)({
        ...(typeof cancelConnection === 'string' ? { connectionString: cancelConnection } : cancelConnection),
        connectionTimeoutMillis: options.cancelTimeoutMs,
      }),
  };
  const table = options.schema ? `${quoteIdentifier(options.schema)}.${quoteIdentifier(options.tableName)}` : quoteIdentifier(options.tableName);
  const columns = '(user_id, schema_version, tier, data, updated_at, version)';
  /** Every write bumps the row's version, so a compare-and-swap racing any write notices it. */
  const upsertTail = `ON CONFLICT (user_id) DO UPDATE SET schema_version = EXCLUDED.schema_version, tier = EXCLUDED.tier, data = EXCLUDED.data, updated_at = now(),
         version = ${table}.version + 1`;
  let ready: Promise<void> | undefined;

  async function createTable(): Promise<void> {
    if (options.schema) await tolerateExisting(pool.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(options.schema)}`));
    await tolerateExisting(
      pool.query(
        `CREATE TABLE IF NOT EXISTS ${table} (
          user_id text PRIMARY KEY,
          schema_version integer NOT NULL,
          tier text NOT NULL,
          data jsonb NOT NULL,
          updated_at timestamptz NOT NULL DEFAULT now(),
          version bigint NOT NULL DEFAULT 0
        )`,
      ),
    );
    // Tables of releases before the version column: existing rows start at 0.
    await tolerateExisting(pool.query(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS version bigint NOT NULL DEFAULT 0`));
  }

  async function tolerateExisting(statement: Promise<unknown>): Promise<void> {
    try {
      await statement;
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

  /**
   * One statement in its own implicit transaction. `writes`: whether an unknown outcome matters
   * (a read whose cancel was not confirmed is simply `ABORTED`).
   */
  async function query<R extends pg.QueryResultRow>(what: string, signal: AbortSignal | undefined, text: string, values: unknown[], writes: boolean): Promise<pg.QueryResult<R>> {
    const label = `PostgreSQL profile store: ${what}`;
    throwIfAborted(signal, label);
    try {
      await raceAbort(ensureReady(), signal, label);
      if (!checkoutPool) return await uncancellable(pool.query<R>(text, values), signal, label);
      const session = await checkout(checkoutPool, signal, label);
      try {
        return await runStatement<R>(session, text, values, signal, label, cancel);
      } finally {
        release(session);
      }
    } catch (error) {
      throw storeError(error, label, writes);
    }
  }

  /** A statement on a queryable the store cannot cancel: an abort after it was sent leaves its outcome unknown. */
  async function uncancellable<T>(pending: Promise<T>, signal: AbortSignal | undefined, label: string): Promise<T> {
    let settled = false;
    const done = (): void => {
      settled = true;
    };
    pending.then(done, done);
    try {
      return await raceAbort(pending, signal, label);
    } catch (error) {
      if (!settled && CascadeError.isInstance(error)) throw new OutcomeUnknownError(error);
      throw error;
    }
  }

  function storeError(error: unknown, label: string, writes: boolean): CascadeError {
    if (!(error instanceof OutcomeUnknownError)) return toStoreError(error, label);
    if (!writes) return error.abortError;
    return new CascadeError(
      'STORE_FAILED',
      `${label} was aborted while its statement ran, and the cancel was not confirmed: the write may still commit. Load the profile to see what is stored.`,
      { cause: error.abortError, details: { aborted: true, outcome: 'unknown' } },
    );
  }

  /** The row of a profile, from the one JSON its key is taken from (key and data cannot disagree). */
  const values = (profile: UserProfile, what: string): unknown[] => {
    const json = checkProfileArgument(profile, `${SOURCE}: ${what}`);
    return [json.userId, json.schemaVersion, profile.tier.name, JSON.stringify(json)];
  };
  const signalOf = (options: unknown, what: string): AbortSignal | undefined => checkCallOptions(options, `${SOURCE}: ${what}`);
  async function selectRow(userId: unknown, options: unknown): Promise<VersionedRow | undefined> {
    checkUserId(userId, `${SOURCE}: load`);
    const result = await query<VersionedRow>(`load "${userId}"`, signalOf(options, 'load'), `SELECT data, version::text AS version FROM ${table} WHERE user_id = $1`, [userId], false);
    return result.rows[0];
  }

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
      const row = await selectRow(userId, callOptions);
      return row ? profileFromRow(row.data, userId, SOURCE) : undefined;
    },
    async loadVersioned(userId, callOptions) {
      const row = await selectRow(userId, callOptions);
      return row ? { profile: profileFromRow(row.data, userId, SOURCE), version: Number(row.version) } : undefined;
    },
    async save(profile, callOptions) {
      const row = values(profile, 'save');
      await query(`save "${profile.userId}"`, signalOf(callOptions, 'save'), `INSERT INTO ${table} ${columns} VALUES ($1, $2, $3, $4::jsonb, now(), 1) ${upsertTail}`, row, true);
    },
    async saveIfVersion(profile, expectedVersion, callOptions) {
      const row = values(profile, 'saveIfVersion');
      checkExpectedVersion(expectedVersion, `${SOURCE}: saveIfVersion`);
      const signal = signalOf(callOptions, 'saveIfVersion');
      const result =
        expectedVersion === undefined
          ? await query(`save "${profile.userId}"`, signal, `INSERT INTO ${table} ${columns} VALUES ($1, $2, $3, $4::jsonb, now(), 1) ON CONFLICT (user_id) DO NOTHING`, row, true)
          : await query(
              `save "${profile.userId}"`,
              signal,
              `UPDATE ${table} SET schema_version = $2, tier = $3, data = $4::jsonb, updated_at = now(), version = version + 1 WHERE user_id = $1 AND version = $5`,
              [...row, expectedVersion],
              true,
            );
      return result.rowCount === 1;
    },
    async saveMany(profiles, callOptions) {
      checkProfileList(profiles, `${SOURCE}: saveMany`);
      const signal = signalOf(callOptions, 'saveMany');
      if (profiles.length === 0) return;
      // One statement is one transaction: all rows or none. Chunked to stay under the 65535-parameter limit.
      const chunkSize = 5000;
      const chunks: UserProfile[][] = [];
      for (let start = 0; start < profiles.length; start += chunkSize) chunks.push(profiles.slice(start, start + chunkSize));
      if (chunks.length > 1 && checkoutPool) {
        await runTransaction(checkoutPool, chunks, signal);
        return;
      }
      await runChunks(chunks, signal);
    },
    async create(profile, callOptions) {
      const row = values(profile, 'create');
      const signal = signalOf(callOptions, 'create');
      const result = await query<Row>(
        `create "${profile.userId}"`,
        signal,
        `WITH inserted AS (
           INSERT INTO ${table} ${columns} VALUES ($1, $2, $3, $4::jsonb, now(), 1) ON CONFLICT (user_id) DO NOTHING RETURNING data
         )
         SELECT data FROM inserted UNION ALL SELECT data FROM ${table} WHERE user_id = $1 AND NOT EXISTS (SELECT 1 FROM inserted)`,
        row,
        true,
      );
      let stored = result.rows[0];
      if (!stored) {
        // A concurrent create committed after this statement's snapshot: the insert did nothing and
        // the SELECT above could not see the winner. A new statement (new snapshot) reads it.
        const winner = await query<Row>(`create "${profile.userId}"`, signal, `SELECT data FROM ${table} WHERE user_id = $1`, [profile.userId], false);
        stored = winner.rows[0];
      }
      return stored ? profileFromRow(stored.data, profile.userId, SOURCE) : profile;
    },
    async delete(userId, callOptions) {
      checkUserId(userId, `${SOURCE}: delete`);
      const result = await query(`delete "${userId}"`, signalOf(callOptions, 'delete'), `DELETE FROM ${table} WHERE user_id = $1`, [userId], true);
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

  function statement(chunk: readonly UserProfile[]): { text: string; params: unknown[] } {
    const params: unknown[] = [];
    const rows = chunk.map((profile) => {
      const base = params.length;
      params.push(...values(profile, 'saveMany'));
      return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}::jsonb, now(), 1)`;
    });
    return {
      text: `INSERT INTO ${table} ${columns} VALUES ${rows.join(', ')} ${upsertTail}`,
      params,
    };
  }

  function describeSave(chunks: readonly UserProfile[][]): string {
    return `save ${chunks.reduce((sum, chunk) => sum + chunk.length, 0)} profiles`;
  }

  /** Chunks as separate statements (one chunk, or a queryable without checkout). */
  async function runChunks(chunks: readonly UserProfile[][], signal: AbortSignal | undefined): Promise<void> {
    for (const chunk of chunks) {
      const { text, params } = statement(chunk);
      await query(describeSave(chunks), signal, text, params, true);
    }
  }

  /**
   * All chunks in one transaction on one client. An abort between statements rolls back; one during
   * a statement cancels it, then rolls back. Before COMMIT is sent nothing can commit, so even a
   * cancel that was not confirmed is `ABORTED` (the connection is closed, which rolls back).
   */
  async function runTransaction(checkoutPool: pg.Pool, chunks: readonly UserProfile[][], signal: AbortSignal | undefined): Promise<void> {
    const label = `PostgreSQL profile store: ${describeSave(chunks)}`;
    throwIfAborted(signal, label);
    try {
      await raceAbort(ensureReady(), signal, label);
      const session: StatementSession = await checkout(checkoutPool, signal, label);
      let begun = false;
      let committing = false;
      try {
        throwIfAborted(signal, label);
        begun = true;
        await runStatement(session, 'BEGIN', undefined, signal, label, cancel);
        for (const chunk of chunks) {
          const { text, params } = statement(chunk);
          await runStatement(session, text, params, signal, label, cancel);
        }
        throwIfAborted(signal, label);
        committing = true;
        await runStatement(session, 'COMMIT', undefined, signal, label, cancel);
      } catch (error) {
        if (begun && !session.dirty) {
          await session.client.query('ROLLBACK').catch(() => {
            session.dirty = true;
          });
        }
        if (error instanceof OutcomeUnknownError && !committing) {
          session.dirty = true; // closing the connection rolls the open transaction back
          throw error.abortError;
        }
        throw error;
      } finally {
        release(session);
      }
    } catch (error) {
      throw storeError(error, label, true);
    }
  }
}
