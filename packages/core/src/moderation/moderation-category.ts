import { z } from 'zod';

/** The categories of OpenAI's moderation endpoint (omni-moderation): the one list every moderator and fake shares. */
export const MODERATION_CATEGORIES = [
  'harassment',
  'harassment/threatening',
  'hate',
  'hate/threatening',
  'illicit',
  'illicit/violent',
  'self-harm',
  'self-harm/intent',
  'self-harm/instructions',
  'sexual',
  'sexual/minors',
  'violence',
  'violence/graphic',
] as const;

/** Schema of one moderation category. */
export const moderationCategorySchema = z.enum(MODERATION_CATEGORIES);

/** One moderation category, as OpenAI spells it. */
export type ModerationCategory = z.output<typeof moderationCategorySchema>;
