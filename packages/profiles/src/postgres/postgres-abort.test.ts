import { randomBytes } from 'node:crypto';
import { CascadeError } from '@cascade/core';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { UserProfile } from '../profile/user-profile';
import { TIER_PRESETS } from '../tier/tier-presets';
import { type PostgresProfileStore, createPostgresProfileStore } from './postgres-profile-store';

const DATABASE_URL = process.env['DATABASE_URL'];
if (!DATABASE_URL && process.env['CI'] === 'true') {
  throw new Error('DATABASE_URL is not set: under CI=true the PostgreSQL abort tests must run. Point it at a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/test.');
}
if (!DATABASE_URL) {
  console.warn('Skipping PostgreSQL abort tests: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run them.');
}

/** A unique schema per run, dropped at the end. */
const schema = `abort_${process.pid}_${randomBytes(4).toString('hex')}`;

/** A pool whose clients count the statements they are given (and can hold back a statement's result). */
interface CountingPool {
  pool: pg.Pool;
  statements: string[];
  /** Called with each statement's result before the caller sees it. */
  afterResult?: ((text: string) => Promise<void>) | undefined;
}

function countingPool(max = 3): CountingPool {
  const counting: CountingPool = { pool: new pg.Pool({ connectionString: DATABASE_URL!, max }), statements: [] };
  counting.pool.on('error', () => undefined);
  counting.pool.on('connect', (client) => {
    const original = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as { query: unknown }).query = (text: unknown, ...rest: unknown[]) => {
      counting.statements.push(typeof text === 'string' ? text : String((text as { text?: unknown }).text));
      // pool.query passes a callback: leave that form alone.
      if (typeof text !== 'string' || rest.some((arg) => typeof arg === 'function')) return original(text, ...rest);
      return (async () => {
        const result = await (original(text, ...rest) as Promise<pg.QueryResult>);
        await counting.afterResult?.(text);
        return result;
      })();
    };
  });
  return counting;
}

function expectIdle(pool: pg.Pool): void {
  expect(pool.waitingCount).toBe(0);
  expect(pool.idleCount).toBe(pool.totalCount);
}

async function codeOf(promise: Promise<unknown>): Promise<CascadeError> {
  try {
    await promise;
  } catch (error) {
    expect(CascadeError.isInstance(error)).toBe(true);
    return error as CascadeError;
  }
  throw new Error('expected a rejection');
}

