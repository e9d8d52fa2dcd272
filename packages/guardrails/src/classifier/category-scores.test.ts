import { describe, expect, it } from 'vitest';
import { classifierLogitsOfNormalized, headLogitsOfNormalized } from './linear-classifier';
import { normalizeForFeatures } from './normalize-for-features';
import { moderationCategoryProbabilities, moderationClassifier, moderationModelScores } from './shipped-classifiers';

const TEXTS = [
  '',
  'Thanks for the recipe, the cake turned out great.',
  'You are a worthless idiot and everyone hates you.',
  'Those people are vermin and should all be thrown out of the country!',
  `${'A calm paragraph about gardening and the weather. '.repeat(120)} you stupid moron, I hate you.`,
];

describe('moderationCategoryProbabilities (the moderator hot path)', () => {
  it.each(TEXTS.map((text) => [text.slice(0, 40), text]))('equals the full model scores for %j', (_, text) => {
    const full = moderationModelScores(text).categories;
    const fast = moderationCategoryProbabilities(normalizeForFeatures(text), ['harassment', 'hate', 'self-harm']);
    expect(Object.keys(fast).sort()).toEqual(['harassment', 'hate']);
    expect(fast.harassment).toBe(full.harassment);
    expect(fast.hate).toBe(full.hate);
  });

  it('scores the abusive text above the friendly one', () => {
    const friendly = moderationCategoryProbabilities(normalizeForFeatures(TEXTS[1]!), ['harassment']).harassment!;
    const abusive = moderationCategoryProbabilities(normalizeForFeatures(TEXTS[2]!), ['harassment']).harassment!;
    expect(abusive).toBeGreaterThan(friendly);
  });
});

describe('headLogitsOfNormalized', () => {
  it('gives the same logits before its compact head table is built (first texts) and after', () => {
    // A copy has no table yet: its first texts are read from the interleaved weights.
    const classifier = { ...moderationClassifier() };
    const heads = [0, 2];
    const normalized = TEXTS.map((text) => normalizeForFeatures(text));
    const before = normalized.map((text) => [...headLogitsOfNormalized(classifier, heads, text)]);
    // Enough features to have the table built.
    headLogitsOfNormalized(classifier, heads, normalizeForFeatures('an ordinary sentence about the weather. '.repeat(400)));
    const after = normalized.map((text) => [...headLogitsOfNormalized(classifier, heads, text)]);
    expect(after).toEqual(before);
    for (const [index, text] of normalized.entries()) {
      const full = classifierLogitsOfNormalized(classifier, text);
      expect(before[index]).toEqual(heads.map((head) => full[head]));
    }
  });
});
