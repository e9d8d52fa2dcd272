import type { PipelineContext, SettleInfo } from '@cascade/core';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createSqliteUsageLedger } from './usage-ledger';

const usage = (inputTokens: number, outputTokens: number) => ({ inputTokens, outputTokens, source: 'provider' as const });

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
    database.close();
  });

  it('never fails a request when the write fails: it reports the error', async () => {
    const database = new Database(':memory:');
    const errors: unknown[] = [];
    const ledger = createSqliteUsageLedger(database, { onError: (error) => errors.push(error) });
    const admitted = await ledger.middleware.admit!({ userId: 'u', principal: undefined } as unknown as PipelineContext);
    database.exec('DROP TABLE demo_usage_requests');
    if (admitted.allowed) await admitted.reservation!.settle({ usage: usage(1, 1), costUsd: 0.1, outcome: 'success' });
    expect(errors).toHaveLength(1);
    database.close();
  });
});