describe.skipIf(!DATABASE_URL)('PostgreSQL profile store: honest abort', () => {
  let admin: pg.Client;
  const pools: pg.Pool[] = [];
  const stores: PostgresProfileStore[] = [];
  let tableCounter = 0;

  function open(pool: pg.Pool, extra: { cancelTimeoutMs?: number; cancelConnection?: string } = {}): { store: PostgresProfileStore; table: string } {
    const tableName = `t${++tableCounter}`;
    const { cancelConnection, ...config } = extra;
    const store = createPostgresProfileStore({ tableName, schema, ...config }, { pool, ...(cancelConnection ? { cancelConnection } : {}) });
    stores.push(store);
    return { store, table: `"${schema}"."${tableName}"` };
  }

  /** Opens a transaction that holds `userId`'s row locked, until the returned function commits it. */
  async function lockRow(table: string, userId: string): Promise<() => Promise<void>> {
    const locker = new pg.Client({ connectionString: DATABASE_URL! });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query(`SELECT 1 FROM ${table} WHERE user_id = $1 FOR UPDATE`, [userId]);
    return async () => {
      await locker.query('COMMIT');
      await locker.end();
    };
  }

  /** Waits until a statement on `table` waits for a lock. */
  async function waitUntilBlocked(table: string): Promise<void> {
    for (let attempt = 0; attempt < 200; attempt++) {
      const { rows } = await admin.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid() AND position($1 in query) > 0`,
        [table],
      );
      if (rows[0]!.n > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no statement on ${table} got blocked`);
  }

  /** Statements still running on `table` (a cancelled one must be gone). */
  async function running(table: string): Promise<number> {
    const { rows } = await admin.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE state = 'active' AND pid <> pg_backend_pid() AND position($1 in query) > 0`,
      [table],
    );
    return rows[0]!.n;
  }

  beforeAll(async () => {
    admin = new pg.Client({ connectionString: DATABASE_URL! });
    await admin.connect();
  });

  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close();
    for (const pool of pools.splice(0)) await pool.end();
  });

  afterAll(async () => {
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  });

  it('cancels a save held by a row lock: ABORTED, and after the lock is released the row is unchanged', async () => {
    const counting = countingPool();
    pools.push(counting.pool);
    const { store, table } = open(counting.pool);
    await store.save(UserProfile.fromTier('free', 'held'));
    const unlock = await lockRow(table, 'held');
    const controller = new AbortController();
    const saving = store.save(UserProfile.fromTier('business', 'held'), { abortSignal: controller.signal });
    try {
      await waitUntilBlocked(table);
      const connections = counting.pool.totalCount;
      controller.abort();
      const error = await codeOf(saving);
      expect(error.code).toBe('ABORTED');
      // The cancel was consumed by the statement (57014): the client went back to the pool, not closed.
      expect(counting.pool.totalCount).toBe(connections);
      // The statement is gone from the server before the call rejected, while the lock is still held.
      expect(await running(table)).toBe(0);
    } finally {
      await unlock();
    }
    expect((await store.load('held'))?.tier).toBe(TIER_PRESETS.free);
    // The pool is healthy: the cancelled client went back clean, later calls work.
    expectIdle(counting.pool);
    await store.save(UserProfile.fromTier('pro', 'held'));
    expect((await store.load('held'))?.tier).toBe(TIER_PRESETS.pro);
    expectIdle(counting.pool);
  });

  it('on the pool it opens itself too', async () => {
    const store = createPostgresProfileStore({ connectionString: DATABASE_URL!, tableName: 'own', schema, maxConnections: 2 });
    stores.push(store);
    const table = `"${schema}"."own"`;
    await store.save(UserProfile.fromTier('free', 'held'));
    const unlock = await lockRow(table, 'held');
    const controller = new AbortController();
    const saving = store.save(UserProfile.fromTier('business', 'held'), { abortSignal: controller.signal });
    try {
      await waitUntilBlocked(table);
      controller.abort();
      expect((await codeOf(saving)).code).toBe('ABORTED');
    } finally {
      await unlock();
    }
    expect((await store.load('held'))?.tier).toBe(TIER_PRESETS.free);
    // Both connections of the pool still serve calls.
    await Promise.all([store.save(UserProfile.fromTier('pro', 'a')), store.save(UserProfile.fromTier('pro', 'b')), store.load('held')]);
  });

  it('a timeout signal takes the same path: TIMEOUT, write not landed', async () => {
    const counting = countingPool();
    pools.push(counting.pool);
    const { store, table } = open(counting.pool);
    await store.save(UserProfile.fromTier('free', 'slow'));
    const unlock = await lockRow(table, 'slow');
    try {
      const error = await codeOf(store.save(UserProfile.fromTier('business', 'slow'), { abortSignal: AbortSignal.timeout(300) }));
      expect(error.code).toBe('TIMEOUT');
      expect(await running(table)).toBe(0);
    } finally {
      await unlock();
    }
    expect((await store.load('slow'))?.tier).toBe(TIER_PRESETS.free);
    expectIdle(counting.pool);
  });

  it('an abort before the statement is sent touches nothing', async () => {
    const counting = countingPool(2);
    pools.push(counting.pool);
    const { store } = open(counting.pool);
    await store.load('warm'); // creates the table
    counting.statements.length = 0;
    let acquired = 0;
    counting.pool.on('acquire', () => acquired++);

    // Already aborted: no checkout, no statement.
    expect((await codeOf(store.save(UserProfile.fromTier('pro', 'never'), { abortSignal: AbortSignal.abort() }))).code).toBe('ABORTED');
    expect(acquired).toBe(0);

    // Aborted while waiting for a connection: the client that arrives later goes back unused.
    const held = await Promise.all([counting.pool.connect(), counting.pool.connect()]);
    acquired = 0;
    const controller = new AbortController();
    const saving = store.save(UserProfile.fromTier('pro', 'never'), { abortSignal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(counting.pool.waitingCount).toBe(1);
    controller.abort();
    expect((await codeOf(saving)).code).toBe('ABORTED');
    for (const client of held) client.release();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(acquired).toBe(1); // handed to the abandoned checkout, returned unused
    expect(counting.statements).toEqual([]);
    expectIdle(counting.pool);
    expect(await store.load('never')).toBeUndefined();
  });

  it('a statement that committed before the cancel took effect resolves: the write landed', async () => {
    const counting = countingPool();
    pools.push(counting.pool);
    const { store, table } = open(counting.pool);
    await store.save(UserProfile.fromTier('free', 'race'));
    counting.statements.length = 0;
    const connectionsBefore = counting.pool.totalCount;
    const controller = new AbortController();
    // The abort fires after the server committed, before the store sees the result.
    counting.afterResult = async (text) => {
      if (!text.startsWith('INSERT') || controller.signal.aborted) return;
      controller.abort();
      await new Promise((resolve) => setTimeout(resolve, 100));
    };
    await expect(store.save(UserProfile.fromTier('business', 'race'), { abortSignal: controller.signal })).resolves.toBeUndefined();
    counting.afterResult = undefined;
    expect(controller.signal.aborted).toBe(true);
    expect(counting.statements.filter((text) => text.startsWith('INSERT'))).toHaveLength(1);
    // The client a cancel may still be pending on was closed, not given back.
    expect(counting.pool.totalCount).toBe(connectionsBefore - 1);
    expect((await store.load('race'))?.tier).toBe(TIER_PRESETS.business);
    // Later statements are not hit by a stale cancel.
    expectIdle(counting.pool);
    for (let round = 0; round < 5; round++) await store.save(UserProfile.fromTier('pro', `after_${round}`));
    expect(await running(table)).toBe(0);
  });

  it('cancels a transactional saveMany mid-way: nothing of it lands', async () => {
    const counting = countingPool();
    pools.push(counting.pool);
    const { store, table } = open(counting.pool);
    await store.save(UserProfile.fromTier('free', 'bulk_7000'));
    const unlock = await lockRow(table, 'bulk_7000'); // in the second chunk of 5000
    const controller = new AbortController();
    const saving = store.saveMany(
      Array.from({ length: 12_000 }, (_, index) => UserProfile.fromTier('pro', `bulk_${index}`)),
      { abortSignal: controller.signal },
    );
    try {
      await waitUntilBlocked(table);
      controller.abort();
      expect((await codeOf(saving)).code).toBe('ABORTED');
      expect(await running(table)).toBe(0);
    } finally {
      await unlock();
    }
    expect(await store.load('bulk_0')).toBeUndefined(); // the first chunk was rolled back
    expect((await store.load('bulk_7000'))?.tier).toBe(TIER_PRESETS.free);
    expect(counting.statements).toContain('ROLLBACK');
    expect(counting.statements).not.toContain('COMMIT');
    expectIdle(counting.pool);
  });

  it('reports a cancel it could not deliver as STORE_FAILED outcome unknown (the write may land later)', async () => {
    const counting = countingPool();
    pools.push(counting.pool);
    const { store, table } = open(counting.pool, { cancelTimeoutMs: 400, cancelConnection: 'postgres://postgres@127.0.0.1:1/none' });
    await store.save(UserProfile.fromTier('free', 'lost'));
    const unlock = await lockRow(table, 'lost');
    const controller = new AbortController();
    const saving = store.save(UserProfile.fromTier('business', 'lost'), { abortSignal: controller.signal });
    let error: CascadeError;
    try {
      await waitUntilBlocked(table);
      controller.abort();
      error = await codeOf(saving);
    } finally {
      await unlock();
    }
    expect(error.code).toBe('STORE_FAILED');
    expect(error.details).toEqual({ aborted: true, outcome: 'unknown' });
    // Closing the connection does not stop a statement waiting on a lock: it commits once the lock goes.
    for (let attempt = 0; attempt < 100 && (await running(table)) > 0; attempt++) await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await store.load('lost'))?.tier).toBe(TIER_PRESETS.business);
    expectIdle(counting.pool);
  });
});
