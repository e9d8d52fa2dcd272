import { type CascadeMiddleware, type ModelCostSummary, type SettleInfo, calendarPeriod, createCostTracker } from '@cascade/core';
import type Database from 'better-sqlite3';
import { z } from 'zod';

/** One user's settled spend: what `/v1/usage` shows. Periods are UTC calendar days, weeks (from Monday) and months. */
export interface UsageSummary {
  requests: number;
  dailyUsd: number;
  weeklyUsd: number;
  monthlyUsd: number;
  totalUsd: number;
  byModel: Readonly<Record<string, ModelCostSummary>>;
}

/** Where settled spend goes: pipeline middleware that records each request's calls, and a per-user summary. */
export interface UsageLedger {
  /** `memory`: this process, forgotten on restart. `sqlite`: durable, shared by every process on the file. */
  readonly kind: 'memory' | 'sqlite';
  /** Records every admitted request (and each model call it made) when it settles. Put it last. */
  readonly middleware: CascadeMiddleware;
  summary(userId: string): UsageSummary;
}

const userOf = (context: { principal?: { userId: string } | undefined; userId?: string | undefined }): string | undefined => context.principal?.userId ?? context.userId;

/** The in-process ledger (core's cost tracker): what the tour uses. */
export function createMemoryUsageLedger(dependencies: { now?: () => number } = {}): UsageLedger {
  const costs = createCostTracker({ enforcement: 'warn' }, dependencies.now ? { now: dependencies.now } : {});
  return {
    kind: 'memory',
    middleware: costs.middleware,
    summary(userId) {
      const { requests, dailyUsd, weeklyUsd, monthlyUsd, totalUsd, byModel } = costs.userSummary(userId);
      return { requests, dailyUsd, weeklyUsd, monthlyUsd, totalUsd, byModel };
    },
  };
}

const spendRowSchema = z.object({
  model_id: z.string(),
  calls: z.number(),
  cost_usd: z.number(),
  input_tokens: z.number(),
  output_tokens: z.number(),
  monthly_usd: z.number(),
  weekly_usd: z.number(),
  daily_usd: z.number(),
});

/** `YYYY-MM-DD` of a UTC instant (sorts like the instant). */
const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/**
 * Settled spend per user, per UTC day and model, in the demo's SQLite file: one small upsert
 * transaction per request, so every server process on the file adds to the same rows and
 * `/v1/usage` survives restarts. Rows are day buckets (bounded: users × days × models), enough to
 * sum days, weeks (from Monday) and months in UTC. A failed write is reported to `onError` and
 * never fails the request that was already answered.
 */
export function createSqliteUsageLedger(database: Database.Database, dependencies: { now?: () => number; onError?: (error: unknown) => void } = {}): UsageLedger {
  const now = dependencies.now ?? Date.now;
  const onError = dependencies.onError ?? ((error: unknown) => process.emitWarning(`Usage was not recorded: ${error instanceof Error ? error.message : String(error)}`));
  database.exec(`CREATE TABLE IF NOT EXISTS demo_usage_requests (
    user_id TEXT NOT NULL,
    day TEXT NOT NULL,
    requests INTEGER NOT NULL,
    PRIMARY KEY (user_id, day)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS demo_usage_calls (
    user_id TEXT NOT NULL,
    day TEXT NOT NULL,
    model_id TEXT NOT NULL,
    calls INTEGER NOT NULL,
    cost_usd REAL NOT NULL,
    input_tokens INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    PRIMARY KEY (user_id, day, model_id)
  ) WITHOUT ROWID`);
  const addRequest = database.prepare(`INSERT INTO demo_usage_requests (user_id, day, requests) VALUES (?, ?, 1)
    ON CONFLICT (user_id, day) DO UPDATE SET requests = requests + 1`);
  const addCall = database.prepare(`INSERT INTO demo_usage_calls (user_id, day, model_id, calls, cost_usd, input_tokens, output_tokens) VALUES (?, ?, ?, 1, ?, ?, ?)
    ON CONFLICT (user_id, day, model_id) DO UPDATE SET calls = calls + 1, cost_usd = cost_usd + excluded.cost_usd,
      input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens`);
  const spendOf = database.prepare(`SELECT model_id, SUM(calls) AS calls, SUM(cost_usd) AS cost_usd, SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens,
      SUM(CASE WHEN day >= ? THEN cost_usd ELSE 0 END) AS monthly_usd,
      SUM(CASE WHEN day >= ? THEN cost_usd ELSE 0 END) AS weekly_usd,
      SUM(CASE WHEN day >= ? THEN cost_usd ELSE 0 END) AS daily_usd
    FROM demo_usage_calls WHERE user_id = ? GROUP BY model_id ORDER BY model_id`);
  const requestsOf = database.prepare('SELECT COALESCE(SUM(requests), 0) AS requests FROM demo_usage_requests WHERE user_id = ?').pluck();

  const record = database.transaction((userId: string, info: SettleInfo, day: string) => {
    addRequest.run(userId, day);
    const calls = info.calls ?? (info.costUsd > 0 ? [{ modelId: 'unknown', usage: info.usage, costUsd: info.costUsd }] : []);
    for (const call of calls) addCall.run(userId, day, call.modelId, call.costUsd, Math.round(call.usage.inputTokens), Math.round(call.usage.outputTokens));
  });
  // One snapshot for both reads (WAL): requests and spend agree even while other processes write.
  const read = database.transaction((userId: string, at: number) => {
    const starts = (['month', 'week', 'day'] as const).map((period) => utcDay(calendarPeriod(at, period, 'UTC', 1).start));
    return { rows: spendOf.all(...starts, userId).map((row) => spendRowSchema.parse(row)), requests: z.number().parse(requestsOf.get(userId)) };
  });

  return {
    kind: 'sqlite',
    middleware: {
      name: 'usage-ledger',
      admit(context) {
        const userId = userOf(context);
        if (userId === undefined) return { allowed: true };
        return {
          allowed: true,
          reservation: {
            settle(info) {
              try {
                record(userId, info, utcDay(now()));
              } catch (error) {
                onError(error);
              }
            },
          },
        };
      },
    },
    summary(userId) {
      const { rows, requests } = read(userId, now());
      const summary: UsageSummary = { requests, dailyUsd: 0, weeklyUsd: 0, monthlyUsd: 0, totalUsd: 0, byModel: {} };
      const byModel: Record<string, ModelCostSummary> = {};
      for (const row of rows) {
        summary.dailyUsd += row.daily_usd;
        summary.weeklyUsd += row.weekly_usd;
        summary.monthlyUsd += row.monthly_usd;
        summary.totalUsd += row.cost_usd;
        byModel[row.model_id] = { calls: row.calls, costUsd: row.cost_usd, inputTokens: row.input_tokens, outputTokens: row.output_tokens };
      }
      return { ...summary, byModel };
    },
  };
}
