import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { hashApiKey } from './api-key';
import { createApiKeyStore } from './api-key-store';

let database: Database.Database | undefined;
const users = new Set(['alice', 'bob']);
afterEach(() => database?.close());

describe('API key store', () => {
  it('stores only the SHA-256 of a key and authenticates it', () => {
    database = new Database(':memory:');
    const keys = createApiKeyStore(database, { userExists: (userId) => users.has(userId) });
    const { key, record } = keys.create('alice', 'laptop');
    expect(key).toMatch(/^csk_[A-Za-z0-9_-]{43}$/);
    const dump = JSON.stringify(database.prepare('SELECT * FROM demo_api_keys').all());
    expect(dump).not.toContain(key);
    expect(dump).toContain(hashApiKey(key));
    expect(keys.authenticate(key)).toEqual({ userId: 'alice', keyId: record.id });
    expect(keys.authenticate(`${key}x`)).toBeUndefined();
    expect(keys.list('alice')[0]!.hint).toBe(`${key.slice(0, 8)}…`);
  });

  it('forgets revoked keys', () => {
    database = new Database(':memory:');
    const keys = createApiKeyStore(database, { userExists: (userId) => users.has(userId) });
    const { key, record } = keys.create('bob');
    expect(keys.revoke(record.id)).toBe(true);
    expect(keys.authenticate(key)).toBeUndefined();
    expect(keys.revoke(record.id)).toBe(false);
  });

  it('refuses keys of users without a profile (deleted), and keys for unknown users', () => {
    database = new Database(':memory:');
    const known = new Set(['carol', 'dave']);
    const keys = createApiKeyStore(database, { userExists: (userId) => known.has(userId) });
    const { key } = keys.create('carol');
    expect(keys.authenticate(key)?.userId).toBe('carol');
    known.delete('carol'); // the profile row is deleted, the key row stays
    expect(keys.authenticate(key)).toBeUndefined();
    expect(() => keys.create('mallory')).toThrowError(/No user "mallory"/);
    keys.create('dave', 'a');
    keys.create('dave', 'b');
    expect(keys.deleteUserKeys('dave')).toBe(2);
    expect(keys.list('dave')).toEqual([]);
  });
});
