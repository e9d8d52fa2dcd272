import { CascadeError } from '@cascade/core';
import { classifierProbabilities, headProbabilityOfNormalized } from './linear-classifier';
import { normalizeForFeatures } from './normalize-for-features';
import { lazyClassifier, type LoadedClassifier } from './weights-codec';
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

/** Calibrated probability that `text` is a prompt injection or jailbreak. */
export function injectionProbability(text: string): number {
  // The one head, scored alone (the same value as `classifierProbabilities(…)[0]`, without the per-head arrays).
  return headProbabilityOfNormalized(injectionClassifier(), 0, normalizeForFeatures(text));
}

/**
 * Calibrated probability of one moderation head for text already passed through
 * `normalizeForFeatures` (equal to `moderationProbabilities(text)[head]`, without scoring the other heads).
 */
export function moderationHeadProbability(head: string, normalized: string): number {
  const classifier = moderationClassifier();
  const index = classifier.heads.indexOf(head);
  if (index === -1) throw new CascadeError('INVALID_CONFIG', `The moderation classifier has no head "${head}": use one of ${classifier.heads.join(', ')}.`);
  return headProbabilityOfNormalized(classifier, index, normalized);
}
