// The category list lives in core (one list for moderators and the fake server).
export { MODERATION_CATEGORIES, moderationCategorySchema, type ModerationCategory } from '@cascade/core';
