import type { ModerationCategory } from './moderation-category';

/** What a moderator says about one text. */
export interface ModerationResult {
  /** True when any category is flagged. */
  flagged: boolean;
  /** Flag per category (every category present). */
  categories: Record<ModerationCategory, boolean>;
  /** Score 0..1 per category (every category present). */
  scores: Record<ModerationCategory, number>;
  /** Which moderator produced this result, e.g. `openai:omni-moderation-latest` or `local`. */
  provider: string;
  /** Present when the primary provider failed and this result comes from the fallback. */
  fallback?: { from: string; reason: string };
  /** For the local moderator: the matched signal names per flagged category (no raw text). */
  signals?: Partial<Record<ModerationCategory, readonly string[]>>;
}

/** Options of one moderation call. */
export interface ModerateOptions {
  abortSignal?: AbortSignal;
}

/**
 * One interface for every moderation backend (local baseline, OpenAI `/v1/moderations`, your own).
 * Implementations throw `CascadeError` on failure; wrap with `withModerationFallback` to degrade.
 */
export interface Moderator {
  readonly name: string;
  moderate(text: string, options?: ModerateOptions): Promise<ModerationResult>;
}
