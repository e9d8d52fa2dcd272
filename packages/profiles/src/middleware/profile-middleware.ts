import { CascadeError, type CascadeMiddleware, type FeatureFlag, type PipelineMode, parseConfig } from '@cascade/core';
import { z } from 'zod';
import type { UserProfileManager } from '../manager/profile-manager';

/** Options of {@link createProfileMiddleware}. */
export interface ProfileMiddlewareOptions {
  /** Middleware name in errors and `context.state`. @default 'profiles' */
  name?: string;
  /**
   * A request without a user id: `'skip'` leaves principal and policy as they are; `'error'` refuses
   * it with `INVALID_INPUT`. @default 'skip'
   */
  onMissingUser?: 'skip' | 'error';
  /**
   * Refuse (`FEATURE_NOT_ALLOWED`) a `stream` request when the profile may not stream, and a `batch`
   * request when it may not batch. @default true
   */
  enforceModeFeatures?: boolean;
}

const profileMiddlewareOptionsSchema = z.strictObject({
  name: z.string().min(1).optional(),
  onMissingUser: z.enum(['skip', 'error']).optional(),
  enforceModeFeatures: z.boolean().optional(),
});

const FEATURE_OF_MODE: Readonly<Partial<Record<PipelineMode, FeatureFlag>>> = Object.freeze({ stream: 'streaming', batch: 'batch' });

/**
 * The profiles middleware: resolves the request's user to their profile (through the manager's cache)
 * and gives the engine its principal and policy — allowed/blocked/preferred models, quality, max cost,
 * features, user/organization/workspace limits and guardrails. So a FREE user never reaches a model the
 * tier does not allow. The TypeScript form of the plan's `CascadeAgent.from_profile()`.
 * The resolved profile is also left in `context.state.get(name)`.
 *
 * @param manager - where profiles come from.
 * @throws (from `resolve`) `STORE_FAILED` when the store fails, `FEATURE_NOT_ALLOWED` for a mode the
 *   profile may not use, `INVALID_INPUT` for a missing user with `onMissingUser: 'error'`.
 * @example
 * const agent = createCascadeAgent({ models, middleware: [createProfileMiddleware(manager), limits, guardrails] });
 * await agent.run('Hi', { userId: 'user_123' });
 */
export function createProfileMiddleware(manager: UserProfileManager, rawOptions: ProfileMiddlewareOptions = {}): CascadeMiddleware {
  if (typeof (manager as Partial<UserProfileManager> | null)?.get !== 'function') {
    throw new CascadeError('INVALID_CONFIG', 'createProfileMiddleware: the first argument must be a profile manager from createProfileManager() (it has no get() method).');
  }
  // Checked once here: a typo ('onMissingUser: "x"', 'enforceModeFeature') must not silently mean the default.
  const options = parseConfig(profileMiddlewareOptionsSchema, rawOptions, 'createProfileMiddleware options');
  const name = options.name ?? 'profiles';
  const onMissingUser = options.onMissingUser ?? 'skip';
  const enforceModeFeatures = options.enforceModeFeatures ?? true;
  return {
    name,
    async resolve(context) {
      const userId = context.userId ?? context.principal?.userId;
      if (userId === undefined || userId === '') {
        if (onMissingUser === 'error') {
          throw new CascadeError('INVALID_INPUT', `Request ${context.requestId} has no user id: pass \`userId\` so the ${name} middleware can load the profile.`);
        }
        return undefined;
      }
      const profile = await manager.get(userId, context.abortSignal ? { abortSignal: context.abortSignal } : {});
      context.state.set(name, profile);
      const feature = FEATURE_OF_MODE[context.mode];
      if (enforceModeFeatures && feature && !profile.canUseFeature(feature)) {
        throw new CascadeError(
          'FEATURE_NOT_ALLOWED',
          `The ${profile.tier.name} tier of user "${userId}" does not include ${feature}: upgrade the tier or enable the feature in the profile's limits.`,
          { details: { middleware: name, feature, tier: profile.tier.name } },
        );
      }
      return { principal: profile.toPrincipal(), policy: profile.toPolicy() };
    },
  };
}
