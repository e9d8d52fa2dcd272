import { type CascadeMiddleware, type ModelCostSummary, type SettleInfo, calendarPeriod, createCostTracker, sleep } from '@cascade/core';
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
  /** `memory`: this process, forgotten on restart. `sqlite`: durable, shared by every process on the file. `postgres`: durable, shared by every host on the database. */
  readonly kind: 'memory' | 'sqlite' | 'postgres';
  /** Records every admitted request (and each model call it made) when it settles. Put it last. */
  readonly middleware: CascadeMiddleware;
  /** Settled spend, including usage still queued for the database (a promise from PostgreSQL). */
  summary(userId: string): UsageSummary | Promise<UsageSummary>;
  /** Writes queued usage now, retrying while the database is busy, for at most `timeoutMs`; resolves with what is still queued. */
  flush(options?: { timeoutMs?: number }): Promise<{ pending: number }>;
  /** Final write of the queue (waits up to the connection's busy timeout), then logs whatever could not be written. Later settles write synchronously. */
  close(): void | Promise<void>;
}

/** A ledger that answers synchronously (memory, SQLite). */
export interface SyncUsageLedger extends UsageLedger {
  readonly kind: 'memory' | 'sqlite';
  summary(userId: string): UsageSummary;
  close(): void;
}

export const userOf = (context: { principal?: { userId: string } | undefined; userId?: string | undefined }): string | undefined => context.principal?.userId ?? context.userId;

