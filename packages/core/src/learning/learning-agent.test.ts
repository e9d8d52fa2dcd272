import { describe, expect, it } from 'vitest';
import { tierPricing as pricing } from '../engine/__fixtures__/tier-pricing';
import { createCascadeAgent } from '../engine/create-cascade-agent';
import { lastUserText } from '../model/chat-message';
import type { ChatRequest } from '../model/chat-request';
import type { QualityValidator } from '../quality/quality-validator';
import { MockChatModel } from '../test/mock-chat-model';
import { seededRandom } from '../util/seeded-random';
import { createMemoryLearningStore } from './memory-learning-store';
import type { AuditEvent, QualityJudge } from './learning-types';


const usage = { inputTokens: 100, outputTokens: 50 };

/**
 * A synthetic stream of word problems: item i has a hidden validator score s_i, and the cheap draft
 * agrees with the strong answer with probability `curve(s_i)` (the known calibration curve).
 */
function stream(count: number, curve: (score: number, index: number) => number, seed = 1) {
  const random = seededRandom(seed);
  const items = Array.from({ length: count }, (_, index) => {
    const score = random();
    return { prompt: `Item ${index}: Tom has ${index} apples and buys 3 more. How many apples does he have?`, score, answer: index + 3, agrees: random() < curve(score, index) };
  });
  const byPrompt = new Map(items.map((item) => [item.prompt, item]));
  const itemOf = (request: ChatRequest) => byPrompt.get(lastUserText(request.messages))!;
  const cheap = new MockChatModel({ modelId: 'cheap', responses: (request) => {
    const item = itemOf(request);
    return { text: `#### ${item.agrees ? item.answer : item.answer + 1}`, usage };
  } });
  const strong = new MockChatModel({ modelId: 'strong', responses: (request) => ({ text: `The answer is ${itemOf(request).answer}.`, usage }) });
  const validator: QualityValidator = { name: 'latent', validate: ({ request }) => ({ score: itemOf(request).score, passed: true, signals: [], reason: 'latent score' }) };
  return { items, cheap, strong, validator };
}

