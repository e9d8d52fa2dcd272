import { describe, expect, it } from 'vitest';
import { tierPricing as pricing } from '../engine/__fixtures__/tier-pricing';
import { createCascadeAgent } from '../engine/create-cascade-agent';
import { lastUserText } from '../model/chat-message';
import type { ChatRequest } from '../model/chat-request';
import type { TokenLogprob } from '../model/chat-result';
import type { QualityValidator } from '../quality/quality-validator';
import { MockChatModel } from '../test/mock-chat-model';
import { seededRandom } from '../util/seeded-random';
import { agreementOf } from './draft-signals';

const usage = { inputTokens: 100, outputTokens: 50 };
/** A validator that says nothing: every draft scores 0.5, so only the live signals can separate drafts. */
const flatValidator: QualityValidator = { name: 'flat', validate: () => ({ score: 0.5, passed: true, signals: [], reason: 'flat' }) };

interface Item {
  prompt: string;
  answer: number;
  /** The cheap model's first answer agrees with the strong model's. */
  correct: boolean;
  /** Its sampled drafts all say the same thing (else they split). */
  unanimous: boolean;
  /** Its answers come with confident token logprobs. */
  confident: boolean;
}

/**
 * Word problems answered by a cheap model (parallel samples: it does not support `choiceCount`) and a
 * strong one that is always right. `informative`: unanimous samples mostly mean a correct draft (as
 * published for cascades); otherwise unanimity is a coin flip unrelated to correctness.
 */
function signalStream(count: number, options: { informative: boolean; seed: number; logprobs?: 'informative' | 'none' }) {
  const random = seededRandom(options.seed);
  const items: Item[] = Array.from({ length: count }, (_, index) => {
    const correct = random() < 0.6;
    const unanimous = options.informative ? random() < (correct ? 0.9 : 0.02) : random() < 0.5;
    const confident = correct ? random() < 0.9 : random() < 0.05;
    return { prompt: `Item ${index}: Ann has ${index} pens and buys 7 more. How many pens does she have?`, answer: index + 7, correct, unanimous, confident };
  });
  const byPrompt = new Map(items.map((item) => [item.prompt, item]));
  const itemOf = (request: ChatRequest): Item => byPrompt.get(lastUserText(request.messages))!;
  const sampleIndex = new Map<string, number>();
  const logprobsOf = (item: Item): TokenLogprob[] | undefined =>
    options.logprobs === 'informative' ? Array.from({ length: 6 }, () => ({ token: 'x', logprob: item.confident ? -0.02 : -1.2 })) : undefined;
  const cheap = new MockChatModel({
    modelId: 'cheap',
    responses: (request) => {
      const item = itemOf(request);
      const sample = sampleIndex.get(item.prompt) ?? 0;
      sampleIndex.set(item.prompt, sample + 1);
      const first = item.correct ? item.answer : item.answer + 1;
      // A split: each sample but the first of three names a different wrong number.
      const value = item.unanimous || sample % 3 === 0 ? first : item.answer + 10 + (sample % 3);
      const logprobs = logprobsOf(item);
      return { text: `#### ${value}`, usage, ...(logprobs ? { logprobs } : {}) };
    },
  });
  const strong = new MockChatModel({ modelId: 'strong', responses: (request) => ({ text: `The answer is ${itemOf(request).answer}.`, usage }) });
  return { items, cheap, strong };
}

/** Runs the stream; returns per item whether the cheap draft was returned and the realized share of the strong model's quality. */
async function runStream(agent: ReturnType<typeof createCascadeAgent>, items: readonly Item[]) {
  const accepted: boolean[] = [];
  const results = [];
  for (const item of items) {
    const result = await agent.run(item.prompt);
    results.push(result);
    accepted.push(result.modelId === 'cheap');
  }
  await agent.settled();
  const lost = items.filter((item, index) => accepted[index] && !item.correct).length;
  return { accepted, results, share: 1 - lost / items.length };
}

