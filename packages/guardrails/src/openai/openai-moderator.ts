import { CascadeError, parseConfig, toCascadeError } from '@cascade/core';
import type OpenAI from 'openai';
import { z } from 'zod';
import { MODERATION_CATEGORIES, type ModerationCategory } from '../moderation/moderation-category';
import type { ModerateOptions, ModerationResult, Moderator } from '../moderation/moderator';

/** Configuration of the OpenAI moderation adapter. */
export const openAIModeratorConfigSchema = z.strictObject({
  /** Moderation model. @default 'omni-moderation-latest' */
  model: z.string().min(1).default('omni-moderation-latest'),
  /**
   * Flag from scores instead of the provider's own flags: a category is flagged when its score is
   * at least this. Absent: use the provider's `categories` flags.
   */
  threshold: z.number().min(0).max(1).optional(),
  /** Per-call time limit in ms, joined with the caller's abort signal. @default 10000 */
  timeoutMs: z.number().int().positive().default(10_000),
});

/** OpenAI moderator config as callers write it. */
export type OpenAIModeratorConfig = z.input<typeof openAIModeratorConfigSchema>;

/** Dependencies of the adapter: an `openai` client (any OpenAI-compatible base URL). */
export interface OpenAIModeratorDependencies {
  client: Pick<OpenAI, 'moderations'>;
}

/**
 * Moderation through an OpenAI-compatible `/v1/moderations` endpoint with the official `openai` SDK.
 * Errors become `CascadeError` (`MODEL_CALL_FAILED`, retryable for 408/409/429/5xx; `TIMEOUT`;
 * `ABORTED`). Wrap it with `withModerationFallback(…, createLocalModerator())` to degrade gracefully.
 *
 * @example
 * import OpenAI from 'openai';
 * const moderator = createOpenAIModerator({}, { client: new OpenAI() });
 */
export function createOpenAIModerator(config: OpenAIModeratorConfig, dependencies: OpenAIModeratorDependencies): Moderator {
  const settings = parseConfig(openAIModeratorConfigSchema, config, 'OpenAI moderator config');
  if (!dependencies?.client?.moderations) {
    throw new CascadeError('INVALID_CONFIG', 'createOpenAIModerator needs { client }: pass `new OpenAI({ apiKey, baseURL })` as the second argument.');
  }
  const name = `openai:${settings.model}`;
  return {
    name,
    async moderate(text: string, options: ModerateOptions = {}): Promise<ModerationResult> {
      const timeout = AbortSignal.timeout(settings.timeoutMs);
      const signal = options.abortSignal ? AbortSignal.any([timeout, options.abortSignal]) : timeout;
      let response: Awaited<ReturnType<OpenAI['moderations']['create']>>;
      try {
        response = await dependencies.client.moderations.create({ model: settings.model, input: text }, { signal, maxRetries: 0 });
      } catch (error) {
        throw providerError(error, name, options.abortSignal, timeout, settings.timeoutMs);
      }
      const result = response.results?.[0];
      if (!result) throw new CascadeError('MODEL_CALL_FAILED', `${name}: the moderation response had no results. Check that the endpoint implements /v1/moderations.`);
      const providerFlags = result.categories as unknown as Record<string, boolean | null | undefined>;
      const providerScores = result.category_scores as unknown as Record<string, number | null | undefined>;
      const categories = {} as Record<ModerationCategory, boolean>;
      const scores = {} as Record<ModerationCategory, number>;
      let flagged = false;
      for (const category of MODERATION_CATEGORIES) {
        const score = providerScores[category] ?? 0;
        scores[category] = score;
        categories[category] = settings.threshold === undefined ? providerFlags[category] === true : score >= settings.threshold;
        flagged ||= categories[category];
      }
      if (settings.threshold === undefined) flagged ||= result.flagged === true;
      return { flagged, categories, scores, provider: name };
    },
  };
}

function providerError(error: unknown, name: string, callerSignal: AbortSignal | undefined, timeout: AbortSignal, timeoutMs: number): CascadeError {
  if (callerSignal?.aborted) return new CascadeError('ABORTED', `${name}: moderation was aborted by the caller.`, { cause: error });
  if (timeout.aborted) return new CascadeError('TIMEOUT', `${name}: moderation took longer than ${timeoutMs} ms. Raise timeoutMs or check the endpoint.`, { cause: error, retryable: true });
  const status = typeof error === 'object' && error !== null ? (error as { status?: unknown }).status : undefined;
  const errorName = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  if (errorName === 'APIConnectionTimeoutError' || errorName === 'TimeoutError' || errorName === 'APIUserAbortError') {
    return new CascadeError('TIMEOUT', `${name}: moderation timed out. Raise timeoutMs or check the endpoint.`, { cause: error, retryable: true });
  }
  if (typeof status === 'number') {
    const retryable = status === 408 || status === 409 || status === 429 || status >= 500;
    return new CascadeError('MODEL_CALL_FAILED', `${name}: moderation request failed with HTTP ${status}. ${status === 401 ? 'Check the API key.' : retryable ? 'Retry later.' : 'Check the request.'}`, {
      cause: error,
      retryable,
      statusCode: status,
    });
  }
  return toCascadeError(error, 'MODEL_CALL_FAILED', name);
}
