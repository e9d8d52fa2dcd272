import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CascadeAgent, CascadeError, type LearningStore, createCascadeAgent, createPricing } from '@cascade/core';
import { MockChatModel } from '@cascade/core/test';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqliteLearningStore, openSqliteLearningStore } from './sqlite-learning-store';

const dir = mkdtempSync(join(tmpdir(), 'cascade-demo-learning-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const pricing = createPricing({ prices: { cheap: { inputUsdPerMTok: 0.1, outputUsdPerMTok: 0.1 }, strong: { inputUsdPerMTok: 10, outputUsdPerMTok: 30 } }, includeDefaults: false });

/** A two-tier agent whose drafts (a letter) agree with the strong tier's on every other question. */
function agentOn(store: LearningStore): CascadeAgent {
  const cheap = new MockChatModel({ modelId: 'cheap', responses: (_request, index) => ({ text: index % 2 === 0 ? 'B' : 'C' }) });
  const strong = new MockChatModel({ modelId: 'strong', responses: [{ text: 'B' }] });
  return createCascadeAgent({ models: [cheap, strong], pricing, learning: { store, random: () => 0.5 } });
}

const question = (index: number): string => `Question ${index}: which option is right? A) one B) two C) three D) four. Answer with the letter only.`;

async function learnOn(agent: CascadeAgent, count: number): Promise<void> {
  for (let index = 0; index < count; index++) await agent.run(question(index));
  await agent.settled();
}

const labels = (agent: CascadeAgent): number => agent.stats().drafters.reduce((sum, drafter) => sum + drafter.labels, 0);

describe('createSqliteLearningStore', () => {
  it('round-trips the learned state of an agent through its row, and has none before the first save', async () => {
    const database = new Database(':memory:');
    const store = createSqliteLearningStore(database);
    await expect(store.load()).resolves.toBeUndefined();
    const agent = agentOn(store);
    await learnOn(agent, 30);
    const state = agent.exportState();
    expect(state.states.length).toBeGreaterThan(0);
    await store.save(state);
    await expect(store.load()).resolves.toEqual(state);
    // Keys keep separate states in one table.
    await expect(createSqliteLearningStore(database, { key: 'other' }).load()).resolves.toBeUndefined();
    database.close();
  });

  it('reports a row that is not JSON as STORE_FAILED, saying how to start afresh', async () => {
    const database = new Database(':memory:');
    const store = createSqliteLearningStore(database);
    database.prepare('INSERT INTO demo_learning_state (key, state, updated_at) VALUES (?, ?, ?)').run('default', '{not json', 0);
    const error = await store.load().then(() => undefined, (caught: unknown) => caught);
    expect(CascadeError.isInstance(error) && error.code).toBe('STORE_FAILED');
    expect((error as Error).message).toMatch(/delete its row/);
    database.close();
  });

  it('lets a second agent on the same file start from what the first one learned', async () => {
    const file = join(dir, 'shared.sqlite');
    const first = openSqliteLearningStore(file);
    const learner = agentOn(first.store);
    await learnOn(learner, 30);
    const learned = labels(learner);
    expect(learned).toBeGreaterThan(0);
    await learner.close(); // saves the state
    first.close();

    const second = openSqliteLearningStore(file);
    const successor = agentOn(second.store);
    expect(labels(successor)).toBe(0);
    await successor.run(question(100)); // loads the saved state before its first decision
    await successor.settled();
    expect(labels(successor)).toBeGreaterThanOrEqual(learned);
    expect(successor.exportState().states.map((state) => state.drafterId)).toContain('cheap');
    await successor.close();
    second.close();
  });

  it('serves two open connections on one file: each save is read back by the other', async () => {
    const file = join(dir, 'two.sqlite');
    const left = openSqliteLearningStore(file);
    const right = openSqliteLearningStore(file);
    const agent = agentOn(left.store);
    await learnOn(agent, 25);
    const state = agent.exportState();
    await left.store.save(state);
    await expect(right.store.load()).resolves.toEqual(state);
    await agent.close();
    left.close();
    right.close();
  });
});
