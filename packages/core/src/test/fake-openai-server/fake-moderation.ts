import { z } from 'zod';
import { MODERATION_CATEGORIES, type ModerationCategory } from '../../moderation/moderation-category';

/** The moderation categories of OpenAI's `omni-moderation` models (core's shared list). */
export const FAKE_MODERATION_CATEGORIES = MODERATION_CATEGORIES;

/** One moderation category, as OpenAI spells it. */
export type FakeModerationCategory = ModerationCategory;

/** Category scores (0..1) for one input; categories left out score near zero. A score of 0.5 or more flags. */
export type FakeModerationScores = Partial<Record<FakeModerationCategory, number>>;

/**
 * A keyword rule: an input containing `keyword` (case-insensitive) or matching the RegExp gets `score`
 * in each of `categories`.
 *
 * @example
 * { keyword: 'kill', categories: ['violence'] }
 */
export interface FakeModerationRule {
  keyword: string | RegExp;
  categories: readonly FakeModerationCategory[];
  /** @default 0.9 */
  score?: number;
}

/** Scores one input text; return `{}` for all-clear. */
export type FakeModerationHandler = (input: string, context: { model: string }) => FakeModerationScores | Promise<FakeModerationScores>;

const FLAG_THRESHOLD = 0.5;
const BASELINE_SCORE = 0.000_1;
const IMAGE_CATEGORIES = new Set<FakeModerationCategory>(['self-harm', 'self-harm/intent', 'self-harm/instructions', 'sexual', 'violence', 'violence/graphic']);

const contentPartSchema = z.looseObject({ type: z.string(), text: z.string().optional() });

/** The moderation request body the fake server accepts. */
export const fakeModerationRequestSchema = z.looseObject({
  input: z.union([z.string(), z.array(z.string()), z.array(contentPartSchema)]),
  model: z.string().optional(),
});

/** Splits a moderation `input` into the texts that get one result each (content parts form one input). */
export function moderationInputs(input: z.output<typeof fakeModerationRequestSchema>['input']): { text: string; hasImage: boolean }[] {
  if (typeof input === 'string') return [{ text: input, hasImage: false }];
  if (input.every((item): item is string => typeof item === 'string')) return input.map((text) => ({ text, hasImage: false }));
  const parts = input.filter((item): item is z.output<typeof contentPartSchema> => typeof item !== 'string');
  return [{ text: parts.map((part) => part.text ?? '').join('\n'), hasImage: parts.some((part) => part.type === 'image_url') }];
}

/** A handler built from keyword rules: the highest matching score wins per category. */
export function moderationHandlerFromRules(rules: readonly FakeModerationRule[]): FakeModerationHandler {
  return (input) => {
    const lower = input.toLowerCase();
    const scores: FakeModerationScores = {};
    for (const rule of rules) {
      const matched = typeof rule.keyword === 'string' ? lower.includes(rule.keyword.toLowerCase()) : new RegExp(rule.keyword.source, rule.keyword.flags.replace('g', '')).test(input);
      if (!matched) continue;
      for (const category of rule.categories) scores[category] = Math.max(scores[category] ?? 0, rule.score ?? 0.9);
    }
    return scores;
  };
}

/** One `results[]` entry in OpenAI's shape. */
export function moderationResult(scores: FakeModerationScores, hasImage: boolean): Record<string, unknown> {
  const categories: Record<string, boolean> = {};
  const categoryScores: Record<string, number> = {};
  const appliedTypes: Record<string, string[]> = {};
  for (const category of FAKE_MODERATION_CATEGORIES) {
    const score = scores[category] ?? BASELINE_SCORE;
    categoryScores[category] = score;
    categories[category] = score >= FLAG_THRESHOLD;
    appliedTypes[category] = hasImage && IMAGE_CATEGORIES.has(category) ? ['text', 'image'] : ['text'];
  }
  return {
    flagged: Object.values(categories).some(Boolean),
    categories,
    category_scores: categoryScores,
    category_applied_input_types: appliedTypes,
  };
}
