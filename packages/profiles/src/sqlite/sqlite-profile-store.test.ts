import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CascadeError } from '@cascade/core';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createProfileManager } from '../manager/profile-manager';
import { UserProfile } from '../profile/user-profile';
import { describeProfileStoreContract } from '../store/__fixtures__/store-contract';
import { TIER_PRESETS } from '../tier/tier-presets';
import { type SqliteProfileStore, createSqliteProfileStore } from './sqlite-profile-store';

const directory = mkdtempSync(join(tmpdir(), 'cascade-profiles-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describeProfileStoreContract(
  'SQLite',
  async () => createSqliteProfileStore({ filename: join(directory, 'contract.db') }),
  async (store) => (store as SqliteProfileStore).close(),
);

describe('createSqliteProfileStore', () => {
  it('persists across reopening the file (durable once acknowledged)', async () => {
    const filename = join(directory, 'durable.db');
    const writer = createSqliteProfileStore({ filename, tableName: 'profiles_v1' });
    await writer.save(UserProfile.fromTier('business', 'durable'));
    expect(writer.database.pragma('synchronous', { simple: true })).toBe(2); // FULL
    await writer.close();
    const reader = createSqliteProfileStore({ filename, tableName: 'profiles_v1' });
    expect((await reader.load('durable'))?.tier).toBe(TIER_PRESETS.business);
    await reader.close();
  });

  it('backs a manager end to end', async () => {
    const store = createSqliteProfileStore({ filename: join(directory, 'manager.db') });
    const manager = createProfileManager({}, { store });
    expect((await manager.get('m')).tier).toBe(TIER_PRESETS.free);
    await manager.updateTier('m', 'pro');
    const other = createProfileManager({}, { store });
    expect((await other.get('m')).tier).toBe(TIER_PRESETS.pro);
    await store.close();
  });

  it('reads v0.2.0 rows and names the bad field of bad rows', async () => {
    const database = new Database(join(directory, 'bad.db'));
    const store = createSqliteProfileStore({}, { database });
    database.prepare('INSERT INTO cascade_profiles (user_id, schema_version, tier, data, updated_at) VALUES (?, 0, ?, ?, 0)').run('legacy', 'free', JSON.stringify({ user_id: 'legacy', budget: { daily: 3 } }));
    database.prepare('INSERT INTO cascade_profiles (user_id, schema_version, tier, data, updated_at) VALUES (?, 1, ?, ?, 0)').run('broken', 'pro', JSON.stringify({ schemaVersion: 1, userId: 'broken', tier: 'pro', preferences: { maxRetries: 'many' } }));
    database.prepare('INSERT INTO cascade_profiles (user_id, schema_version, tier, data, updated_at) VALUES (?, 1, ?, ?, 0)').run('garbage', 'pro', '{not json');
    expect((await store.load('legacy'))?.effectiveBudget()).toEqual({ dailyUsd: 3 });
    for (const [userId, pattern] of [['broken', /preferences\.maxRetries/], ['garbage', /not JSON/]] as const) {
      try {
        await store.load(userId);
        expect.unreachable();
      } catch (error) {
        expect(CascadeError.isInstance(error) && error.code).toBe('INVALID_CONFIG');
        expect((error as Error).message).toMatch(pattern);
      }
    }
    await store.close();
    expect(database.open).toBe(true); // a database you pass stays yours
    database.close();
  });

  it('refuses a row whose data names another user, on load and through the manager (no default, no billing as the other user)', async () => {
    const database = new Database(join(directory, 'swapped.db'));
    const store = createSqliteProfileStore({}, { database });
    await store.save(UserProfile.fromTier('enterprise', 'f1'));
    // Someone copies f1's data under c3's key.
    database.prepare('INSERT INTO cascade_profiles (user_id, schema_version, tier, data, updated_at) SELECT ?, schema_version, tier, data, updated_at FROM cascade_profiles WHERE user_id = ?').run('c3', 'f1');
    for (const load of [() => store.load('c3'), () => store.loadVersioned('c3'), () => createProfileManager({}, { store }).get('c3'), () => createProfileManager({}, { store }).updateTier('c3', 'pro')]) {
      const error = await load().then(() => undefined, (caught: unknown) => caught);
      expect(CascadeError.isInstance(error) && error.code).toBe('INVALID_CONFIG');
      expect((error as Error).message).toMatch(/"c3"[\s\S]*"f1"/);
      expect((error as CascadeError).details).toMatchObject({ userId: 'c3', storedUserId: 'f1', reason: 'user_id_mismatch' });
      expect((error as CascadeError).details?.['detail']).toBe((error as Error).message);
    }
    expect(JSON.parse(database.prepare('SELECT data FROM cascade_profiles WHERE user_id = ?').pluck().get('c3') as string)).toMatchObject({ userId: 'f1', tier: 'enterprise' }); // untouched
    await store.close();
    database.close();
  });

  it('adds the version column to a table of an older release and updates its rows', async () => {
    const filename = join(directory, 'old-release.db');
    const old = new Database(filename);
    old.exec('CREATE TABLE cascade_profiles (user_id TEXT PRIMARY KEY NOT NULL, schema_version INTEGER NOT NULL, tier TEXT NOT NULL, data TEXT NOT NULL, updated_at INTEGER NOT NULL)');
    old.prepare('INSERT INTO cascade_profiles VALUES (?, 1, ?, ?, 0)').run('veteran', 'starter', JSON.stringify(UserProfile.fromTier('starter', 'veteran').toJSON()));
    old.close();
    const [first, second] = [createSqliteProfileStore({ filename }), createSqliteProfileStore({ filename })];
    expect(await first.loadVersioned('veteran')).toMatchObject({ version: 0 });
    const managers = [first, second].map((store) => createProfileManager({}, { store }));
    await Promise.all([managers[0]!.updateTier('veteran', 'pro'), managers[1]!.update('veteran', (current) => current.with({ roles: ['owner'] }))]);
    expect((await second.load('veteran'))?.toJSON()).toMatchObject({ tier: 'pro', roles: ['owner'] });
    await first.close();
    await second.close();
  });

  it('reports database failures as STORE_FAILED', async () => {
    const store = createSqliteProfileStore({ filename: join(directory, 'closed.db') });
    await store.close();
    try {
      await store.save(UserProfile.fromTier('pro', 'x'));
      expect.unreachable();
    } catch (error) {
      expect(CascadeError.isInstance(error) && error.code).toBe('STORE_FAILED');
    }
  });

  it('rejects bad config naming the field', () => {
    expect(() => createSqliteProfileStore({ filename: 'x.db', tableName: 'drop table; --' })).toThrowError(/tableName/);
    expect(() => createSqliteProfileStore({})).toThrowError(/filename/);
    const notADatabase = join(directory, 'not-a-db');
    writeFileSync(notADatabase, 'plain text, not sqlite');
    expect(() => createSqliteProfileStore({ filename: notADatabase })).toThrowError(/STORE_FAILED|not a database|failed/);
  });
});
