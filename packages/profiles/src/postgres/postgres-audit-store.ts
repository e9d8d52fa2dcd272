import { CascadeError, parseConfig, throwIfAborted } from '@cascade/core';
import { z } from 'zod';
import { auditRecordSchema } from '../audit/audit-record';
import type { AuditStore } from '../audit/audit-store';
import { toStoreError } from '../store/store-error';
import { quoteIdentifier, sqlIdentifierSchema } from '../store/table-name';
import { loadPg } from './load-pg';
import type { PostgresQueryable } from './postgres-profile-store';

/** Configuration of {@link createPostgresAuditStore}. */
export const postgresAuditStoreConfigSchema = z.strictObject({
  /** `postgres://user@host:5432/db`. Not needed when you pass a `pool`. */
  connectionString: z.string().min(1).optional(),
  /** Table of audit records. @default 'cascade_audit' */
  tableName: sqlIdentifierSchema.default('cascade_audit'),
  /** Schema of the table. @default the connection's search_path */
  schema: sqlIdentifierSchema.optional(),
  /** Connections of the pool the store opens itself. @default 4 */
  maxConnections: z.number().int().positive().default(4),
});
export type PostgresAuditStoreConfig = z.input<typeof postgresAuditStoreConfigSchema>;

/** Dependencies of the PostgreSQL audit store. */
export interface PostgresAuditStoreDependencies {
  /** Your pool (shared with the app; `close` leaves it open). */
  pool?: PostgresQueryable;
}

/** The PostgreSQL audit store. */
export interface PostgresAuditStore extends AuditStore {
  /** Creates the schema, table and indexes when missing (also done on first use). */
  migrate(): Promise<void>;
  /** Drops the table (tests and teardown). */
  dropTable(): Promise<void>;
}

const SOURCE = 'PostgreSQL audit store';
/** A concurrent `CREATE ... IF NOT EXISTS` on another server: the object exists, as wanted. */
const ALREADY_EXISTS = new Set(['23505', '42P07', '42P06']);

/**
 * An append-only audit store on PostgreSQL (`pg`), shared by every app server: one row per record —
 * `id text primary key` (a retried append is skipped), `user_id`, `created_at`/`expires_at`
 * (`timestamptz`, indexed), `data jsonb`. One multi-row `INSERT ... ON CONFLICT DO NOTHING` per batch.
 *
 * @example
 * const store = createPostgresAuditStore({ connectionString: process.env.DATABASE_URL });
 */
export function createPostgresAuditStore(config: PostgresAuditStoreConfig, dependencies: PostgresAuditStoreDependencies = {}): PostgresAuditStore {
  const options = parseConfig(postgresAuditStoreConfigSchema, config, 'PostgreSQL audit store config');
  if (!dependencies.pool && options.connectionString === undefined) {
    throw new CascadeError('INVALID_CONFIG', 'Invalid PostgreSQL audit store config:\n✖ pass `connectionString` (e.g. postgres://user@127.0.0.1:5432/db) or a `pool` dependency\n  → at connectionString');
  }
  const ownPool = dependencies.pool ? undefined : new (loadPg('createPostgresAuditStore').Pool)({ connectionString: options.connectionString, max: options.maxConnections });
  ownPool?.on('error', () => undefined);
  const pool: PostgresQueryable = dependencies.pool ?? ownPool!;
  const table = options.schema ? `${quoteIdentifier(options.schema)}.${quoteIdentifier(options.tableName)}` : quoteIdentifier(options.tableName);
  const index = (suffix: string): string => quoteIdentifier(`${options.tableName}_${suffix}`);
  let ready: Promise<void> | undefined;

  const ignoreExisting = async (statement: string): Promise<void> => {
    try {
      await pool.query(statement);
    } catch (error) {
      if (!ALREADY_EXISTS.has((error as { code?: string }).code ?? '')) throw error;
    }
  };
  const migrate = async (): Promise<void> => {
    try {
      if (options.schema) await ignoreExisting(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(options.schema)}`);
      await ignoreExisting(`CREATE TABLE IF NOT EXISTS ${table} (
        id text PRIMARY KEY,
        user_id text,
        created_at timestamptz NOT NULL,
        expires_at timestamptz,
        data jsonb NOT NULL
      )`);
      await ignoreExisting(`CREATE INDEX IF NOT EXISTS ${index('user')} ON ${table} (user_id, created_at)`);
      await ignoreExisting(`CREATE INDEX IF NOT EXISTS ${index('expiry')} ON ${table} (expires_at) WHERE expires_at IS NOT NULL`);
    } catch (error) {
      throw toStoreError(error, `${SOURCE}: migrate`);
    }
  };
  const ensure = (): Promise<void> => {
    ready ??= migrate().catch((error: unknown) => {
      ready = undefined;
      throw error;
    });
    return ready;
  };
  const run = async <T>(what: string, signal: AbortSignal | undefined, task: () => Promise<T>): Promise<T> => {
    throwIfAborted(signal, what);
    await ensure();
    throwIfAborted(signal, what);
    try {
      return await task();
    } catch (error) {
      throw toStoreError(error, `${SOURCE}: ${what}`);
    }
  };
  const toDate = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));

  return {
    migrate: ensure,
    async append(records, callOptions) {
      if (records.length === 0) return;
      await run('append', callOptions?.abortSignal, async () => {
        const values: unknown[] = [];
        const rows = records.map((record, row) => {
          values.push(record.id, record.userId ?? null, new Date(record.timestamp), toDate(record.expiresAt), JSON.stringify(record));
          const base = row * 5;
          return `($${base + 1}, $${base + 2}, $${base + 3}, $${base + 4}, $${base + 5}::jsonb)`;
        });
        await pool.query(`INSERT INTO ${table} (id, user_id, created_at, expires_at, data) VALUES ${rows.join(', ')} ON CONFLICT (id) DO NOTHING`, values);
      });
    },
    async listByUser(userId, callOptions) {
      const result = await run(`list "${userId}"`, callOptions?.abortSignal, () => pool.query<{ data: unknown }>(`SELECT data FROM ${table} WHERE user_id = $1 ORDER BY created_at, id`, [userId]));
      return result.rows.map((row) => auditRecordSchema.parse(row.data));
    },
    async deleteByUser(userId, callOptions) {
      const result = await run(`delete "${userId}"`, callOptions?.abortSignal, () => pool.query(`DELETE FROM ${table} WHERE user_id = $1`, [userId]));
      return result.rowCount ?? 0;
    },
    async purgeExpired(now, callOptions) {
      const result = await run('purge', callOptions?.abortSignal, () => pool.query(`DELETE FROM ${table} WHERE expires_at IS NOT NULL AND expires_at <= $1`, [new Date(now)]));
      return result.rowCount ?? 0;
    },
    async dropTable() {
      await pool.query(`DROP TABLE IF EXISTS ${table}`);
      ready = undefined;
    },
    async close() {
      await ownPool?.end();
    },
  };
}
