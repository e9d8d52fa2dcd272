import { randomBytes } from 'node:crypto';
import { CascadeError } from '@cascade/core';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createProfileManager } from '../manager/profile-manager';
import { UserProfile } from '../profile/user-profile';
import { describeConcurrentUpdates } from '../store/__fixtures__/concurrent-updates';
import { describeProfileStoreContract } from '../store/__fixtures__/store-contract';
import { TIER_PRESETS } from '../tier/tier-presets';
import { type PostgresProfileStore, createPostgresProfileStore } from './postgres-profile-store';

const DATABASE_URL = process.env['DATABASE_URL'];
if (!DATABASE_URL && process.env['CI'] === 'true') {
  throw new Error('DATABASE_URL is not set: under CI=true the PostgreSQL profile store tests must run. Point it at a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/test.');
}
if (!DATABASE_URL) {
  console.warn('Skipping PostgreSQL profile store tests: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run them.');
}

/** A unique table per run, so parallel runs never clash; every table is dropped at the end. */
const runId = `${process.pid}_${randomBytes(4).toString('hex')}`;
const stores: PostgresProfileStore[] = [];
function openStore(suffix: string, extra: { schema?: string } = {}): PostgresProfileStore {
  const store = createPostgresProfileStore({ connectionString: DATABASE_URL!, tableName: `profiles_test_${runId}_${suffix}`, maxConnections: 4, ...extra });
  stores.push(store);
  return store;
}

