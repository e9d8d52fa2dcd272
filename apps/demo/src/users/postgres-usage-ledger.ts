import { type CascadeMiddleware, type ModelCostSummary, type SettleInfo, calendarPeriod, sleep } from '@cascade/core';
import type pg from 'pg';
import { z } from 'zod';
import { inTransaction, pgStoreError } from './postgres-sql';
import { type QueuedUsage, type UsageLedger, type UsageLedgerLogEntry, type UsageSummary, addQueuedUsage, userOf, utcDay } from './usage-ledger';

/** The DDL of the usage tables in `schema` (a quoted name). */
export const usageTablesSql = (schema: string): string[] => [
  `CREATE TABLE IF NOT EXISTS ${schema}.demo_usage_requests (
    user_id text NOT NULL,
    day text NOT NULL,
    requests bigint NOT NULL,
    PRIMARY KEY (user_id, day)
  )`,
  `CREATE TABLE IF NOT EXISTS ${schema}.demo_usage_calls (
    user_id text NOT NULL,
    day text NOT NULL,
    model_id text NOT NULL,
    calls bigint NOT NULL,
    cost_usd double precision NOT NULL,
    input_tokens bigint NOT NULL,
    output_tokens bigint NOT NULL,
    PRIMARY KEY (user_id, day, model_id)
  )`,
];

const spendRowSchema = z.object({
  model_id: z.string(),
  calls: z.coerce.number(),
  cost_usd: z.coerce.number(),
  input_tokens: z.coerce.number(),
  output_tokens: z.coerce.number(),
  monthly_usd: z.coerce.number(),
  weekly_usd: z.coerce.number(),
  daily_usd: z.coerce.number(),
});

/** Dependencies of {@link createPostgresUsageLedger}. */
export interface PostgresUsageLedgerDependencies {
  now?: () => number;
  /** Where failures go. @default one JSON line per entry on stderr */
  log?: (entry: UsageLedgerLogEntry) => void;
  /** Consecutive failed writes before queued usage is given up and logged in full. @default 10 */
  maxFailedWrites?: number;
}

const jsonLineLog = (entry: UsageLedgerLogEntry): void => void process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
const RETRY_BASE_MS = 10;
const RETRY_MAX_MS = 2_000;

/**
 * Settled spend per user, UTC day and model in PostgreSQL, shared by every host on the database:
 * each adds to the same rows (`INSERT … ON CONFLICT DO UPDATE SET x = x + excluded.x`, rows written
 * in key order so two hosts never deadlock). As on SQLite, writes are off the request path: `settle`
 * queues (coalesced per user, day and model) and one transaction writes the queue; a failed write is
 * retried with backoff and logged, and given up (its rows logged in full) after `maxFailedWrites`.
 * Writes and `summary` reads take turns in this process, so a summary counts queued usage exactly once.
 */
