import { isAbortError, toCascadeError } from '@cascade/core';
import type { ModerateOptions, ModerationResult, Moderator } from './moderator';

/**
 * Wraps a moderator (e.g. the OpenAI adapter) so that a provider failure — network error, 5xx, 429,
 * timeout — falls back to `fallback` (usually the local baseline), and the result says so in
 * `fallback: { from, reason }`. Caller aborts are never swallowed.
 *
 * @example
 * const moderator = withModerationFallback(createOpenAIModerator({ client }), createLocalModerator());
 */
export function withModerationFallback(primary: Moderator, fallback: Moderator): Moderator {
  return {
    name: `${primary.name}+fallback:${fallback.name}`,
    async moderate(text: string, options: ModerateOptions = {}): Promise<ModerationResult> {
      try {
        return await primary.moderate(text, options);
      } catch (error) {
        if (options.abortSignal?.aborted || (isAbortError(error) && !isTimeoutLike(error))) throw toCascadeError(error, 'ABORTED', 'moderation');
        const reason = toCascadeError(error, 'MODEL_CALL_FAILED', primary.name).message;
        const result = await fallback.moderate(text, options);
        return { ...result, fallback: { from: primary.name, reason } };
      }
    },
  };
}

function isTimeoutLike(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'TimeoutError';
}