const acceptRate = (items: readonly Item[], accepted: readonly boolean[], from: number, where: (item: Item) => boolean): number => {
  let count = 0;
  let hits = 0;
  for (let index = from; index < items.length; index++) {
    if (!where(items[index]!)) continue;
    count++;
    if (accepted[index]) hits++;
  }
  return count > 0 ? hits / count : 0;
};

describe('live signals: sampled agreement', () => {
  it('groups drafts by the comparator and never counts an undecidable pair as agreement', () => {
    const number: ChatRequest = { messages: [{ role: 'user', content: 'How many apples are left if Tom has 5 and eats 2?' }] };
    expect(agreementOf(number, ['#### 3', 'The answer is 3.', '#### 4'])).toEqual({ index: 0, agreeing: 2, samples: 3, undecidable: false });
    expect(agreementOf(number, ['#### 4', '#### 3', 'So 3 remain. #### 3'])).toMatchObject({ index: 1, agreeing: 2 });
    const text: ChatRequest = { messages: [{ role: 'user', content: 'Write a haiku about autumn.' }] };
    expect(agreementOf(text, ['Leaves fall slowly down', 'Red maple whispers', 'Cold wind, empty branch'])).toMatchObject({ agreeing: 1, undecidable: true });
  });

  it('raises the acceptance of unanimous drafts only after labels show that agreement predicts correctness; every sample is paid', async () => {
    const { items, cheap, strong } = signalStream(1500, { informative: true, seed: 11 });
    const agent = createCascadeAgent({ models: [cheap, strong], validator: flatValidator, pricing, learning: { random: seededRandom(12), signals: { agreement: true } } });
    const { accepted, results, share } = await runStream(agent, items);

    // Cold start: the first unanimous draft is not trusted (no label says what unanimity means yet).
    const firstUnanimous = results[items.findIndex((item) => item.unanimous)]!;
    expect(firstUnanimous.learning!.decision).toBe('escalate');
    expect(firstUnanimous.learning!.probability!).toBeLessThan(0.5);
    expect(firstUnanimous.learning!.signals).toMatchObject({ used: ['validator', 'agreement'], agreement: { agreeing: 3, samples: 3 } });
    // Once labelled: unanimous drafts are accepted, split ones mostly escalated (a few accepted at random
    // with the loss budget the unanimous ones leave: the controller spends the whole budget).
    expect(acceptRate(items, accepted, 500, (item) => item.unanimous)).toBeGreaterThan(0.7);
    expect(acceptRate(items, accepted, 500, (item) => !item.unanimous)).toBeLessThan(0.2);
    const late = results.slice(500).find((result, index) => items[index + 500]!.unanimous && result.learning?.decision === 'accept')!;
    expect(late.learning!.probability!).toBeGreaterThan(0.9);
    expect(share).toBeGreaterThan(0.95);

    // Three samples per draft: three calls, all charged to the attempt and the result.
    const drafted = results[0]!;
    expect(drafted.attempts[0]).toMatchObject({ modelId: 'cheap', samples: 3, usage: { inputTokens: 300, outputTokens: 150 } });
    expect(drafted.attempts[0]!.costUsd).toBeCloseTo(pricing.costOf('cheap', { inputTokens: 300, outputTokens: 150, source: 'provider' }), 12);
    expect(drafted.costUsd).toBeCloseTo(drafted.attempts.reduce((sum, attempt) => sum + attempt.costUsd, 0), 12);
    // Every cheap call is a sample of a live or background (exploration) draft: multiples of three.
    expect(cheap.calls.length % 3).toBe(0);

    const stats = agent.stats().drafters[0]!;
    // The estimate stays honest with the finer bins (never optimistic beyond the 0.02 margin).
    // Losses are disagreements, counted against an assumed strongest-tier quality of 0.85: convert back.
    expect(1 - (1 - stats.estimatedShare) * 0.85).toBeLessThanOrEqual(share + 0.02);
    expect(stats.signals.inUse).toEqual(['validator', 'agreement']);
    expect(stats.signals.agreementCoverage).toBeGreaterThan(0.9);
    expect(stats.signals.probability.agreement.unanimous!).toBeGreaterThan(0.9);
    expect(stats.signals.probability.agreement.split!).toBeLessThan(0.3); // true P(correct | split) = 0.06 / 0.452 ≈ 0.13
    expect(stats.kinds.number!.signals.inUse).toContain('agreement');
  });

  it('an uninformative agreement falls back to the signal-free policy: no worse quality than without it', async () => {
    const withSignal = signalStream(1500, { informative: false, seed: 21 });
    const without = signalStream(1500, { informative: false, seed: 21 });
    const sampled = createCascadeAgent({ models: [withSignal.cheap, withSignal.strong], validator: flatValidator, pricing, learning: { random: seededRandom(22), signals: { agreement: { samples: 3 } } } });
    const plain = createCascadeAgent({ models: [without.cheap, without.strong], validator: flatValidator, pricing, learning: { random: seededRandom(22) } });
    const a = await runStream(sampled, withSignal.items);
    const b = await runStream(plain, without.items);
    // Unanimity says nothing here: it is accepted no more often than a split (both only through the signal-free mix).
    const unanimous = acceptRate(withSignal.items, a.accepted, 500, (item) => item.unanimous);
    const split = acceptRate(withSignal.items, a.accepted, 500, (item) => !item.unanimous);
    expect(Math.abs(unanimous - split)).toBeLessThan(0.1);
    const probability = sampled.stats().drafters[0]!.signals.probability.agreement;
    expect(Math.abs(probability.unanimous! - probability.split!)).toBeLessThan(0.1);
    expect(a.share).toBeGreaterThan(0.95);
    expect(a.share).toBeGreaterThanOrEqual(b.share - 0.01);
  });

  it('samples only where the comparator can decide: free text is drafted once', async () => {
    const cheap = new MockChatModel({ modelId: 'cheap', responses: [{ text: 'Leaves drift and fall.', usage }] });
    const strong = new MockChatModel({ modelId: 'strong', responses: [{ text: 'Maple leaves descend.', usage }] });
    const agent = createCascadeAgent({ models: [cheap, strong], validator: flatValidator, pricing, learning: { signals: { agreement: true } } });
    const result = await agent.run('Write a haiku about autumn.');
    expect(cheap.calls).toHaveLength(1);
    expect(result.attempts[0]!.samples).toBeUndefined();
    expect(result.learning!.signals).toEqual({ used: ['validator'] });
  });

  it('reserves every sample: the pre-flight estimate counts the drafter k times', async () => {
    const estimates: number[] = [];
    const middleware = [{ name: 'spy', admit: (context: { estimate: { costUsd: number } }) => { estimates.push(context.estimate.costUsd); return { allowed: true as const }; } }];
    const model = (modelId: string) => new MockChatModel({ modelId, responses: [{ text: '#### 3', usage }] });
    const prompt = { messages: [{ role: 'user' as const, content: 'How many apples are left if Tom has 5 and eats 2?' }], maxOutputTokens: 100 };
    await createCascadeAgent({ models: [model('cheap'), model('strong')], pricing, middleware, learning: { signals: { agreement: { samples: 4 } } } }).run(prompt);
    await createCascadeAgent({ models: [model('cheap'), model('strong')], pricing, middleware }).run(prompt);
    // A stream drafts one answer (doStream has no n): nothing extra is reserved.
    const streaming = await createCascadeAgent({ models: [model('cheap'), model('strong')], pricing, middleware, learning: { signals: { agreement: { samples: 4 } } } }).begin(prompt, { mode: 'stream' });
    await streaming.finish('success');
    const cheapEstimate = pricing.estimate('cheap', prompt).costUsd;
    expect(estimates[0]! - estimates[1]!).toBeCloseTo(3 * cheapEstimate, 12);
    expect(estimates[2]).toBeCloseTo(estimates[1]!, 12);
    // The same figure for callers that budget ahead (runBatch's budgetUsd).
    const sampling = createCascadeAgent({ models: [model('cheap'), model('strong')], pricing, learning: { signals: { agreement: { samples: 4 } } } });
    expect(sampling.estimateCostUsd(prompt)).toBeCloseTo(estimates[0]!, 12);
    expect(sampling.estimateCostUsd(prompt, { qualityTarget: 0.7 })).toBeCloseTo(estimates[1]!, 12); // the expert threshold: no learner, no samples
  });
});

