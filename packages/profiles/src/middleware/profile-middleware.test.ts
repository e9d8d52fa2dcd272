import { CascadeError, type PipelineContext, type PipelineMode, agentPolicySchema, isModelAllowed } from '@cascade/core';
import { describe, expect, it } from 'vitest';
import { createProfileManager } from '../manager/profile-manager';
import { UserProfile } from '../profile/user-profile';
import { createMemoryProfileStore } from '../store/memory-store';
import { createProfileMiddleware } from './profile-middleware';

function context(userId: string | undefined, mode: PipelineMode = 'run', abortSignal?: AbortSignal): PipelineContext {
  return {
    requestId: 'req_1',
    mode,
    userId,
    principal: undefined,
    policy: {},
    request: { messages: [{ role: 'user', content: 'hi' }] },
    estimate: { inputTokens: 1, maxOutputTokens: 1, costUsd: 0 },
    abortSignal,
    state: new Map(),
  } as PipelineContext;
}

const store = createMemoryProfileStore([
  UserProfile.fromTier('pro', 'pro_user'),
  UserProfile.create({ userId: 'acme_user', tier: 'business', organization: { id: 'acme', sharedBudget: { monthlyUsd: 100 } } }),
]);
const manager = createProfileManager({ persistDefaults: false }, { store });

describe('createProfileMiddleware', () => {
  it('resolves a FREE user to a policy that keeps strong models out of reach', async () => {
    const middleware = createProfileMiddleware(manager);
    const resolved = await middleware.resolve!(context('unknown_user'));
    expect(resolved?.principal).toMatchObject({ userId: 'unknown_user', tier: 'free' });
    const policy = agentPolicySchema.parse(resolved?.policy);
    // By place in the agent's cascade: every model but the strongest.
    expect(policy.modelAccess).toBe('all-but-strongest');
    const agentModels = ['mixtral-8x7b-instruct-v0.1', 'gpt-4-1106-preview'];
    expect(isModelAllowed(policy, 'mixtral-8x7b-instruct-v0.1', agentModels)).toBe(true);
    expect(isModelAllowed(policy, 'gpt-4-1106-preview', agentModels)).toBe(false);
  });

  it('gives a PRO user every model, and org members their shared limits', async () => {
    const middleware = createProfileMiddleware(manager);
    const pro = await middleware.resolve!(context('pro_user'));
    expect(isModelAllowed(pro?.policy, 'gpt-4-1106-preview')).toBe(true);
    const member = await middleware.resolve!(context('acme_user'));
    expect(member?.principal?.organizationId).toBe('acme');
    expect(member?.policy?.limits?.organization?.budget).toEqual({ monthlyUsd: 100 });
  });

  it('leaves the profile in context.state', async () => {
    const ctx = context('pro_user');
    await createProfileMiddleware(manager, { name: 'who' }).resolve!(ctx);
    expect(UserProfile.isInstance(ctx.state.get('who'))).toBe(true);
  });

  it('refuses stream and batch requests the tier does not include', async () => {
    const middleware = createProfileMiddleware(manager);
    for (const mode of ['stream', 'batch'] as const) {
      try {
        await middleware.resolve!(context('free_user', mode));
        expect.unreachable();
      } catch (error) {
        expect(CascadeError.isInstance(error) && error.code).toBe('FEATURE_NOT_ALLOWED');
        expect((error as Error).message).toMatch(/free tier/);
      }
    }
    await expect(middleware.resolve!(context('pro_user', 'stream'))).resolves.toBeDefined();
    await expect(createProfileMiddleware(manager, { enforceModeFeatures: false }).resolve!(context('free_user', 'stream'))).resolves.toBeDefined();
  });

  it('skips or refuses requests without a user', async () => {
    expect(await createProfileMiddleware(manager).resolve!(context(undefined))).toBeUndefined();
    await expect(createProfileMiddleware(manager, { onMissingUser: 'error' }).resolve!(context(undefined))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it('passes the abort signal down', async () => {
    const slow = createProfileManager({}, { load: () => new Promise<undefined>(() => undefined) });
    const controller = new AbortController();
    const pending = createProfileMiddleware(slow).resolve!(context('u', 'run', controller.signal));
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
  });
});

describe('createProfileMiddleware options', () => {
  const manager = createProfileManager({}, { store: createMemoryProfileStore() });

  it.each([
    [{ onMissingUser: 'x' }, 'onMissingUser'],
    [{ enforceModeFeature: false }, 'enforceModeFeature'],
    [{ name: 42 }, 'name'],
  ])('refuses %j at construction, naming the field (it must not behave as the default)', (options, field) => {
    let caught: unknown;
    try {
      createProfileMiddleware(manager, options as never);
    } catch (error) {
      caught = error;
    }
    expect(CascadeError.isInstance(caught)).toBe(true);
    expect(caught).toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringContaining(field) });
  });

  it('refuses something that is not a profile manager', () => {
    expect(() => createProfileMiddleware({} as never)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
  });
});
