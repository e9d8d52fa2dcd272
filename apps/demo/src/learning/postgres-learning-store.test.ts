import { randomUUID } from 'node:crypto';
import { type CascadeAgent, type LearningStore, createCascadeAgent, createPricing } from '@cascade/core';
import { MockChatModel } from '@cascade/core/test';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgresDemoDatabase } from '../users/postgres-demo-database';
import { createSqliteLearningStore } from './sqlite-learning-store';
import Database from 'better-sqlite3';

const DATABASE_URL = process.env.DATABASE_URL;
if (!DATABASE_URL) {
  if (process.env.CI === 'true') throw new Error('DATABASE_URL is not set: CI must run the PostgreSQL learning-store tests against a real server (e.g. postgres://postgres@127.0.0.1:5432/test).');
  console.warn('Skipping the PostgreSQL learning-store tests: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test) to run them.');
}

const pricing = createPricing({ prices: { cheap: { inputUsdPerMTok: 0.1, outputUsdPerMTok: 0.1 }, strong: { inputUsdPerMTok: 10, outputUsdPerMTok: 30 } }, includeDefaults: false });

/** A two-tier agent whose drafts agree with the strong tier's on every other question; it audits every accepted draft (a label each). */
function agentOn(store: LearningStore): CascadeAgent {
  const cheap = new MockChatModel({ modelId: 'cheap', responses: (_request, index) => ({ text: index % 2 === 0 ? 'B' : 'C' }) });
  const strong = new MockChatModel({ modelId: 'strong', responses: [{ text: 'B' }] });
  return createCascadeAgent({ models: [cheap, strong], pricing, learning: { store, random: () => 0.5 } });
}
const question = (index: number): string => `Question ${index}: which option is right? A) one B) two C) three D) four. Answer with the letter only.`;
async function learnOn(agent: CascadeAgent, count: number, offset = 0): Promise<void> {
  for (let index = 0; index < count; index++) await agent.run(question(offset + index));
  await agent.settled();
}
const labels = (agent: CascadeAgent): number => agent.stats().drafters.reduce((sum, drafter) => sum + drafter.labels, 0);
const storedLabels = (state: Awaited<ReturnType<LearningStore['load']>>): number => (state?.states ?? []).reduce((sum, entry) => sum + entry.labels, 0);

/** Two processes on one row: each learns on its own, both save, and the row holds both their labels. */
async function twoProcessesKeepBothLabels(left: LearningStore, right: LearningStore, reader: LearningStore): Promise<void> {
  const a = agentOn(left);
  const b = agentOn(right);
  await learnOn(a, 30);
  await learnOn(b, 40, 100);
  const [learnedA, learnedB] = [labels(a), labels(b)];
  expect(learnedA).toBeGreaterThan(0);
  expect(learnedB).toBeGreaterThan(0);
  await a.close(); // saves
  await b.close(); // saves after a: last-writer-wins would keep only b's labels
  expect(storedLabels(await reader.load())).toBe(learnedA + learnedB);
  // A third process starts from both.
  const c = agentOn(reader);
  await c.run(question(500));
  await c.settled();
  expect(labels(c)).toBeGreaterThanOrEqual(learnedA + learnedB);
  await c.close();
}

describe('learned state shared by several processes', () => {
  it('SQLite: two connections on one file keep each other\'s labels (merged, not last-writer-wins)', async () => {
    const database = new Database(':memory:');
    await twoProcessesKeepBothLabels(createSqliteLearningStore(database), createSqliteLearningStore(database), createSqliteLearningStore(database));
    database.close();
  });

  describe.skipIf(!DATABASE_URL)('PostgreSQL', () => {
    const schema = `cascade_test_${randomUUID().replaceAll('-', '')}`;
    afterAll(async () => {
      if (!DATABASE_URL) return;
      const client = new pg.Client({ connectionString: DATABASE_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    });

    it('two pools on one row keep each other\'s labels, and a third process starts from both', async () => {
      const [left, right, reader] = await Promise.all([0, 1, 2].map(() => openPostgresDemoDatabase(DATABASE_URL!, { schema })));
      try {
        await expect(left!.learning.load()).resolves.toBeUndefined();
        await twoProcessesKeepBothLabels(left!.learning, right!.learning, reader!.learning);
      } finally {
        await Promise.all([left!.close(), right!.close(), reader!.close()]);
      }
    });

    it('saves from two processes at the same moment both land (the row is locked, not overwritten)', async () => {
      const other = `${schema}_race`;
      const [left, right] = await Promise.all([0, 1].map(() => openPostgresDemoDatabase(DATABASE_URL!, { schema: other })));
      try {
        const a = agentOn(left!.learning);
        const b = agentOn(right!.learning);
        await Promise.all([learnOn(a, 25), learnOn(b, 35, 50)]);
        const total = labels(a) + labels(b);
        await Promise.all([a.close(), b.close()]);
        expect(storedLabels(await left!.learning.load())).toBe(total);
      } finally {
        await Promise.all([left!.close(), right!.close()]);
        const client = new pg.Client({ connectionString: DATABASE_URL });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS "${other}" CASCADE`);
        await client.end();
      }
    });
  });
});
