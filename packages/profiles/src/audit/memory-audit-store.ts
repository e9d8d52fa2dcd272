import { throwIfAborted } from '@cascade/core';
import type { AuditRecord } from './audit-record';
import type { AuditStore } from './audit-store';

/** The in-memory audit store, with its record count. */
export interface MemoryAuditStore extends AuditStore {
  readonly size: number;
}

/**
 * An audit store in process memory: for tests and single-process demos. Holds every record until the
 * retention purge or an erasure removes it — run `purge()` of the audit trail on a schedule.
 *
 * @example
 * const trail = createAuditTrail({}, { store: createMemoryAuditStore() });
 */
export function createMemoryAuditStore(): MemoryAuditStore {
  const records = new Map<string, AuditRecord>();
  return {
    get size() {
      return records.size;
    },
    async append(batch, options) {
      throwIfAborted(options?.abortSignal, 'Appending audit records');
      for (const record of batch) if (!records.has(record.id)) records.set(record.id, structuredClone(record));
    },
    async listByUser(userId, options) {
      throwIfAborted(options?.abortSignal, 'Listing audit records');
      return [...records.values()].filter((record) => record.userId === userId).sort((a, b) => a.timestamp - b.timestamp).map((record) => structuredClone(record));
    },
    async deleteByUser(userId) {
      let deleted = 0;
      for (const [id, record] of records) {
        if (record.userId === userId) {
          records.delete(id);
          deleted++;
        }
      }
      return deleted;
    },
    async purgeExpired(now) {
      let deleted = 0;
      for (const [id, record] of records) {
        if (record.expiresAt !== null && record.expiresAt <= now) {
          records.delete(id);
          deleted++;
        }
      }
      return deleted;
    },
    async close() {},
  };
}