describe('live signals: token logprobs', () => {
  it('asks drafters (not the strongest tier) for logprobs and learns what confidence means', async () => {
    const { items, cheap, strong } = signalStream(1500, { informative: false, seed: 31, logprobs: 'informative' });
    const agent = createCascadeAgent({ models: [cheap, strong], validator: flatValidator, pricing, learning: { random: seededRandom(32), signals: { logprobs: true } } });
    const { accepted, results, share } = await runStream(agent, items);
    expect(cheap.requests.every((request) => request.logprobs === true)).toBe(true);
    expect(strong.requests.some((request) => request.logprobs)).toBe(false);
    expect(results[0]!.learning!.signals).toMatchObject({ used: ['validator', 'logprobs'] });
    expect(results[0]!.learning!.signals!.meanTokenProbability!).toBeGreaterThan(0);
    expect(acceptRate(items, accepted, 500, (item) => item.confident)).toBeGreaterThan(0.7);
    expect(acceptRate(items, accepted, 500, (item) => !item.confident)).toBeLessThan(0.1);
    expect(share).toBeGreaterThan(0.95);
    const stats = agent.stats().drafters[0]!;
    expect(1 - (1 - stats.estimatedShare) * 0.85).toBeLessThanOrEqual(share + 0.02);
    expect(stats.signals.inUse).toEqual(['validator', 'logprobs']);
    expect(stats.signals.probability.logprobs.high!).toBeGreaterThan(stats.signals.probability.logprobs.low!);
  });

  it('where the provider returns no logprobs it behaves exactly as without the signal', async () => {
    const on = signalStream(600, { informative: false, seed: 41, logprobs: 'none' });
    const off = signalStream(600, { informative: false, seed: 41, logprobs: 'none' });
    const withSignal = createCascadeAgent({ models: [on.cheap, on.strong], validator: flatValidator, pricing, learning: { random: seededRandom(42), signals: { logprobs: true } } });
    const plain = createCascadeAgent({ models: [off.cheap, off.strong], validator: flatValidator, pricing, learning: { random: seededRandom(42) } });
    const a = await runStream(withSignal, on.items);
    const b = await runStream(plain, off.items);
    expect(a.accepted).toEqual(b.accepted);
    expect(a.results.map((result) => result.learning?.decision)).toEqual(b.results.map((result) => result.learning?.decision));
    expect(withSignal.exportState()).toEqual(plain.exportState());
    expect(withSignal.stats().drafters[0]!.signals.inUse).toEqual(['validator']);
  });

  it('refuses choiceCount from callers: only sampled agreement sets it', async () => {
    const agent = createCascadeAgent({ models: [new MockChatModel({ modelId: 'cheap' }), new MockChatModel({ modelId: 'strong' })], pricing });
    await expect(agent.run({ messages: [{ role: 'user', content: 'hi' }], choiceCount: 3 })).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('choiceCount') });
  });

  it('refuses unknown signal options, naming the field', () => {
    const model = (modelId: string) => new MockChatModel({ modelId });
    expect(() => createCascadeAgent({ models: [model('cheap'), model('strong')], pricing, learning: { signals: { agreement: { samples: 1 } } } })).toThrow(/samples/);
    expect(() => createCascadeAgent({ models: [model('cheap'), model('strong')], pricing, learning: { signals: { logprob: true } as never } })).toThrow(/logprob/);
  });
});