export function createPostgresUsageLedger(pool: pg.Pool, schema: string, dependencies: PostgresUsageLedgerDependencies = {}): UsageLedger & { readonly pending: number } {
  const now = dependencies.now ?? Date.now;
  const log = dependencies.log ?? jsonLineLog;
  const maxFailedWrites = dependencies.maxFailedWrites ?? 10;
  const requestsTable = `${schema}.demo_usage_requests`;
  const callsTable = `${schema}.demo_usage_calls`;
  let queue = new Map<string, QueuedUsage>();
  let turn: Promise<unknown> = Promise.resolve();
  let scheduled = false;
  let timer: NodeJS.Timeout | undefined;
  let failedWrites = 0;
  let closed = false;

  /** Runs `work` after every earlier write or read of this ledger. */
  function exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = turn.then(work);
    turn = result.catch(() => undefined);
    return result;
  }

  const pendingRows = (): number => [...queue.values()].reduce((sum, entry) => sum + 1 + Object.keys(entry.calls).length, 0);

  function enqueue(userId: string, info: SettleInfo): void {
    const day = utcDay(now());
    const key = `${userId}\u0000${day}`;
    let entry = queue.get(key);
    if (!entry) queue.set(key, (entry = { userId, day, requests: 0, calls: {} }));
    entry.requests++;
    const calls = info.calls ?? (info.costUsd > 0 ? [{ modelId: 'unknown', usage: info.usage, costUsd: info.costUsd }] : []);
    for (const call of calls) {
      const sum = (entry.calls[call.modelId] ??= { calls: 0, costUsd: 0, inputTokens: 0, outputTokens: 0 });
      sum.calls++;
      sum.costUsd += call.costUsd;
      sum.inputTokens += Math.round(call.usage.inputTokens);
      sum.outputTokens += Math.round(call.usage.outputTokens);
    }
  }

  /** Writes the whole queue in one transaction; on failure the rows go back into the queue. True when written. */
  async function writeQueue(): Promise<boolean> {
    if (queue.size === 0) return true;
    const batch = [...queue.values()].sort((a, b) => (a.userId === b.userId ? (a.day < b.day ? -1 : 1) : a.userId < b.userId ? -1 : 1));
    queue = new Map();
    try {
      await inTransaction(pool, async (client) => {
        for (const entry of batch) {
          await client.query(`INSERT INTO ${requestsTable} (user_id, day, requests) VALUES ($1, $2, $3)
            ON CONFLICT (user_id, day) DO UPDATE SET requests = ${requestsTable}.requests + excluded.requests`, [entry.userId, entry.day, entry.requests]);
          for (const [modelId, call] of Object.entries(entry.calls).sort(([a], [b]) => (a < b ? -1 : 1))) {
            await client.query(`INSERT INTO ${callsTable} (user_id, day, model_id, calls, cost_usd, input_tokens, output_tokens) VALUES ($1, $2, $3, $4, $5, $6, $7)
              ON CONFLICT (user_id, day, model_id) DO UPDATE SET calls = ${callsTable}.calls + excluded.calls, cost_usd = ${callsTable}.cost_usd + excluded.cost_usd,
                input_tokens = ${callsTable}.input_tokens + excluded.input_tokens, output_tokens = ${callsTable}.output_tokens + excluded.output_tokens`,
            [entry.userId, entry.day, modelId, call.calls, call.costUsd, call.inputTokens, call.outputTokens]);
          }
        }
      });
      failedWrites = 0;
      return true;
    } catch (error) {
      // Put the batch back in front of what was settled meanwhile.
      const later = queue;
      queue = new Map();
      for (const entry of batch) queue.set(`${entry.userId}\u0000${entry.day}`, entry);
      for (const [key, entry] of later) {
        const known = queue.get(key);
        if (!known) {
          queue.set(key, entry);
          continue;
        }
        known.requests += entry.requests;
        for (const [modelId, call] of Object.entries(entry.calls)) {
          const sum = (known.calls[modelId] ??= { calls: 0, costUsd: 0, inputTokens: 0, outputTokens: 0 });
          sum.calls += call.calls;
          sum.costUsd += call.costUsd;
          sum.inputTokens += call.inputTokens;
          sum.outputTokens += call.outputTokens;
        }
      }
      failedWrites++;
      log({ event: 'usage-ledger', level: 'error', message: `writing usage to PostgreSQL failed (${failedWrites} of ${maxFailedWrites})`, pending: pendingRows(), error: (error as Error).message });
      if (failedWrites >= maxFailedWrites) {
        log({ event: 'usage-ledger', level: 'error', message: 'usage given up after repeated failed writes', pending: pendingRows(), rows: [...queue.values()] });
        queue = new Map();
        failedWrites = 0;
      }
      return false;
    }
  }

  function schedule(delayMs = 0): void {
    if (scheduled || closed) return;
    scheduled = true;
    const run = (): void => {
      timer = undefined;
      void exclusive(writeQueue).then((written) => {
        scheduled = false;
        if (!written && queue.size > 0) schedule(Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** failedWrites));
        else if (queue.size > 0) schedule();
      });
    };
    if (delayMs === 0) setImmediate(run);
    else {
      timer = setTimeout(run, delayMs);
      timer.unref();
    }
  }

  return {
    kind: 'postgres',
    get pending() {
      return pendingRows();
    },
    middleware: {
      name: 'usage-ledger',
      admit(context) {
        const userId = userOf(context);
        if (userId === undefined) return { allowed: true };
        return {
          allowed: true,
          reservation: {
            settle: (info) => {
              enqueue(userId, info);
              // After close: one last write of its own (logged if it fails), no retries.
              if (closed) void exclusive(writeQueue);
              else schedule();
            },
          },
        };
      },
    } satisfies CascadeMiddleware,
    summary(userId) {
      return exclusive(async () => {
        const at = now();
        const starts = (['month', 'week', 'day'] as const).map((period) => utcDay(calendarPeriod(at, period, 'UTC', 1).start));
        let rows: z.output<typeof spendRowSchema>[];
        let requests: number;
        try {
          // One snapshot for both reads (REPEATABLE READ): requests and spend agree while other hosts write.
          [rows, requests] = await inTransaction(pool, async (client) => {
            await client.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY');
            const spend = await client.query(`SELECT model_id, SUM(calls) AS calls, SUM(cost_usd) AS cost_usd, SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens,
                SUM(CASE WHEN day >= $1 THEN cost_usd ELSE 0 END) AS monthly_usd,
                SUM(CASE WHEN day >= $2 THEN cost_usd ELSE 0 END) AS weekly_usd,
                SUM(CASE WHEN day >= $3 THEN cost_usd ELSE 0 END) AS daily_usd
              FROM ${callsTable} WHERE user_id = $4 GROUP BY model_id ORDER BY model_id`, [...starts, userId]);
            const count = await client.query(`SELECT COALESCE(SUM(requests), 0) AS requests FROM ${requestsTable} WHERE user_id = $1`, [userId]);
            return [spend.rows.map((row) => spendRowSchema.parse(row)), Number((count.rows[0] as { requests: string }).requests)] as const;
          });
        } catch (error) {
          throw pgStoreError(`reading the usage of "${userId}"`, error);
        }
        const summary: UsageSummary = { requests, dailyUsd: 0, weeklyUsd: 0, monthlyUsd: 0, totalUsd: 0, byModel: {} };
        const byModel: Record<string, ModelCostSummary> = {};
        for (const row of rows) {
          summary.dailyUsd += row.daily_usd;
          summary.weeklyUsd += row.weekly_usd;
          summary.monthlyUsd += row.monthly_usd;
          summary.totalUsd += row.cost_usd;
          byModel[row.model_id] = { calls: row.calls, costUsd: row.cost_usd, inputTokens: row.input_tokens, outputTokens: row.output_tokens };
        }
        addQueuedUsage(summary, byModel, queue.values(), userId, starts);
        return { ...summary, byModel: Object.fromEntries(Object.entries(byModel).sort(([a], [b]) => (a < b ? -1 : 1))) };
      });
    },
    async flush(options = {}) {
      const deadline = Date.now() + (options.timeoutMs ?? 5_000);
      let tries = 0;
      while (queue.size > 0 && !(await exclusive(writeQueue)) && Date.now() < deadline) {
        tries++;
        await sleep(Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.min(tries, 7), Math.max(0, deadline - Date.now())));
      }
      return { pending: pendingRows() };
    },
    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      await turn;
      if (!(await exclusive(writeQueue)) && queue.size > 0) {
        log({ event: 'usage-ledger', level: 'error', message: 'usage not written at shutdown', pending: pendingRows(), rows: [...queue.values()] });
        queue = new Map();
      }
    },
  };
}
