import type { AuditRecord } from './audit-record';

/** Options every audit store call takes. */
export interface AuditStoreCallOptions {
  abortSignal?: AbortSignal;
}

/**
 * Where audit records live: append-only (no update), readable per user, deletable per user (GDPR
 * erasure) and by expiry (retention). Implementations: memory (`createMemoryAuditStore`), SQLite
 * (`@cascade/profiles/sqlite`), PostgreSQL (`@cascade/profiles/postgres`). `append` is idempotent per
 * record `id`, so a retried batch never duplicates. Failures reject with `STORE_FAILED`.
 */
export interface AuditStore {
  /** Appends records (a record whose `id` is already stored is skipped). Durable once it resolves. */
  append(records: readonly AuditRecord[], options?: AuditStoreCallOptions): Promise<void>;
  /** The user's records, oldest first. */
  listByUser(userId: string, options?: AuditStoreCallOptions): Promise<AuditRecord[]>;
  /** Deletes every record of the user; returns how many. */
  deleteByUser(userId: string, options?: AuditStoreCallOptions): Promise<number>;
  /** Deletes every record whose `expiresAt` is at or before `now` (epoch ms); returns how many. */
  purgeExpired(now: number, options?: AuditStoreCallOptions): Promise<number>;
  /** Closes what the store opened itself. */
  close(): Promise<void>;
}
