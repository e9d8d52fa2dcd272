import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type ServerFixture, startServerFixture } from './__fixtures__/server-fixture';

const dir = mkdtempSync(join(tmpdir(), 'cascade-demo-auth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fixture: ServerFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

describe('authenticate', () => {
  it('refuses the key of a user whose profile row was deleted (401), and does not recreate the user on FREE', async () => {
    const databaseFile = join(dir, 'auth.sqlite');
    fixture = await startServerFixture({ databaseFile });
    const models = (key: string) => fetch(`${fixture!.baseURL}/models`, { headers: { authorization: `Bearer ${key}` } });
    expect((await models(fixture.aliceKey)).status).toBe(200);
    const raw = new Database(databaseFile);
    raw.prepare('DELETE FROM cascade_profiles WHERE user_id = ?').run('alice'); // by hand, keys left behind
    const response = await models(fixture.aliceKey);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');
    expect(raw.prepare('SELECT COUNT(*) FROM cascade_profiles WHERE user_id = ?').pluck().get('alice')).toBe(0);
    expect((await models(fixture.frankKey)).status).toBe(200); // other tenants unaffected
    raw.close();
  });
});