describe.skipIf(!DATABASE_URL)('createPostgresProfileStore', () => {
  afterAll(async () => {
    for (const store of stores) {
      await store.dropTable().catch(() => undefined);
      await store.close();
    }
    const admin = new pg.Client({ connectionString: DATABASE_URL! });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS "schema_${runId}" CASCADE`);
    await admin.end();
  });

  describeProfileStoreContract('PostgreSQL', async () => openStore('contract'), async () => undefined);
  // Each manager gets its own store and pool on one table, like separate app servers.
  describeConcurrentUpdates('PostgreSQL', async () => openStore('cas'), async () => undefined);

  it('refuses a row whose data names another user, on load and through the manager', async () => {
    const store = openStore('swapped');
    await store.save(UserProfile.fromTier('enterprise', 'f1'));
    const admin = new pg.Client({ connectionString: DATABASE_URL! });
    await admin.connect();
    await admin.query(`INSERT INTO "profiles_test_${runId}_swapped" (user_id, schema_version, tier, data) SELECT 'c3', schema_version, tier, data FROM "profiles_test_${runId}_swapped" WHERE user_id = 'f1'`);
    await admin.end();
    for (const load of [() => store.load('c3'), () => store.loadVersioned('c3'), () => createProfileManager({}, { store }).get('c3'), () => createProfileManager({}, { store }).updateTier('c3', 'pro')]) {
      const error = await load().then(() => undefined, (caught: unknown) => caught);
      expect(CascadeError.isInstance(error) && error.code).toBe('INVALID_CONFIG');
      expect((error as Error).message).toMatch(/"c3"[\s\S]*"f1"/);
      expect((error as CascadeError).details).toMatchObject({ userId: 'c3', storedUserId: 'f1', reason: 'user_id_mismatch' });
    }
    expect((await store.load('f1'))?.tier).toBe(TIER_PRESETS.enterprise);
  });

  it('migrate adds the version column to a table of an older release', async () => {
    const tableName = `profiles_test_${runId}_old`;
    const admin = new pg.Client({ connectionString: DATABASE_URL! });
    await admin.connect();
    await admin.query(`CREATE TABLE "${tableName}" (user_id text PRIMARY KEY, schema_version integer NOT NULL, tier text NOT NULL, data jsonb NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`);
    await admin.query(`INSERT INTO "${tableName}" (user_id, schema_version, tier, data) VALUES ('veteran', 1, 'starter', $1::jsonb)`, [JSON.stringify(UserProfile.fromTier('starter', 'veteran').toJSON())]);
    await admin.end();
    const [first, second] = [openStore('old'), openStore('old')];
    await Promise.all([first.migrate(), second.migrate()]); // two servers migrating at once
    expect(await first.loadVersioned('veteran')).toMatchObject({ version: 0 });
    const managers = [first, second].map((store) => createProfileManager({}, { store }));
    await Promise.all([managers[0]!.updateTier('veteran', 'pro'), managers[1]!.update('veteran', (current) => current.with({ roles: ['owner'] }))]);
    expect((await second.load('veteran'))?.toJSON()).toMatchObject({ tier: 'pro', roles: ['owner'] });
  });

  it('shares profiles between managers (app servers) and keeps writes', async () => {
    const store = openStore('shared');
    const serverA = createProfileManager({}, { store });
    const serverB = createProfileManager({}, { store: openStore('shared') });
    const created = await Promise.all([serverA.get('newcomer'), serverB.get('newcomer')]);
    expect(created[0].toJSON()).toEqual(created[1].toJSON());
    await serverA.updateTier('newcomer', 'business');
    serverB.invalidate('newcomer');
    expect((await serverB.get('newcomer')).tier).toBe(TIER_PRESETS.business);
  });

  it('concurrent default-profile creates on many servers all return the one stored profile', async () => {
    const servers = Array.from({ length: 8 }, () => openStore('race'));
    await servers[0]!.migrate();
    for (let round = 0; round < 10; round++) {
      const userId = `racer-${round}`;
      const created = await Promise.all(servers.map((store, index) => store.create(UserProfile.create({ userId, tier: 'free', createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, index)).toISOString() }))));
      const stored = (await servers[0]!.load(userId))!.toJSON();
      for (const profile of created) expect(profile.toJSON()).toEqual(stored);
    }
  });

  it('works in its own schema and with your pool', async () => {
    const pool = new pg.Pool({ connectionString: DATABASE_URL!, max: 2 });
    try {
      const store = createPostgresProfileStore({ tableName: `profiles_test_${runId}_pool`, schema: `schema_${runId}` }, { pool });
      await store.migrate();
      await store.save(UserProfile.fromTier('starter', 'p'));
      expect((await store.load('p'))?.tier).toBe(TIER_PRESETS.starter);
      await store.close(); // leaves your pool open
      expect((await pool.query('SELECT 1 AS one')).rows[0]).toEqual({ one: 1 });
      await store.dropTable();
    } finally {
      await pool.end();
    }
  });

  it('saves more than one statement worth of profiles atomically', async () => {
    const store = openStore('big');
    const profiles = Array.from({ length: 12_000 }, (_, index) => UserProfile.fromTier('pro', `big_${index}`));
    await store.saveMany(profiles);
    expect((await store.load('big_11999'))?.tier).toBe(TIER_PRESETS.pro);
  });

  it('names the bad field of a bad row', async () => {
    const store = openStore('bad');
    await store.migrate();
    const admin = new pg.Client({ connectionString: DATABASE_URL! });
    await admin.connect();
    await admin.query(`INSERT INTO "profiles_test_${runId}_bad" (user_id, schema_version, tier, data) VALUES ($1, 1, 'pro', $2::jsonb)`, [
      'bad',
      JSON.stringify({ schemaVersion: 1, userId: 'bad', tier: 'pro', governance: { dataRetentionDays: -3 } }),
    ]);
    await admin.end();
    try {
      await store.load('bad');
      expect.unreachable();
    } catch (error) {
      expect(CascadeError.isInstance(error) && error.code).toBe('INVALID_CONFIG');
      expect((error as Error).message).toMatch(/governance\.dataRetentionDays/);
    }
  });

  it('reports an unreachable server as retryable STORE_FAILED', async () => {
    const store = createPostgresProfileStore({ connectionString: 'postgres://postgres@127.0.0.1:1/none', maxConnections: 1 });
    try {
      await store.load('x');
      expect.unreachable();
    } catch (error) {
      expect(CascadeError.isInstance(error) && error.code).toBe('STORE_FAILED');
      expect((error as CascadeError).retryable).toBe(true);
    } finally {
      await store.close();
    }
  });
});

describe('createPostgresProfileStore config', () => {
  it('rejects bad config naming the field', () => {
    expect(() => createPostgresProfileStore({})).toThrowError(/connectionString/);
    expect(() => createPostgresProfileStore({ connectionString: 'postgres://x', tableName: 'a-b' })).toThrowError(/tableName/);
  });
});
