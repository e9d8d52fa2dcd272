import { CascadeError } from '@cascade/core';
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { generateApiKey, hashApiKey, hashesEqual, keyHint } from './api-key';

/** A stored key, without the key itself. */
export interface ApiKeyRecord {
  id: number;
  userId: string;
  hint: string;
  label: string | null;
  createdAt: string;
}

const rowSchema = z.object({
  id: z.number().int(),
  user_id: z.string(),
  key_hash: z.string(),
  hint: z.string(),
  label: z.string().nullable(),
  created_at: z.string(),
});

/** A value now (SQLite) or later (PostgreSQL). */
export type Awaitable<T> = T | Promise<T>;

/**
 * API keys as the server and the admin CLI use them, whatever holds them: the SQLite store answers
 * synchronously, the PostgreSQL one (`createPostgresApiKeyStore`) with promises.
 */
export interface KeyStore {
  create(userId: string, label?: string): Awaitable<{ key: string; record: ApiKeyRecord }>;
  authenticate(presented: string): Awaitable<{ userId: string; keyId: number } | undefined>;
  list(userId?: string): Awaitable<ApiKeyRecord[]>;
  revoke(id: number): Awaitable<boolean>;
  deleteUserKeys(userId: string): Awaitable<number>;
}

/** API keys of users, stored as SHA-256 hashes in the demo's SQLite database. */
export interface ApiKeyStore extends KeyStore {
  /** Creates a key for `userId` (who must have a profile); the plain key is returned once and never stored. */
  create(userId: string, label?: string): { key: string; record: ApiKeyRecord };
  /**
   * The user a presented key belongs to, or undefined: for an unknown or revoked key, and for a key
   * whose user has no profile (deleted), which must not come back as a new default user.
   */
  authenticate(presented: string): { userId: string; keyId: number } | undefined;
  list(userId?: string): ApiKeyRecord[];
  /** Revokes a key by id; true when one was revoked. */
  revoke(id: number): boolean;
  /** Deletes every key of the user, revoked ones too; returns how many. */
  deleteUserKeys(userId: string): number;
}

/** Dependencies of {@link createApiKeyStore}. */
export interface ApiKeyStoreDependencies {
  /** Whether the user has a profile: keys of users without one do not authenticate. */
  userExists(userId: string): boolean;
}

const toRecord = (row: z.output<typeof rowSchema>): ApiKeyRecord => ({ id: row.id, userId: row.user_id, hint: row.hint, label: row.label, createdAt: row.created_at });

/** Creates the key table if needed and returns the store. */
export function createApiKeyStore(database: Database.Database, dependencies: ApiKeyStoreDependencies): ApiKeyStore {
  const { userExists } = dependencies;
  database.exec(`CREATE TABLE IF NOT EXISTS demo_api_keys (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id TEXT NOT NULL,
    key_hash TEXT NOT NULL UNIQUE,
    hint TEXT NOT NULL,
    label TEXT,
    created_at TEXT NOT NULL,
    revoked_at TEXT
  )`);
  const insert = database.prepare('INSERT INTO demo_api_keys (user_id, key_hash, hint, label, created_at) VALUES (?, ?, ?, ?, ?)');
  const byHash = database.prepare('SELECT id, user_id, key_hash, hint, label, created_at FROM demo_api_keys WHERE key_hash = ? AND revoked_at IS NULL');
  const all = database.prepare('SELECT id, user_id, key_hash, hint, label, created_at FROM demo_api_keys WHERE revoked_at IS NULL ORDER BY id');
  const ofUser = database.prepare('SELECT id, user_id, key_hash, hint, label, created_at FROM demo_api_keys WHERE user_id = ? AND revoked_at IS NULL ORDER BY id');
  const revoke = database.prepare('UPDATE demo_api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
  const deleteOfUser = database.prepare('DELETE FROM demo_api_keys WHERE user_id = ?');

  return {
    create(userId, label) {
      if (typeof userId !== 'string' || userId.length === 0) throw new CascadeError('INVALID_INPUT', 'A key needs a user id.');
      if (!userExists(userId)) throw new CascadeError('INVALID_INPUT', `No user "${userId}": create the profile first (\`pnpm demo admin create-user ${userId}\`), then its key.`);
      const key = generateApiKey();
      const createdAt = new Date().toISOString();
      const info = insert.run(userId, hashApiKey(key), keyHint(key), label ?? null, createdAt);
      return { key, record: { id: Number(info.lastInsertRowid), userId, hint: keyHint(key), label: label ?? null, createdAt } };
    },
    authenticate(presented) {
      if (typeof presented !== 'string' || presented.length < 8 || presented.length > 512) return undefined;
      const hash = hashApiKey(presented);
      const row = byHash.get(hash);
      if (row === undefined) return undefined;
      const parsed = rowSchema.parse(row);
      if (!hashesEqual(parsed.key_hash, hash)) return undefined;
      // A key outlives nothing: without a profile the user is gone, and must not be recreated on FREE.
      return userExists(parsed.user_id) ? { userId: parsed.user_id, keyId: parsed.id } : undefined;
    },
    list(userId) {
      const rows = userId === undefined ? all.all() : ofUser.all(userId);
      return rows.map((row) => toRecord(rowSchema.parse(row)));
    },
    revoke(id) {
      return revoke.run(new Date().toISOString(), id).changes > 0;
    },
    deleteUserKeys(userId) {
      return deleteOfUser.run(userId).changes;
    },
  };
}