/** The in-process ledger (core's cost tracker): what the tour uses. */
export function createMemoryUsageLedger(dependencies: { now?: () => number } = {}): SyncUsageLedger {
  const costs = createCostTracker({ enforcement: 'warn' }, dependencies.now ? { now: dependencies.now } : {});
  return {
    kind: 'memory',
    middleware: costs.middleware,
    summary(userId) {
      const { requests, dailyUsd, weeklyUsd, monthlyUsd, totalUsd, byModel } = costs.userSummary(userId);
      return { requests, dailyUsd, weeklyUsd, monthlyUsd, totalUsd, byModel };
    },
    flush: async () => ({ pending: 0 }),
    close: () => undefined,
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
export const utcDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** One JSON log line of the ledger (never prompts or keys: user ids, days, models, counts, costs). */
export interface UsageLedgerLogEntry {
  event: 'usage-ledger';
  level: 'warn' | 'error';
  message: string;
  /** Usage rows (user × day × model) waiting for the database. */
  pending: number;
  /** Unwritten usage, when it is given up, so an operator can re-apply it. */
  rows?: readonly QueuedUsage[];
  error?: string;
}

/** Dependencies of {@link createSqliteUsageLedger}. */
export interface SqliteUsageLedgerDependencies {
  now?: () => number;
  /** Where failures go. @default one JSON line per entry on stderr */
  log?: (entry: UsageLedgerLogEntry) => void;
  /** Most queued usage rows (user × day, and user × day × model) before a settle writes synchronously. @default 10000 */
  maxPendingRows?: number;
  /** Consecutive failed writes (other than a busy database) before queued usage is given up and logged. @default 10 */
  maxFailedWrites?: number;
}

/** Usage of one user on one UTC day that is not in the database yet. */
export interface QueuedUsage {
  userId: string;
  day: string;
  requests: number;
  calls: Record<string, ModelCostSummary>;
}

const jsonLineLog = (entry: UsageLedgerLogEntry): void => void process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);

/** SQLITE_BUSY / SQLITE_LOCKED (and their extended codes): another connection holds the lock; retrying works. */
const isBusy = (error: unknown): boolean => {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
};

const RETRY_BASE_MS = 10;
const RETRY_MAX_MS = 1_000;

/**
 * Settled spend per user, per UTC day and model, in the demo's SQLite file, so every server process
 * on the file adds to the same rows and `/v1/usage` survives restarts. Rows are day buckets
 * (bounded: users × days × models), enough to sum days, weeks (from Monday) and months in UTC.
 *
 * Writes never run on the request path: `settle` adds the request to an in-memory queue (coalesced
 * per user, day and model, bounded by `maxPendingRows`) and a write of the whole queue runs right
 * after, in one transaction that does not wait for locks (busy timeout 0). While another connection
 * holds the write lock the queue is retried with backoff (10 ms doubling to 1 s), so a locked file
 * never blocks other requests and no acknowledged usage is dropped; `summary` adds what is queued.
 * Other failures are logged as JSON lines and retried `maxFailedWrites` times, then the unwritten rows
 * are logged in full and given up. `close` makes a final, waiting write.
 */
export function createSqliteUsageLedger(database: Database.Database, dependencies: SqliteUsageLedgerDependencies = {}): SyncUsageLedger & { readonly pending: number } {
  const now = dependencies.now ?? Date.now;
  const log = dependencies.log ?? jsonLineLog;
  const maxPendingRows = dependencies.maxPendingRows ?? 10_000;
  const maxFailedWrites = dependencies.maxFailedWrites ?? 10;
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
  const addRequests = database.prepare(`INSERT INTO demo_usage_requests (user_id, day, requests) VALUES (?, ?, ?)
    ON CONFLICT (user_id, day) DO UPDATE SET requests = requests + excluded.requests`);
  const addCalls = database.prepare(`INSERT INTO demo_usage_calls (user_id, day, model_id, calls, cost_usd, input_tokens, output_tokens) VALUES (?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (user_id, day, model_id) DO UPDATE SET calls = calls + excluded.calls, cost_usd = cost_usd + excluded.cost_usd,
      input_tokens = input_tokens + excluded.input_tokens, output_tokens = output_tokens + excluded.output_tokens`);
  const spendOf = database.prepare(`SELECT model_id, SUM(calls) AS calls, SUM(cost_usd) AS cost_usd, SUM(input_tokens) AS input_tokens, SUM(output_tokens) AS output_tokens,
      SUM(CASE WHEN day >= ? THEN cost_usd ELSE 0 END) AS monthly_usd,
      SUM(CASE WHEN day >= ? THEN cost_usd ELSE 0 END) AS weekly_usd,
      SUM(CASE WHEN day >= ? THEN cost_usd ELSE 0 END) AS daily_usd
    FROM demo_usage_calls WHERE user_id = ? GROUP BY model_id ORDER BY model_id`);
  const requestsOf = database.prepare('SELECT COALESCE(SUM(requests), 0) AS requests FROM demo_usage_requests WHERE user_id = ?').pluck();
  const writeAll = database.transaction((entries: Iterable<QueuedUsage>) => {
    for (const entry of entries) {
      if (entry.requests > 0) addRequests.run(entry.userId, entry.day, entry.requests);
      for (const [modelId, call] of Object.entries(entry.calls)) addCalls.run(entry.userId, entry.day, modelId, call.calls, call.costUsd, call.inputTokens, call.outputTokens);
    }
  });
  // One snapshot for both reads (WAL): requests and spend agree even while other processes write.
  const read = database.transaction((userId: string, starts: readonly string[]) => ({
    rows: spendOf.all(...starts, userId).map((row) => spendRowSchema.parse(row)),
    requests: z.number().parse(requestsOf.get(userId)),
  }));

  /** Queued usage by `user \0 day`; `pendingRows` counts its request and model rows (the bound). */
  let queue = new Map<string, QueuedUsage>();
  let pendingRows = 0;
  let timer: NodeJS.Timeout | undefined;
  let scheduled = false;
  let attempt = 0;
  let failedWrites = 0;
  let busySince: number | undefined;
  let closed = false;

  function enqueue(userId: string, info: SettleInfo): void {
    const day = utcDay(now());
    const key = `${userId}\u0000${day}`;
    let entry = queue.get(key);
    if (!entry) {
      entry = { userId, day, requests: 0, calls: {} };
      queue.set(key, entry);
      pendingRows++;
    }
    entry.requests++;
    const calls = info.calls ?? (info.costUsd > 0 ? [{ modelId: 'unknown', usage: info.usage, costUsd: info.costUsd }] : []);
    for (const call of calls) {
      let sum = entry.calls[call.modelId];
      if (!sum) {
        sum = entry.calls[call.modelId] = { calls: 0, costUsd: 0, inputTokens: 0, outputTokens: 0 };
        pendingRows++;
      }
      sum.calls++;
      sum.costUsd += call.costUsd;
      sum.inputTokens += Math.round(call.usage.inputTokens);
      sum.outputTokens += Math.round(call.usage.outputTokens);
    }
  }

  /** One write of the whole queue. `wait`: use the connection's busy timeout (shutdown, overflow); otherwise fail fast. True when the queue is empty. */
  function writeQueue(wait: boolean): boolean {
    if (queue.size === 0) return true;
    const busyTimeout = wait ? undefined : database.pragma('busy_timeout', { simple: true });
    try {
      if (!wait) database.pragma('busy_timeout = 0');
      writeAll.immediate(queue.values());
      queue = new Map();
      pendingRows = 0;
      attempt = 0;
      failedWrites = 0;
      busySince = undefined;
      return true;
    } catch (error) {
      attempt++;
      const message = error instanceof Error ? error.message : String(error);
      if (isBusy(error)) {
        if (busySince === undefined) log({ event: 'usage-ledger', level: 'warn', message: 'database locked by another connection: usage stays queued and is retried', pending: pendingRows, error: message });
        busySince ??= now();
        return false;
      }
      failedWrites++;
      log({ event: 'usage-ledger', level: 'error', message: `writing usage failed (${failedWrites} of ${maxFailedWrites})`, pending: pendingRows, error: message });
      if (failedWrites >= maxFailedWrites) giveUp('usage given up after repeated failed writes');
      return false;
    } finally {
      if (busyTimeout !== undefined) database.pragma(`busy_timeout = ${Number(busyTimeout)}`);
    }
  }

  function giveUp(message: string): void {
    log({ event: 'usage-ledger', level: 'error', message, pending: pendingRows, rows: [...queue.values()] });
    queue = new Map();
    pendingRows = 0;
    failedWrites = 0;
  }

  function schedule(): void {
    if (scheduled || closed) return;
    scheduled = true;
    const run = (): void => {
      scheduled = false;
      timer = undefined;
      if (!writeQueue(false) && queue.size > 0) schedule();
    };
    if (attempt === 0) {
      setImmediate(run);
      return;
    }
    const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (attempt - 1));
    timer = setTimeout(run, delay / 2 + Math.random() * (delay / 2));
    timer.unref(); // close() flushes; a queued retry must not keep the process alive
  }

  function settle(userId: string, info: SettleInfo): void {
    enqueue(userId, info);
    if (closed) {
      if (!writeQueue(true)) giveUp('usage recorded after close could not be written');
      return;
    }
    if (pendingRows > maxPendingRows) {
      // Backpressure, only after a long outage: one waiting write rather than an unbounded queue.
      if (!writeQueue(true)) giveUp(`more than ${maxPendingRows} usage rows queued and the database still refuses writes`);
      return;
    }
    schedule();
  }

  const ledger = {
    kind: 'sqlite' as const,
    get pending() {
      return pendingRows;
    },
    middleware: {
      name: 'usage-ledger',
      admit(context) {
        const userId = userOf(context);
        if (userId === undefined) return { allowed: true };
        return { allowed: true, reservation: { settle: (info) => settle(userId, info) } };
      },
    } satisfies CascadeMiddleware,
    summary(userId: string): UsageSummary {
      const at = now();
      const starts = (['month', 'week', 'day'] as const).map((period) => utcDay(calendarPeriod(at, period, 'UTC', 1).start));
      const { rows, requests } = read(userId, starts);
      const summary: UsageSummary = { requests, dailyUsd: 0, weeklyUsd: 0, monthlyUsd: 0, totalUsd: 0, byModel: {} };
      const byModel: Record<string, ModelCostSummary> = {};
      for (const row of rows) {
        summary.dailyUsd += row.daily_usd;
        summary.weeklyUsd += row.weekly_usd;
        summary.monthlyUsd += row.monthly_usd;
        summary.totalUsd += row.cost_usd;
        byModel[row.model_id] = { calls: row.calls, costUsd: row.cost_usd, inputTokens: row.input_tokens, outputTokens: row.output_tokens };
      }
      // Queued usage counts as recorded: it was acknowledged and will be written.
      addQueuedUsage(summary, byModel, queue.values(), userId, starts);
      return { ...summary, byModel: Object.fromEntries(Object.entries(byModel).sort(([a], [b]) => (a < b ? -1 : 1))) };
    },
    async flush(options: { timeoutMs?: number } = {}) {
      const deadline = Date.now() + (options.timeoutMs ?? 5_000);
      let tries = 0;
      while (!writeQueue(false) && queue.size > 0 && Date.now() < deadline) {
        tries++;
        await sleep(Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.min(tries, 7), Math.max(0, deadline - Date.now())));
      }
      return { pending: pendingRows };
    },
    close() {
      if (closed) return;
      closed = true;
      clearTimeout(timer);
      if (!writeQueue(true) && queue.size > 0) giveUp('usage not written at shutdown');
    },
  };
  return ledger;
}

/**
 * Adds `userId`'s usage still queued for the database to a summary (and its per-model costs), with
 * the month/week/day windows starting on the UTC days `starts` ([month, week, day]).
 */
export function addQueuedUsage(summary: UsageSummary, byModel: Record<string, ModelCostSummary>, queued: Iterable<QueuedUsage>, userId: string, starts: readonly string[]): void {
  for (const entry of queued) {
    if (entry.userId !== userId) continue;
    summary.requests += entry.requests;
    for (const [modelId, call] of Object.entries(entry.calls)) {
      summary.totalUsd += call.costUsd;
      if (entry.day >= starts[0]!) summary.monthlyUsd += call.costUsd;
      if (entry.day >= starts[1]!) summary.weeklyUsd += call.costUsd;
      if (entry.day >= starts[2]!) summary.dailyUsd += call.costUsd;
      const known = byModel[modelId];
      byModel[modelId] = known
        ? { calls: known.calls + call.calls, costUsd: known.costUsd + call.costUsd, inputTokens: known.inputTokens + call.inputTokens, outputTokens: known.outputTokens + call.outputTokens }
        : { ...call };
    }
  }
}