describe('the learning cascade', () => {
  it('calibrates the validator score to P(agree) on a stream with a known curve', async () => {
    const { items, cheap, strong, validator } = stream(3000, (score) => score);
    const agent = createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: { random: seededRandom(2), minLabels: 3000 } });
    // minLabels above the stream length: the agent drafts and escalates everything, labelling every bin.
    for (const item of items) await agent.run(item.prompt);
    await agent.settled();
    const probabilities: number[] = [];
    for (const score of [0.125, 0.375, 0.625, 0.875]) {
      const result = await agent.run(items.find((item) => Math.abs(item.score - score) < 0.02)!.prompt);
      probabilities.push(result.learning!.probability!);
    }
    probabilities.forEach((probability, index) => expect(probability).toBeCloseTo([0.125, 0.375, 0.625, 0.875][index]!, 1));
  });

  it('holds the target share, and still after the drafter gets worse (drift)', async () => {
    // Good scores mean agreement until item 1500; then the drafter degrades everywhere.
    const { items, cheap, strong, validator } = stream(3000, (score, index) => (index < 1500 ? score ** 0.5 : score ** 3));
    const agent = createCascadeAgent({ models: [cheap, strong], validator, pricing, policy: { qualityShare: 0.9 }, learning: { random: seededRandom(3), halfLife: 300, auditRate: 0.1 } });
    const lost = (from: number, to: number, accepted: boolean[]): number => {
      let count = 0;
      for (let index = from; index < to; index++) if (accepted[index] && !items[index]!.agrees) count++;
      return count / (to - from);
    };
    const accepted: boolean[] = [];
    for (const item of items) accepted.push((await agent.run(item.prompt)).modelId === 'cheap');
    await agent.settled();
    // Budget 0.1 of disagreement mass; margins for sampling noise.
    expect(lost(100, 1500, accepted)).toBeLessThan(0.12);
    expect(lost(2000, 3000, accepted)).toBeLessThan(0.12);
    // It did save before the drift (accepting a real share), and adapted after it.
    const acceptRate = (from: number, to: number): number => accepted.slice(from, to).filter(Boolean).length / (to - from);
    expect(acceptRate(500, 1500)).toBeGreaterThan(0.3);
    expect(acceptRate(2000, 3000)).toBeLessThan(acceptRate(500, 1500));
    const stats = agent.stats().drafters[0]!;
    expect(stats.modelId).toBe('cheap');
    expect(stats.estimatedShare).toBeGreaterThan(0.85);
  });

  it('audits a sampled share of accepted drafts in the background and counts their cost', async () => {
    const { items, cheap, strong, validator } = stream(1200, () => 1);
    const events: AuditEvent[] = [];
    const agent = createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: { random: seededRandom(4), auditRate: 0.2, onAudit: (event) => events.push(event) } });
    let accepted = 0;
    let auditedFlags = 0;
    for (const item of items) {
      const result = await agent.run(item.prompt);
      if (result.learning?.decision === 'accept') accepted++;
      if (result.learning?.audited) auditedFlags++;
    }
    await agent.settled();
    const audits = events.filter((event) => event.type === 'audit');
    expect(accepted).toBeGreaterThan(800);
    expect(audits.length).toBe(auditedFlags);
    expect(audits.length / accepted).toBeGreaterThan(0.15);
    expect(audits.length / accepted).toBeLessThan(0.25);
    const spent = events.reduce((sum, event) => sum + event.costUsd, 0);
    expect(spent).toBeGreaterThan(0);
    expect(agent.stats().auditCostUsd).toBeCloseTo(spent, 12);
    expect(agent.stats().drafters[0]!.auditCostUsd).toBeCloseTo(spent, 12);
    // Every audit called the strong model: the calls the caller paid for plus the audits.
    const paidStrongCalls = items.length - accepted;
    expect(strong.calls.length).toBe(paidStrongCalls + audits.length);
  });

  it('explains each decision on result.learning', async () => {
    const { items, cheap, strong, validator } = stream(5, () => 1);
    const agent = createCascadeAgent({ models: [cheap, strong], validator, pricing });
    const result = await agent.run(items[0]!.prompt);
    expect(result.learning).toMatchObject({ kind: 'number', drafterId: 'cheap', decision: 'escalate', target: 0.95, audited: false });
    expect(result.learning!.interval[0]).toBeLessThanOrEqual(result.learning!.estimatedShare);
    // The expert override keeps the old fixed-threshold behaviour, without learning.
    const expert = await agent.run(items[1]!.prompt, { policy: { qualityTarget: 0.5 } });
    expect(expert.learning).toBeUndefined();
    expect(expert.modelId).toBe('cheap');
  });

  it('takes user feedback on a drafter answer as a label', async () => {
    const { items, cheap, strong, validator } = stream(400, () => 1);
    const agent = createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: { random: seededRandom(5), auditRate: 0 } });
    let acceptedId: string | undefined;
    let strongId: string | undefined;
    for (const item of items) {
      const result = await agent.run(item.prompt);
      if (result.learning?.decision === 'accept') acceptedId ??= result.requestId;
      else strongId = result.requestId;
    }
    expect(acceptedId).toBeDefined();
    const before = agent.stats().drafters[0]!.labels;
    expect(agent.feedback(acceptedId!, { good: false })).toBe(true);
    expect(agent.stats().drafters[0]!.labels).toBe(before + 1);
    expect(agent.feedback(acceptedId!, { score: 0.2 })).toBe(false); // once per request
    expect(agent.feedback('unknown-id', { good: true })).toBe(false);
    expect(agent.feedback(strongId!, { good: true })).toBe(false); // the strongest tier answered
  });

  it('asks the judge where answers cannot be compared, and prices it', async () => {
    const essay = (index: number): string => `Write a short poem about the sea, number ${index}.`;
    const cheap = new MockChatModel({ modelId: 'cheap', responses: [{ text: 'Waves roll in.', usage }] });
    const strong = new MockChatModel({ modelId: 'strong', responses: [{ text: 'The sea sings.', usage }] });
    const validator: QualityValidator = { name: 'flat', validate: () => ({ score: 0.8, passed: true, signals: [], reason: 'flat' }) };
    const calls: string[] = [];
    const judge: QualityJudge = { judge: ({ draft }) => {
      calls.push(draft);
      return Promise.resolve({ draftScore: 0.7, referenceScore: 0.8, costUsd: 0.001 });
    } };
    const agent = createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: { judge, random: seededRandom(6) } });
    for (let index = 0; index < 10; index++) await agent.run(essay(index));
    await agent.settled();
    expect(calls.length).toBe(10);
    const stats = agent.stats().drafters[0]!;
    expect(stats.kinds.text!.labels).toBe(10);
    expect(stats.auditCostUsd).toBeCloseTo(0.01, 12);
  });

  it('exports, validates and imports its state; a store loads it and saves it on close', async () => {
    const { items, cheap, strong, validator } = stream(300, (score) => score);
    const store = createMemoryLearningStore();
    const first = createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: { random: seededRandom(7), store } });
    for (const item of items) await first.run(item.prompt);
    await first.close();
    const state = first.exportState();
    expect(JSON.parse(JSON.stringify(state))).toEqual(state);
    expect(state.version).toBe(1);
    expect(store.saves).toBeGreaterThan(0);

    const second = createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: { store } });
    await second.run(items[0]!.prompt); // loads the store before deciding (and learns one more label)
    const restored = second.stats().drafters[0]!;
    expect(restored.labels).toBeGreaterThanOrEqual(first.stats().drafters[0]!.labels);
    expect(restored.labels).toBeLessThanOrEqual(first.stats().drafters[0]!.labels + 1);

    const third = createCascadeAgent({ models: [cheap, strong], validator, pricing });
    third.importState(state);
    expect(third.stats().drafters[0]!.labels).toBe(first.stats().drafters[0]!.labels);
    expect(() => third.importState({ version: 2, states: [] } as never)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    const off = createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: false });
    expect(() => off.exportState()).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });

  it('learns per drafter position in a chain of three, labels against the strongest tier', async () => {
    const { items, cheap, strong, validator } = stream(600, (score) => score);
    const mid = new MockChatModel({ modelId: 'mid', responses: (request) => ({ text: `#### ${items.find((item) => item.prompt === lastUserText(request.messages))!.answer}`, usage }) });
    const agent = createCascadeAgent({ models: [cheap, mid, strong], validator, pricing, learning: { random: seededRandom(8) } });
    const decisions = new Set<string>();
    for (const item of items) {
      const result = await agent.run(item.prompt);
      decisions.add(`${result.learning!.drafterId}:${result.learning!.decision}`);
    }
    await agent.settled();
    const stats = agent.stats();
    expect(stats.drafters.map((drafter) => drafter.modelId).sort()).toEqual(['cheap', 'mid']);
    for (const drafter of stats.drafters) expect(drafter.labels).toBeGreaterThan(20);
    // The mid tier always agrees with the strongest: it ends up accepted.
    expect(decisions.has('mid:accept')).toBe(true);
    expect(stats.drafters.find((drafter) => drafter.modelId === 'mid')!.estimatedShare).toBeGreaterThan(0.95);
  });

  it('close() aborts background learning calls; their errors land in stats, not on the caller', async () => {
    const cheap = new MockChatModel({ modelId: 'cheap', responses: [{ text: 'Waves roll in.', usage }] });
    const strong = new MockChatModel({ modelId: 'strong', responses: [{ text: 'The sea sings.', usage }] });
    const validator: QualityValidator = { name: 'flat', validate: () => ({ score: 0.8, passed: true, signals: [], reason: 'flat' }) };
    let seen: AbortSignal | undefined;
    const judge: QualityJudge = { judge: ({ abortSignal }) => new Promise((_resolve, reject) => {
      seen = abortSignal;
      abortSignal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
    }) };
    const agent = createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: { judge } });
    const result = await agent.run('Write a short poem about the sea.');
    expect(result.text).toBe('The sea sings.'); // the caller has its answer while the judge still runs
    expect(seen?.aborted).toBe(false);
    await agent.close();
    expect(seen?.aborted).toBe(true);
    expect(agent.stats().auditErrors).toBe(1);
    expect(agent.stats().drafters[0]!.labels).toBe(0);
  });

  it('counts an answer it cannot compare (and no judge) as lost, so agreeing cases alone never make it accept', async () => {
    // 3 in 10 drafts are word for word the strong answer (decidable: agree); the rest differ (undecidable).
    const poem = (index: number): string => `Write a short poem about the sea, number ${index}.`;
    const cheap = new MockChatModel({ modelId: 'cheap', responses: (request) => ({ text: Number(/number (\d+)/.exec(lastUserText(request.messages))![1]) % 10 < 3 ? 'The sea sings.' : 'Waves roll in.', usage }) });
    const strong = new MockChatModel({ modelId: 'strong', responses: [{ text: 'The sea sings.', usage }] });
    const validator: QualityValidator = { name: 'flat', validate: () => ({ score: 0.8, passed: true, signals: [], reason: 'flat' }) };
    const agent = createCascadeAgent({ models: [cheap, strong], validator, pricing, learning: { random: seededRandom(9) } });
    let accepted = 0;
    for (let index = 0; index < 600; index++) if ((await agent.run(poem(index))).learning?.decision === 'accept') accepted++;
    // The loss budget (5 % of share) bounds what is accepted without evidence of agreement.
    expect(accepted / 600).toBeLessThan(0.1);
    expect(agent.stats().drafters[0]!.estimatedShare).toBeGreaterThan(0.9);
  });
});
