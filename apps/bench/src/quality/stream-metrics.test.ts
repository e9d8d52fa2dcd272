import { describe, expect, it } from 'vitest';
import { type StreamRecord, byDataset, qualityChecks, randomRouter, secondHalf, seededRandom, shuffled, summarizeStream } from './stream-metrics';

const record = (quality: number, costUsd: number, accepted: boolean, auditCostUsd = 0): StreamRecord => ({ quality, costUsd, strongQuality: 1, strongCostUsd: 10, auditCostUsd, accepted });

describe('randomRouter', () => {
  it('solves the cheap share that matches the cascade quality: α = (q_strong − q) / (q_strong − q_cheap)', () => {
    const cheap = { quality: 0.6, costUsd: 1 };
    const strong = { quality: 0.9, costUsd: 21 };
    const mix = randomRouter(cheap, strong, 0.84);
    expect(mix.cheapShare).toBeCloseTo(0.2, 12);
    expect(mix.quality).toBeCloseTo(0.84, 12);
    expect(mix.costUsd).toBeCloseTo(0.2 * 1 + 0.8 * 21, 12);
  });

  it('clips α to [0, 1]: above the strong quality is strong alone, below the cheap quality is cheap alone', () => {
    const cheap = { quality: 0.6, costUsd: 1 };
    const strong = { quality: 0.9, costUsd: 21 };
    expect(randomRouter(cheap, strong, 0.95)).toEqual({ cheapShare: 0, quality: 0.9, costUsd: 21 });
    expect(randomRouter(cheap, strong, 0.5)).toEqual({ cheapShare: 1, quality: 0.6, costUsd: 1 });
  });

  it('uses the cheap model alone when it is at least as good as the strong one', () => {
    expect(randomRouter({ quality: 0.9, costUsd: 1 }, { quality: 0.9, costUsd: 5 }, 0.9).cheapShare).toBe(1);
  });
});

describe('secondHalf', () => {
  it('takes the later half of the stream (the middle record of an odd stream included)', () => {
    const records = [record(0, 20, false), record(0, 20, false), record(1, 1, true, 0.5), record(1, 3, true), record(0, 11, false)];
    const half = secondHalf(records);
    expect(half.n).toBe(3);
    expect(half.quality).toBeCloseTo(2 / 3, 12);
    expect(half.costUsd).toBe(15);
    expect(half.savings).toBeCloseTo(1 - 15 / 30, 12);
    expect(half.qualityShare).toBeCloseTo(2 / 3, 12);
    expect(half.acceptRate).toBeCloseTo(2 / 3, 12);
    expect(half.auditCostUsd).toBe(0.5);
  });

  it('gives zeros, not NaN, for an empty stream', () => {
    expect(secondHalf([])).toEqual({ n: 0, quality: 0, costUsd: 0, savings: 0, qualityShare: 0, acceptRate: 0, auditCostUsd: 0 });
    expect(summarizeStream([record(1, 2, true)]).n).toBe(1);
  });
});

describe('byDataset', () => {
  it('summarizes each set of a mixed stream on its own', () => {
    const records = [{ ...record(1, 1, true), dataset: 'arc' }, { ...record(0, 11, false), dataset: 'mbpp' }, { ...record(0, 1, true), dataset: 'arc' }];
    const groups = byDataset(records);
    expect(Object.keys(groups)).toEqual(['arc', 'mbpp']);
    expect(groups['arc']).toMatchObject({ n: 2, quality: 0.5, costUsd: 2, acceptRate: 1 });
    expect(groups['mbpp']).toMatchObject({ n: 1, quality: 0, costUsd: 11, acceptRate: 0 });
  });
});

describe('qualityChecks', () => {
  const strong = { quality: 0.9, costUsd: 100 };
  const base = { n: 1000, dataset: 'gsm8k', strong, randomRouter: { quality: 0.86, costUsd: 60 } };

  it('passes a run that meets every condition and fails each condition on its own', () => {
    const good = { qualityShare: 0.96, costUsd: 40, savings: 0.6, estimatedShare: 0.95 };
    expect(qualityChecks({ ...base, cascade: good })).toEqual({ share: true, costVsRandomRouter: true, honestEstimate: true, gsm8kSavings: true, pass: true });
    expect(qualityChecks({ ...base, cascade: { ...good, qualityShare: 0.94 } })).toMatchObject({ share: false, pass: false });
    expect(qualityChecks({ ...base, cascade: { ...good, costUsd: 1.02 * 60 + 0.05 * 100 + 0.01 } })).toMatchObject({ costVsRandomRouter: false, pass: false });
    expect(qualityChecks({ ...base, cascade: { ...good, estimatedShare: 0.99 } })).toMatchObject({ honestEstimate: false, pass: false });
    expect(qualityChecks({ ...base, cascade: { ...good, savings: 0.44 } })).toMatchObject({ gsm8kSavings: false, pass: false });
  });

  it('does not apply the cost check below 500 queries, nor the savings check outside GSM8K', () => {
    const checks = qualityChecks({ ...base, n: 80, dataset: 'mt-bench', cascade: { qualityShare: 0.97, costUsd: 99, savings: 0.01, estimatedShare: undefined } });
    expect(checks).toEqual({ share: true, costVsRandomRouter: null, honestEstimate: null, gsm8kSavings: null, pass: true });
  });
});

describe('shuffled', () => {
  it('is a permutation fixed by the seed', () => {
    const items = Array.from({ length: 50 }, (_, index) => index);
    const first = shuffled(items, seededRandom(7));
    expect([...first].sort((a, b) => a - b)).toEqual(items);
    expect(shuffled(items, seededRandom(7))).toEqual(first);
    expect(shuffled(items, seededRandom(8))).not.toEqual(first);
  });
});
