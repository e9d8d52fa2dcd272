import { CascadeError } from '@cascade/core';
import type pg from 'pg';
import { z } from 'zod';
import { generateApiKey, hashApiKey, hashesEqual, keyHint } from './api-key';
import type { ApiKeyRecord, KeyStore } from './api-key-store';
import { pgStoreError } from './postgres-sql';

const rowSchema = z.object({
  id: z.coerce.number().int(),
  user_id: z.string(),
  key_hash: z.string(),
  hint: z.string(),
  label: z.string().nullable(),
  created_at: z.string(),
});

const toRecord = (row: z.output<typeof rowSchema>): ApiKeyRecord => ({ id: row.id, userId: row.user_id, hint: row.hint, label: row.label, createdAt: row.created_at });

/** The DDL of the key table in `schema` (a quoted name), run by the database's migration. */
export const apiKeyTableSql = (schema: string): string => `CREATE TABLE IF NOT EXISTS ${schema}.demo_api_keys (
  id bigserial PRIMARY KEY,
  user_id text NOT NULL,
  key_hash text NOT NULL UNIQUE,
  hint text NOT NULL,
  label text,
  created_at text NOT NULL,
  revoked_at text
)`;

/** Dependencies of {@link createPostgresApiKeyStore}. */
export interface PostgresApiKeyStoreDependencies {
  pool: pg.Pool;
  /** Whether the user has a profile: keys of users without one do not authenticate. */
  userExists(userId: string): Promise<boolean>;
}

/**
 * API keys as SHA-256 hashes in PostgreSQL (table `demo_api_keys` of `schema`, quoted): the same
 * rules as the SQLite store (a key of a user without a profile never authenticates, revoked keys are
 * kept), shared by every host on the database.
 *
 * @throws CascadeError `STORE_FAILED` when PostgreSQL fails; `INVALID_INPUT` for a missing user.
 */
export function createPostgresApiKeyStore(schema: string, dependencies: PostgresApiKeyStoreDependencies): KeyStore {
  const { pool, userExists } = dependencies;
  const table = `${schema}.demo_api_keys`;
  const columns = 'id, user_id, key_hash, hint, label, created_at';
  const query = async (what: string, text: string, values: unknown[]): Promise<pg.QueryResult> => {
    try {
      return await pool.query(text, values);
    } catch (error) {
      throw pgStoreError(what, error);
    }
  };
  return {
    async create(userId, label) {
      if (typeof userId !== 'string' || userId.length === 0) throw new CascadeError('INVALID_INPUT', 'A key needs a user id.');
      if (!(await userExists(userId))) throw new CascadeError('INVALID_INPUT', `No user "${userId}": create the profile first (\`pnpm demo admin create-user ${userId}\`), then its key.`);
      const key = generateApiKey();
      const createdAt = new Date().toISOString();
      const result = await query('creating a key', `INSERT INTO ${table} (user_id, key_hash, hint, label, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`, [userId, hashApiKey(key), keyHint(key), label ?? null, createdAt]);
      return { key, record: { id: Number((result.rows[0] as { id: string }).id), userId, hint: keyHint(key), label: label ?? null, createdAt } };
    },
    async authenticate(presented) {
      if (typeof presented !== 'string' || presented.length < 8 || presented.length > 512) return undefined;
      const hash = hashApiKey(presented);
      const result = await query('looking up a key', `SELECT ${columns} FROM ${table} WHERE key_hash = $1 AND revoked_at IS NULL`, [hash]);
      if (result.rows.length === 0) return undefined;
      const row = rowSchema.parse(result.rows[0]);
      if (!hashesEqual(row.key_hash, hash)) return undefined;
      return (await userExists(row.user_id)) ? { userId: row.user_id, keyId: row.id } : undefined;
    },
    async list(userId) {
      const result = userId === undefined
        ? await query('listing keys', `SELECT ${columns} FROM ${table} WHERE revoked_at IS NULL ORDER BY id`, [])
        : await query('listing keys', `SELECT ${columns} FROM ${table} WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id`, [userId]);
      return result.rows.map((row) => toRecord(rowSchema.parse(row)));
    },
    async revoke(id) {
      const result = await query('revoking a key', `UPDATE ${table} SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL`, [new Date().toISOString(), id]);
      return (result.rowCount ?? 0) > 0;
    },
    async deleteUserKeys(userId) {
      const result = await query('deleting keys', `DELETE FROM ${table} WHERE user_id = $1`, [userId]);
      return result.rowCount ?? 0;
    },
  };
}
