import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startServerFixture } from '../server/__fixtures__/server-fixture';

const dir = mkdtempSync(join(tmpdir(), 'cascade-demo-locked-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('demo server with its SQLite file locked by another process', () => {
  it('answers every tenant while the lock is held, shows the queued usage, and writes every usage row after release', async () => {
    const databaseFile = join(dir, 'demo.sqlite');
    const fixture = await startServerFixture({ databaseFile });
    const holder = new Database(databaseFile);
    let released = false;
    try {
      holder.exec('BEGIN IMMEDIATE'); // e.g. a backup or an admin script holding the write lock
      const post = (prompt: string) =>
        fetch(`${fixture.baseURL}/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${fixture.aliceKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'cascade', messages: [{ role: 'user', content: prompt }] }),
        });
      const statuses = await Promise.all(fixture.prompts.slice(0, 20).map(async (prompt) => (await post(prompt)).status));
      const models = await fetch(`${fixture.baseURL}/models`, { headers: { authorization: `Bearer ${fixture.frankKey}` } });
      const usage = (await (await fetch(`${fixture.baseURL}/usage`, { headers: { authorization: `Bearer ${fixture.aliceKey}` } })).json()) as { requests: number };
      // All of it happened while the lock was held: the order proves nothing waited for the lock.
      expect(holder.inTransaction).toBe(true);
      expect(statuses).toEqual(Array.from({ length: 20 }, () => 200));
      expect(models.status).toBe(200);
      expect(usage.requests).toBe(20); // queued rows are visible
      holder.exec('ROLLBACK');
      released = true;
    } finally {
      if (!released) holder.exec('ROLLBACK');
      holder.close();
      await fixture.close(); // flushes the queue
    }
    const reader = new Database(databaseFile, { readonly: true });
    expect(reader.prepare("SELECT SUM(requests) FROM demo_usage_requests WHERE user_id = 'alice'").pluck().get()).toBe(20);
    reader.close();
  }, 60_000);
});
