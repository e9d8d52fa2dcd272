import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCascadeAgent, createPricing } from '@cascade/core';
import { MockChatModel } from '@cascade/core/test';
import { createProfileManager, createProfileMiddleware } from '@cascade/profiles';
import { afterAll, describe, expect, it } from 'vitest';
import { commandAdmin } from '../cli/command-admin';
import { bufferTerminal } from '../cli/terminal';
import { openDemoDatabase } from '../users/demo-database';
import { openDemoObservability } from './demo-observability';

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
