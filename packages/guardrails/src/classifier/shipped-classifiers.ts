import { classifierLogitsOfNormalized, classifierProbabilities, headLogitsOfNormalized, headProbabilityOfNormalized } from './linear-classifier';
import { normalizeForFeatures } from './normalize-for-features';
import { segmentLogitsOfNormalized } from './segment-scores';
import { stripAddresses } from './strip-addresses';
import { type CategoryScore, lazyClassifier, type LoadedClassifier } from './weights-codec';
import { INJECTION_WEIGHTS } from './weights/injection-weights';
import { MODERATION_WEIGHTS } from './weights/moderation-weights';

/** The shipped moderation classifier (heads toxic, harassment, hate, violence, sexual), decoded on first use. */
export const moderationClassifier: () => LoadedClassifier = lazyClassifier(() => MODERATION_WEIGHTS, 'moderation');
/** The shipped prompt-injection classifier (one head), decoded on first use. */
export const injectionClassifier: () => LoadedClassifier = lazyClassifier(() => INJECTION_WEIGHTS, 'injection');

/** Calibrated probability per head of the moderation classifier, by head name. */
export function moderationProbabilities(text: string): Record<string, number> {
  const classifier = moderationClassifier();
  const probabilities = classifierProbabilities(classifier, text);
  const result: Record<string, number> = {};
  for (const [index, head] of classifier.heads.entries()) result[head] = probabilities[index]!;
  return result;
}

/** The moderation model's probability per head and per stacked category score of one text (one feature pass). */
export interface ModerationModelScores {
  /** Calibrated probability per head, by head name. */
  heads: Record<string, number>;
  /** Probability per category that has a stacked score in the shipped weights (e.g. `hate` from the `toxic` and `hate` logits). */
  categories: Record<string, number>;
}

/**
 * {@link moderationProbabilities} and the stacked category scores from one pass over `text`
 * (`normalized`: `normalizeForFeatures(text)`, when the caller has it already).
 */
export function moderationModelScores(text: string, normalized: string = normalizeForFeatures(text)): ModerationModelScores {
  const classifier = moderationClassifier();
  const logits = classifierLogitsOfNormalized(classifier, normalized);
  const heads: Record<string, number> = {};
  for (const [index, head] of classifier.heads.entries()) {
    const [a, b] = classifier.calibration[index]!;
    heads[head] = 1 / (1 + Math.exp(-(a * logits[index]! + b)));
  }
  const categories: Record<string, number> = {};
  for (const [category, score] of Object.entries(classifier.categories)) categories[category] = stackedProbability(score, (head) => logits[head]!);
  return { heads, categories };
}

/**
 * The stacked scores of `categories` (those the shipped weights score) for a text already passed
 * through `normalizeForFeatures`: equal to `moderationModelScores(…).categories`, scoring only the
 * heads those categories read (the moderator's hot path).
 */
export function moderationCategoryProbabilities(normalized: string, categories: readonly string[]): Record<string, number> {
  const classifier = moderationClassifier();
  const { scored, heads } = categoryPlan(classifier, categories);
  const logits = heads.length === 0 ? new Float64Array(0) : headLogitsOfNormalized(classifier, heads, normalized);
  const result: Record<string, number> = {};
  for (const category of scored) result[category] = stackedProbability(classifier.categories[category]!, (head) => logits[heads.indexOf(head)] ?? 0);
  return result;
}

/** Per category list: the categories the weights score and the heads they read (worked out once, not per call). */
const PLANS = new Map<string, { scored: readonly string[]; heads: readonly number[] }>();

function categoryPlan(classifier: LoadedClassifier, categories: readonly string[]): { scored: readonly string[]; heads: readonly number[] } {
  const key = categories.join(',');
  let plan = PLANS.get(key);
  if (!plan) {
    const scored = categories.filter((category) => classifier.categories[category] !== undefined);
    const heads = classifier.heads.map((_, index) => index).filter((index) => scored.some((category) => (classifier.categories[category]!.weights[index] ?? 0) !== 0));
    PLANS.set(key, (plan = { scored, heads }));
  }
  return plan;
}

/** A stacked category score: sigmoid of its bias plus its weights times the heads' raw logits (heads with weight 0 are skipped). */
function stackedProbability(score: CategoryScore, logitOf: (head: number) => number): number {
  let sum = score.bias;
  for (let head = 0; head < score.weights.length; head++) if ((score.weights[head] ?? 0) !== 0) sum += score.weights[head]! * logitOf(head);
  return 1 / (1 + Math.exp(-sum));
}

/**
 * Calibrated probability that `text` is a prompt injection or jailbreak: of the whole text, or of
 * its most suspicious segment (discounted) when the weights carry segment settings. Platt-calibrated
 * on held-out training sources and centred so that 0.5 is the default threshold (≤ 1 % held-out
 * false positives); a text with little evidence stays low (the weights' evidence prior).
 */
export function injectionProbability(text: string): number {
  const classifier = injectionClassifier();
  const normalized = normalizeForFeatures(stripAddresses(text));
  // Without segments: the one head, scored alone (the same value as `classifierProbabilities(…)[0]`).
  if (!classifier.segments) return headProbabilityOfNormalized(classifier, 0, normalized);
  // Whole text and its segments from one feature pass: an instruction hidden in a long document
  // scores on its own segment instead of being diluted by the document around it.
  const { chars, offset } = classifier.segments;
  const { whole, segment } = segmentLogitsOfNormalized(classifier, 0, normalized, chars, classifier.weights);
  const [a, b] = classifier.calibration[0]!;
  return 1 / (1 + Math.exp(-(a * Math.max(whole, segment - offset) + b)));
}
