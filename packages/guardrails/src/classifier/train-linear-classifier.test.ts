import { describe, expect, it } from 'vitest';
import { classifierProbabilities, type LinearClassifier } from './linear-classifier';
import { fitLogistic, fitPlatt, quantize, trainLinearClassifier, type TrainingExample, type TrainingSettings } from './train-linear-classifier';
import { fnv1a } from './weights-codec';

// A tiny in-test sample (the real training data is never read by `pnpm test`).
const HOSTILE = ['you are a worthless idiot', 'shut up you stupid moron', 'i hate you, loser', 'what a pathetic clown you are', 'get lost, idiot', 'you dumb moron'];
const FRIENDLY = ['thank you for your help', 'have a lovely day', 'the meeting is at noon', 'i like this recipe', 'see you tomorrow at the park', 'great work on the report'];
const SAMPLE: TrainingExample[] = [
  ...HOSTILE.map((text) => ({ text, labels: [1, null] as const })),
  ...FRIENDLY.map((text) => ({ text, labels: [0, 0] as const })),
];
const SETTINGS: TrainingSettings = { heads: ['abuse', 'unused'], bucketBits: 12, epochs: 8, learningRate: 0.3, l2: 1e-6, seed: 7 };

const asClassifier = (trained: ReturnType<typeof trainLinearClassifier>): LinearClassifier => ({
  heads: trained.heads, buckets: trained.buckets, weights: trained.weights, scales: [1, 1], bias: [...trained.bias], calibration: [[1, 0], [1, 0]],
});

describe('trainLinearClassifier', () => {
  it('is deterministic: same data, same seed → byte-identical weights (also after quantization)', () => {
    const first = trainLinearClassifier(SAMPLE, SETTINGS);
    const second = trainLinearClassifier(SAMPLE, SETTINGS);
    expect(Buffer.from(first.weights.buffer).equals(Buffer.from(second.weights.buffer))).toBe(true);
    expect([...first.bias]).toEqual([...second.bias]);
    expect(fnv1a(quantize(first).weights)).toBe(fnv1a(quantize(second).weights));
  });

  it('depends on the seed (the visiting order)', () => {
    const first = trainLinearClassifier(SAMPLE, SETTINGS);
    const other = trainLinearClassifier(SAMPLE, { ...SETTINGS, seed: 8 });
    expect(Buffer.from(first.weights.buffer).equals(Buffer.from(other.weights.buffer))).toBe(false);
  });

  it('learns the sample and masks null labels out of the loss', () => {
    const trained = trainLinearClassifier(SAMPLE, SETTINGS);
    const classifier = asClassifier(trained);
    expect(classifierProbabilities(classifier, 'you stupid idiot')[0]).toBeGreaterThan(0.5);
    expect(classifierProbabilities(classifier, 'thank you, see you tomorrow')[0]).toBeLessThan(0.5);
    // The second head only ever saw negatives (its positives were null): it must not have learned "abuse".
    const unused = classifierProbabilities(classifier, 'you stupid idiot')[1]!;
    expect(unused).toBeLessThan(0.5);
  });

  it('reads misspelled and obfuscated words through character n-grams', () => {
    const classifier = asClassifier(trainLinearClassifier(SAMPLE, SETTINGS));
    expect(classifierProbabilities(classifier, 'u r a worthles idi0t!')[0]).toBeGreaterThan(0.5);
  });
});

describe('fitPlatt', () => {
  it('fits a positive slope on separable-ish data without diverging', () => {
    const logits = [-3, -2, -1.5, -1, 0.5, 1, 2, 3, 0, -0.5];
    const labels = [0, 0, 0, 0, 1, 1, 1, 1, 1, 0] as const;
    const [a, b] = fitPlatt(logits, [...labels]);
    expect(Number.isFinite(a) && Number.isFinite(b)).toBe(true);
    expect(a).toBeGreaterThan(0);
  });
});

describe('fitLogistic', () => {
  it('weights the informative input up and leaves the noise input near 0', () => {
    // Input 0 separates the labels (with overlap); input 1 takes ±1 equally often in both classes.
    const negatives = [-2, -1, -0.5, 0.3].flatMap((x) => [[x, 1], [x, -1]]);
    const positives = [2, 1, 0.5, -0.3].flatMap((x) => [[x, 1], [x, -1]]);
    const labels = [...negatives.map(() => 0 as const), ...positives.map(() => 1 as const)];
    const inputs = [...negatives, ...positives];
    const [bias, informative, noise] = fitLogistic(inputs, labels, inputs.map(() => 1));
    expect(Math.abs(bias!)).toBeLessThan(1e-6);
    expect(informative!).toBeGreaterThan(1);
    expect(Math.abs(noise!)).toBeLessThan(1e-6);
  });

  it('honours sample weights', () => {
    const inputs = [[0], [0], [1], [1]];
    const light = fitLogistic(inputs, [0, 1, 0, 1], [1, 1, 1, 1]);
    const heavy = fitLogistic(inputs, [0, 1, 0, 1], [1, 1, 1, 9]);
    expect(heavy[1]!).toBeGreaterThan(light[1]! + 0.5);
  });
});
