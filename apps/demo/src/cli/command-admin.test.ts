import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PipelineContext } from '@cascade/core';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDemoDatabase } from '../users/demo-database';
import { commandAdmin } from './command-admin';
import { bufferTerminal } from './terminal';

const dir = mkdtempSync(join(tmpdir(), 'cascade-demo-admin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function admin(db: string, ...args: string[]): Promise<{ code: number; text: string }> {
  const terminal = bufferTerminal();
  const code = await commandAdmin([...args, '--db', db], terminal);
  return { code, text: terminal.text() };
}

describe('pnpm demo admin', () => {
  it('list shows every user, reports bad rows with the detailed message (never a key), and goes on past them', async () => {
    const db = join(dir, 'list.sqlite');
    await admin(db, 'create-user', 'alice', '--tier', 'pro');
    await admin(db, 'create-user', 'broken', '--tier', 'pro');
    await admin(db, 'create-user', 'swapped');
    await admin(db, 'create-user', 'zed', '--tier', 'business');
    const keys = [await admin(db, 'create-key', 'alice'), await admin(db, 'create-key', 'broken'), await admin(db, 'create-key', 'swapped')].map((run) => run.text.trim().split('\n').at(-1)!);
    const raw = new Database(db);
    raw.prepare("UPDATE cascade_profiles SET data = json_set(data, '$.preferences', json('{\"maxRetries\":\"many\"}')) WHERE user_id = 'broken'").run();
    raw.prepare("UPDATE cascade_profiles SET data = (SELECT data FROM cascade_profiles WHERE user_id = 'alice') WHERE user_id = 'swapped'").run();
    raw.close();

    const { code, text } = await admin(db, 'list');
    expect(code).toBe(1); // listing completed, but there are bad rows
    for (const user of ['alice', 'broken', 'swapped', 'zed']) expect(text).toContain(user);
    expect(text).toMatch(/zed\s+business/); // a user after the bad rows, without keys
    expect(text).toMatch(/problem with user broken: INVALID_CONFIG: .*"broken"[\s\S]*preferences\.maxRetries/);
    expect(text).toMatch(/problem with user swapped: INVALID_CONFIG: .*"swapped" names user "alice"/);
    for (const key of keys) {
      expect(key).toMatch(/^csk_/);
      expect(text).not.toContain(key);
    }
  });

  it('delete-user deletes the profile and every key, says so, and the keys stop authenticating (usage rows kept)', async () => {
    const db = join(dir, 'delete.sqlite');
    await admin(db, 'create-user', 'c3', '--tier', 'enterprise');
    const key = (await admin(db, 'create-key', 'c3')).text.trim().split('\n').at(-1)!;
    await admin(db, 'create-key', 'c3', '--label', 'second');
    const before = openDemoDatabase(db);
    expect(before.keys.authenticate(key)?.userId).toBe('c3');
    const admitted = await before.usage.middleware.admit!({ userId: 'c3', principal: undefined } as unknown as PipelineContext);
    if (admitted.allowed) await admitted.reservation!.settle({ usage: { inputTokens: 1, outputTokens: 1, source: 'provider' }, costUsd: 0.25, outcome: 'success' });
    before.close(); // writes the queued usage

    const deleted = await admin(db, 'delete-user', 'c3');
    expect(deleted).toEqual({ code: 0, text: expect.stringMatching(/deleted user c3: profile deleted, 2 API keys deleted[\s\S]*usage rows kept/) });
    const after = openDemoDatabase(db);
    expect(after.keys.authenticate(key)).toBeUndefined();
    expect(await after.profiles.load('c3')).toBeUndefined();
    expect(after.keys.list('c3')).toEqual([]);
    expect(after.usage.summary('c3')).toMatchObject({ requests: 1, totalUsd: 0.25 });
    after.close();
    expect(await admin(db, 'delete-user', 'c3')).toEqual({ code: 1, text: expect.stringMatching(/no user c3/) });
  });
});
