import { describe, expect, it } from 'vitest';
import type { AuditRecord } from '../audit-record';
import type { AuditStore } from '../audit-store';

const DAY = 86_400_000;

export function auditRecord(id: string, userId: string | undefined, timestamp: number, expiresAt: number | null): AuditRecord {
  return {
    id, requestId: `req_${id}`, timestamp, expiresAt, level: 'minimal', mode: 'run', outcome: 'success',
    ...(userId ? { userId } : {}), models: ['cheap'], answerModel: 'cheap', usage: { inputTokens: 10, outputTokens: 5 }, costUsd: 0.001, durationMs: 12,
  };
}

/** What every audit store must do: append-only and idempotent, per-user reads and erasure, purge by expiry. */
export function describeAuditStoreContract(name: string, open: () => Promise<AuditStore> | AuditStore): void {
  describe(`${name}: audit store contract`, () => {
    it('appends idempotently (a retried batch adds nothing) and lists a user oldest first', async () => {
      const store = await open();
      const first = [auditRecord('b', 'ada', 2 * DAY, null), auditRecord('a', 'ada', DAY, null), auditRecord('c', 'bob', DAY, null)];
      await store.append(first);
      await store.append(first);
      await store.append([]);
      const ada = await store.listByUser('ada');
      expect(ada.map((record) => record.id)).toEqual(['a', 'b']);
      expect(ada[0]).toEqual(first[1]);
      expect(await store.listByUser('nobody')).toEqual([]);
    });

    it('deletes one user and purges only expired records', async () => {
      const store = await open();
      await store.append([
        auditRecord('x1', 'ada', 0, DAY), auditRecord('x2', 'ada', 0, 3 * DAY), auditRecord('x3', 'bob', 0, null), auditRecord('x4', undefined, 0, DAY),
      ]);
      expect(await store.purgeExpired(DAY - 1)).toBe(0);
      expect(await store.purgeExpired(DAY)).toBe(2);
      expect((await store.listByUser('ada')).map((record) => record.id)).toEqual(['x2']);
      expect(await store.deleteByUser('ada')).toBe(1);
      expect(await store.listByUser('ada')).toEqual([]);
      expect((await store.listByUser('bob')).map((record) => record.id)).toEqual(['x3']);
    });

    it('refuses a call whose signal already fired', async () => {
      const store = await open();
      await expect(store.append([auditRecord('z', 'ada', 0, null)], { abortSignal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'ABORTED' });
      expect(await store.listByUser('ada')).toEqual([]);
    });
  });
}
