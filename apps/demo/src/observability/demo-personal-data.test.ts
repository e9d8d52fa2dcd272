import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCascadeAgent, createPricing } from '@cascade/core';
import { MockChatModel } from '@cascade/core/test';
import { UserProfile, createProfileManager, createProfileMiddleware } from '@cascade/profiles';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { commandAdmin } from '../cli/command-admin';
import { bufferTerminal } from '../cli/terminal';
import { openDemoDatabase } from '../users/demo-database';
import { openDemoStorage } from '../users/demo-storage';
import { openDemoObservability } from './demo-observability';
import { openDemoPersonalData } from './demo-personal-data';

const dir = mkdtempSync(join(tmpdir(), 'cascade-demo-gdpr-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function admin(db: string, ...args: string[]): Promise<{ code: number; text: string }> {
  const terminal = bufferTerminal();
  const code = await commandAdmin([...args, '--db', db], terminal);
  return { code, text: terminal.text() };
}

describe('pnpm demo admin export-user / erase-user', () => {
  it('exports and erases one user across profile, keys, usage and audit; other users stay', async () => {
    const db = join(dir, 'gdpr.sqlite');
    const env = { ...process.env };
    delete env['DATABASE_URL'];
    const saved = process.env['DATABASE_URL'];
    delete process.env['DATABASE_URL'];
    try {
      const keys: string[] = [];
      for (const user of ['alice', 'bob']) {
        await admin(db, 'create-user', user, '--tier', 'pro');
        keys.push((await admin(db, 'create-key', user)).text.trim().split('\n').at(-1)!);
      }
      // Requests through the demo's usage ledger and audit trail, as `serve` makes them.
      const database = openDemoDatabase(db);
      const observability = openDemoObservability(env, { kind: 'sqlite', filename: db });
      const pricing = createPricing({ includeDefaults: false, prices: { 'mixtral-8x7b-instruct-v0.1': { inputUsdPerMTok: 0.6, outputUsdPerMTok: 0.6 }, 'gpt-4-1106-preview': { inputUsdPerMTok: 10, outputUsdPerMTok: 30 } } });
      const profiles = createProfileManager({}, { store: database.profiles });
      const agent = createCascadeAgent({
        models: [new MockChatModel({ modelId: 'mixtral-8x7b-instruct-v0.1' }), new MockChatModel({ modelId: 'gpt-4-1106-preview' })], pricing, learning: false,
        middleware: [createProfileMiddleware(profiles), database.usage.middleware, ...observability.middleware],
      });
      for (const user of ['alice', 'alice', 'bob']) await agent.run('What is 2 + 2?', { userId: user });
      await observability.close();
      await database.usage.flush();
      database.close();

      const exported = JSON.parse((await admin(db, 'export-user', 'alice')).text) as Record<string, unknown>;
      expect(exported).toMatchObject({ userId: 'alice', profile: { userId: 'alice' } });
      expect(exported['audit']).toHaveLength(2);
      expect((exported['apiKeys'] as unknown[]).length).toBe(1);
      expect(keys[0]).toMatch(/^csk_/);
      expect(JSON.stringify(exported)).not.toContain(keys[0]);
      expect((exported['usage'] as { requests: { requests: number }[] }).requests.reduce((sum, row) => sum + row.requests, 0)).toBe(2);

      const erased = await admin(db, 'erase-user', 'alice');
      expect(erased.code).toBe(0);
      expect(erased.text).toMatch(/erased user alice: profile true, audit 2, apiKeys 1, usage \d+/);
      const after = JSON.parse((await admin(db, 'export-user', 'alice')).text) as Record<string, unknown>;
      expect(after).toMatchObject({ profile: null, audit: [], apiKeys: [], usage: { requests: [], calls: [] } });
      const bob = JSON.parse((await admin(db, 'export-user', 'bob')).text) as Record<string, unknown>;
      expect(bob['audit']).toHaveLength(1);
    } finally {
      if (saved !== undefined) process.env['DATABASE_URL'] = saved;
    }
  });
});

const DATABASE_URL = process.env['DATABASE_URL'];
if (!DATABASE_URL) {
  if (process.env['CI'] === 'true') throw new Error('DATABASE_URL is not set: CI must run the PostgreSQL GDPR test against a real server (e.g. postgres://postgres@127.0.0.1:5432/test).');
  console.warn('Skipping the PostgreSQL GDPR test: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run it.');
}

describe.runIf(DATABASE_URL)('GDPR export and erasure on the PostgreSQL storage', () => {
  it('finds and erases the usage rows, keys, profile and audit records of one user in its schema', async () => {
    const schema = `gdpr_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    const storage = await openDemoStorage({ databaseUrl: DATABASE_URL, schema });
    const cleanup = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
    try {
      const observability = openDemoObservability({}, storage.location);
      const profiles = createProfileManager({}, { store: storage.profiles });
      for (const user of ['carol', 'dave']) {
        await profiles.save(UserProfile.fromTier('pro', user));
        await storage.keys.create(user, 'laptop');
      }
      const pricing = createPricing({ includeDefaults: false, prices: { cheap: { inputUsdPerMTok: 1, outputUsdPerMTok: 1 }, strong: { inputUsdPerMTok: 10, outputUsdPerMTok: 30 } } });
      const agent = createCascadeAgent({
        models: [new MockChatModel({ modelId: 'cheap' }), new MockChatModel({ modelId: 'strong' })], pricing, learning: false,
        middleware: [createProfileMiddleware(profiles), storage.usage.middleware, ...observability.middleware],
      });
      for (const user of ['carol', 'carol', 'dave']) await agent.run('What is 2 + 2?', { userId: user });
      await observability.close();
      await storage.usage.flush();

      const personal = openDemoPersonalData(storage);
      try {
        const exported = await personal.requests.export('carol') as unknown as Record<string, unknown>;
        expect(exported['audit']).toHaveLength(2);
        expect(exported['apiKeys']).toEqual([expect.objectContaining({ label: 'laptop' })]);
        expect((exported['usage'] as { requests: { requests: number }[] }).requests.reduce((sum, row) => sum + row.requests, 0)).toBe(2);
        const erased = await personal.requests.erase('carol') as unknown as Record<string, unknown>;
        expect(erased).toMatchObject({ audit: 2, apiKeys: 1 });
        expect(erased['usage']).toBeGreaterThan(0);
        const after = await personal.requests.export('carol') as unknown as Record<string, unknown>;
        expect(after).toMatchObject({ profile: null, audit: [], apiKeys: [], usage: { requests: [], calls: [] } });
        expect((await personal.requests.export('dave') as unknown as Record<string, unknown>)['audit']).toHaveLength(1);
      } finally {
        await personal.close();
      }
    } finally {
      await storage.close();
      await cleanup.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await cleanup.end();
    }
  });
});
