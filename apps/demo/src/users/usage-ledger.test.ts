import type { PipelineContext, SettleInfo } from '@cascade/core';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type UsageLedger, type UsageLedgerLogEntry, createSqliteUsageLedger } from './usage-ledger';

const usage = (inputTokens: number, outputTokens: number) => ({ inputTokens, outputTokens, source: 'provider' as const });

/** What the pipeline does for one request: admit, then settle. */
async function settleOne(ledger: UsageLedger, userId: string, info: SettleInfo): Promise<void> {
  const admitted = await ledger.middleware.admit!({ userId, principal: undefined } as unknown as PipelineContext);
  expect(admitted.allowed).toBe(true);
  if (admitted.allowed) await admitted.reservation!.settle(info);
}

describe('createSqliteUsageLedger', () => {
  it('sums settled calls per UTC day, week (from Monday), month and in total, per user and model', async () => {
    const database = new Database(':memory:');
    let time = Date.parse('2025-03-30T23:30:00Z'); // a Sunday, the last day of March
    const ledger = createSqliteUsageLedger(database, { now: () => time });
    const settle = async (userId: string, info: SettleInfo): Promise<void> => {
      const admitted = await ledger.middleware.admit!({ userId, principal: undefined } as unknown as PipelineContext);
      expect(admitted.allowed).toBe(true);
      if (admitted.allowed) await admitted.reservation!.settle(info);
    };
    await settle('u', { usage: usage(10, 5), costUsd: 0.5, outcome: 'success', calls: [{ modelId: 'cheap', usage: usage(10, 5), costUsd: 0.5 }] });
    time = Date.parse('2025-03-31T08:00:00Z'); // Monday: new day and week, same month
    await settle('u', { usage: usage(30, 7), costUsd: 0.25, outcome: 'success', calls: [{ modelId: 'cheap', usage: usage(10, 2), costUsd: 0.05 }, { modelId: 'strong', usage: usage(20, 5), costUsd: 0.2 }] });
    await settle('u', { usage: usage(0, 0), costUsd: 0, outcome: 'error' });
    await settle('other', { usage: usage(1, 1), costUsd: 9, outcome: 'success', calls: [{ modelId: 'strong', usage: usage(1, 1), costUsd: 9 }] });

    const summary = ledger.summary('u');
    expect(summary).toMatchObject({ requests: 3, dailyUsd: 0.25, weeklyUsd: 0.25, monthlyUsd: 0.75, totalUsd: 0.75 });
    expect(summary.byModel).toEqual({ cheap: { calls: 2, costUsd: 0.55, inputTokens: 20, outputTokens: 7 }, strong: { calls: 1, costUsd: 0.2, inputTokens: 20, outputTokens: 5 } });
    time = Date.parse('2025-04-01T00:00:00Z'); // new month
    expect(ledger.summary('u')).toMatchObject({ requests: 3, dailyUsd: 0, weeklyUsd: 0.25, monthlyUsd: 0, totalUsd: 0.75 });
    expect(ledger.summary('nobody')).toEqual({ requests: 0, dailyUsd: 0, weeklyUsd: 0, monthlyUsd: 0, totalUsd: 0, byModel: {} });
    ledger.close();
    database.close();
  });

  it('never fails a request when writes fail: logs JSON-ready entries, retries, then logs the unwritten rows in full', async () => {
    const database = new Database(':memory:');
    const logs: UsageLedgerLogEntry[] = [];
    const ledger = createSqliteUsageLedger(database, { log: (entry) => logs.push(entry), maxFailedWrites: 2 });
    database.exec('DROP TABLE demo_usage_requests');
    await settleOne(ledger, 'u', { usage: usage(1, 1), costUsd: 0.1, outcome: 'success', calls: [{ modelId: 'cheap', usage: usage(1, 1), costUsd: 0.1 }] });
    expect(await ledger.flush({ timeoutMs: 2_000 })).toEqual({ pending: 0 });
    expect(logs.map((entry) => entry.level)).toEqual(['error', 'error', 'error']);
    expect(logs[0]!.error).toMatch(/no such table/);
    expect(logs[2]!.rows).toEqual([{ userId: 'u', day: expect.any(String), requests: 1, calls: { cheap: { calls: 1, costUsd: 0.1, inputTokens: 1, outputTokens: 1 } } }]);
    expect(() => JSON.stringify(logs)).not.toThrow();
    ledger.close();
    database.close();
  });
});

describe('createSqliteUsageLedger on a locked file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cascade-demo-ledger-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('queues usage while another connection holds the write lock, never blocks a settle on it, and writes every row after release', async () => {
    const file = join(dir, 'locked.sqlite');
    const database = new Database(file);
    database.pragma('journal_mode = WAL');
    database.pragma('busy_timeout = 20');
    const logs: UsageLedgerLogEntry[] = [];
    const ledger = createSqliteUsageLedger(database, { log: (entry) => logs.push(entry) });
    const holder = new Database(file);
    holder.exec('BEGIN IMMEDIATE'); // another process's long write transaction
    let settled = 0;
    for (let index = 0; index < 300; index++) {
      await settleOne(ledger, index % 3 === 0 ? 'c3' : 'f1', { usage: usage(10, 5), costUsd: 0.001, outcome: 'success', calls: [{ modelId: index % 2 ? 'cheap' : 'strong', usage: usage(10, 5), costUsd: 0.001 }] });
      settled++;
    }
    // Let the background write run and fail on the lock a few times.
    for (let tick = 0; tick < 5; tick++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(settled).toBe(300); // every settle returned while the lock was still held
    expect(holder.inTransaction).toBe(true);
    expect(logs.filter((entry) => entry.level === 'warn')).toHaveLength(1); // one log line per locked streak, not one per request
    expect(ledger.pending).toBe(6); // coalesced: 2 users × (1 request row + 2 model rows)
    // Reads see the queued rows.
    expect(ledger.summary('c3').requests + ledger.summary('f1').requests).toBe(300);
    expect(ledger.summary('f1').byModel['cheap']?.calls).toBeGreaterThan(0);
    const during = new Database(file, { readonly: true });
    expect(during.prepare('SELECT COUNT(*) FROM demo_usage_requests').pluck().get()).toBe(0);
    during.close();

    holder.exec('ROLLBACK');
    expect(await ledger.flush({ timeoutMs: 5_000 })).toEqual({ pending: 0 });
    const reader = new Database(file, { readonly: true });
    expect(reader.prepare('SELECT SUM(requests) FROM demo_usage_requests').pluck().get()).toBe(300);
    expect(reader.prepare('SELECT SUM(calls) FROM demo_usage_calls').pluck().get()).toBe(300);
    expect(ledger.summary('c3').requests).toBe(100);
    reader.close();
    holder.close();
    ledger.close();
    database.close();
  });

  it('close writes what is still queued', async () => {
    const file = join(dir, 'close.sqlite');
    const database = new Database(file);
    database.pragma('journal_mode = WAL');
    const ledger = createSqliteUsageLedger(database, { log: () => undefined });
    const holder = new Database(file);
    holder.exec('BEGIN IMMEDIATE');
    await settleOne(ledger, 'u', { usage: usage(1, 1), costUsd: 0.5, outcome: 'success' });
    for (let tick = 0; tick < 3; tick++) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(ledger.pending).toBe(2);
    holder.exec('ROLLBACK');
    holder.close();
    ledger.close();
    database.close();
    const reader = new Database(file, { readonly: true });
    expect(reader.prepare('SELECT SUM(cost_usd) FROM demo_usage_calls').pluck().get()).toBe(0.5);
    reader.close();
  });
});
