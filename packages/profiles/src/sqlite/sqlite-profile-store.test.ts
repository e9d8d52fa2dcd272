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
