import { describe, expect, it } from 'vitest';
import { tierPricing as pricing } from '../engine/__fixtures__/tier-pricing';
import { createCascadeAgent } from '../engine/create-cascade-agent';
import { lastUserText } from '../model/chat-message';
import type { ChatRequest } from '../model/chat-request';
import type { QualityValidator } from '../quality/quality-validator';
import { MockChatModel } from '../test/mock-chat-model';
import { seededRandom } from '../util/seeded-random';
import type { LearningState, LearningStore } from './learning-types';
import { createMemoryLearningStore } from './memory-learning-store';
import { addLearningStates, diffLearningStates } from './merge-state';

const usage = { inputTokens: 100, outputTokens: 50 };

/** Two-tier agent on word problems; the draft agrees with the strong answer on even items. */
function agentOn(store: LearningStore, seed: number) {
  const answerOf = (request: ChatRequest): number => Number(/Item (\d+)/.exec(lastUserText(request.messages))![1]);
  const cheap = new MockChatModel({ modelId: 'cheap', responses: (request) => ({ text: `#### ${answerOf(request) % 2 === 0 ? answerOf(request) : -1}`, usage }) });
  const strong = new MockChatModel({ modelId: 'strong', responses: (request) => ({ text: `The answer is ${answerOf(request)}.`, usage }) });
  const validator: QualityValidator = { name: 'fixed', validate: ({ request }) => ({ score: (answerOf(request) % 10) / 10, passed: true, signals: [], reason: 'fixed' }) };
  return createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: { store, random: seededRandom(seed), minLabels: 1000 } });
}

const prompt = (index: number): string => `Item ${index}: Tom has some apples. How many apples does he have?`;
const labelsIn = (state: LearningState | undefined): number => (state?.states ?? []).reduce((sum, each) => sum + each.labels, 0);

describe('sharing learned state between processes', () => {
  it('adds what one process learned since its base back to an unchanged store: the result is that process state', async () => {
    const agent = agentOn(createMemoryLearningStore(), 1);
    for (let index = 0; index < 30; index++) await agent.run(prompt(index));
    const base = agent.exportState();
    for (let index = 30; index < 70; index++) await agent.run(prompt(index));
    await agent.settled();
    const current = agent.exportState();
    const merged = addLearningStates(base, diffLearningStates(current, base));
    const [left, right] = [merged.states[0]!, current.states[0]!];
    expect(left.labels).toBe(right.labels);
    expect(left.requests).toBeCloseTo(right.requests, 9);
    expect(left.draftCostUsd).toBeCloseTo(right.draftCostUsd, 9);
    left.bins.forEach((bin, index) => {
      expect(bin.loss).toBeCloseTo(right.bins[index]!.loss, 9);
      expect(bin.weight).toBeCloseTo(right.bins[index]!.weight, 9);
    });
  });

  it('keeps the labels of two agents that share a merging store (a store that only saves keeps one)', async () => {
    const shared = createMemoryLearningStore();
    const left = agentOn(shared, 2);
    const right = agentOn(shared, 3);
    for (let index = 0; index < 40; index++) {
      await left.run(prompt(index));
      await right.run(prompt(index + 1000));
    }
    await Promise.all([left.close(), right.close()]);
    const total = labelsIn(await shared.load());
    expect(total).toBe(80);

    // The same run with a store that can only overwrite loses one agent's labels.
    const plain = createMemoryLearningStore();
    const overwriting: LearningStore = { load: () => plain.load(), save: (state) => plain.save(state) };
    const a = agentOn(overwriting, 2);
    const b = agentOn(overwriting, 3);
    for (let index = 0; index < 40; index++) {
      await a.run(prompt(index));
      await b.run(prompt(index + 1000));
    }
    await Promise.all([a.close(), b.close()]);
    expect(labelsIn(await plain.load())).toBe(40);
  });

  it('a process picks up the labels others merged, and keeps labels it learned while its merge was in flight', async () => {
    const inner = createMemoryLearningStore();
    let release: (() => void) | undefined;
    const slow: LearningStore = {
      load: () => inner.load(),
      save: (state) => inner.save(state),
      merge: async (delta) => {
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return inner.merge!(delta);
      },
    };
    const other = agentOn(inner, 4);
    for (let index = 0; index < 25; index++) await other.run(prompt(index + 5000));
    await other.close();

    const agent = agentOn(slow, 5);
    for (let index = 0; index < 50; index++) await agent.run(prompt(index)); // the 50th label starts a sync
    await new Promise((resolve) => setImmediate(resolve));
    expect(release).toBeDefined();
    for (let index = 50; index < 60; index++) await agent.run(prompt(index)); // learned during the merge
    release!();
    await agent.settled();
    // 25 from the other process + 50 sent + 10 learned while the store answered.
    expect(agent.stats().drafters[0]!.labels).toBe(85);
    release = undefined;
    const closing = agent.close();
    await new Promise((resolve) => setImmediate(resolve));
    release!();
    await closing;
    expect(labelsIn(await inner.load())).toBe(85);
  });

  it('clamps what decay pushed below zero, and merges running means by their counts', () => {
    const state = (labels: number, draftCostUsd: number, costSamples: number, mass: number): LearningState => ({
      version: 1,
      states: [{
        drafterId: 'cheap', kind: 'number', bins: [{ mass, weight: mass, weightSquared: mass, loss: mass / 2, accepted: 0 }],
        requests: mass, routed: 0, drafted: labels, undecidable: 0, labels, draftCostUsd, restCostUsd: 0, costSamples,
        referenceScore: 1, referenceSamples: 0, auditCostUsd: 0, spentUsd: 0, baselineUsd: 0,
      }],
    });
    const merged = addLearningStates(state(10, 1, 10, 1), diffLearningStates(state(30, 3, 30, 0.5), state(10, 1, 10, 5)));
    const kind = merged.states[0]!;
    expect(kind.labels).toBe(30);
    expect(kind.bins[0]!.mass).toBe(0); // 1 + (0.5 − 5) clamps at zero
    expect(kind.bins[0]!.loss).toBeLessThanOrEqual(kind.bins[0]!.weight);
    expect(kind.draftCostUsd).toBeCloseTo((1 * 10 + 3 * 20) / 30, 9);
  });
});
