import { CascadeError, agentPolicySchema, isModelAllowed, principalSchema } from '@cascade/core';
import { describe, expect, it } from 'vitest';
import { defineTier } from '../tier/tier-config';
import { TIER_PRESETS, type TierName } from '../tier/tier-presets';
import { UserProfile } from './user-profile';

const TIERS: TierName[] = ['free', 'starter', 'pro', 'business', 'enterprise'];

describe('UserProfile.fromTier', () => {
  it.each(TIERS)('creates a %s profile sharing the frozen preset', (name) => {
    const profile = UserProfile.fromTier(name, 'user_1');
    expect(profile.userId).toBe('user_1');
    expect(profile.tier).toBe(TIER_PRESETS[name]);
    expect(Object.isFrozen(profile)).toBe(true);
    expect(profile.effectiveBudget()).toEqual(TIER_PRESETS[name].budget);
    expect(profile.effectiveRateLimits()).toEqual(TIER_PRESETS[name].rateLimits);
    expect(profile.effectiveQuality()).toEqual(TIER_PRESETS[name].quality);
    expect(agentPolicySchema.parse(profile.toPolicy())).toEqual(profile.toPolicy());
    expect(principalSchema.parse(profile.toPrincipal()).tier).toBe(name);
  });

  it('shares effective values between tier-only profiles', () => {
    expect(UserProfile.fromTier('pro', 'a').toPolicy()).toBe(UserProfile.fromTier('pro', 'b').toPolicy());
  });

  it('accepts custom tiers and validates ids', () => {
    const startup = defineTier({ name: 'startup', budget: { dailyUsd: 5 } });
    expect(UserProfile.fromTier(startup, 'u').tier).toBe(startup);
    expect(() => UserProfile.fromTier('gold' as TierName, 'u')).toThrowError(/unknown tier "gold"/);
    expect(() => UserProfile.fromTier('pro', '')).toThrowError(/userId/);
    expect(() => UserProfile.fromTier('pro', ' padded ')).toThrowError(/whitespace/);
    // A non-ASCII id takes the validated path and is accepted.
    expect(UserProfile.fromTier('pro', 'utilisateur_é').userId).toBe('utilisateur_é');
  });

  it('maps FREE to a policy the engine enforces', () => {
    const policy = UserProfile.fromTier('free', 'u').toPolicy();
    const agentModels = ['gpt-4o-mini', 'llama3.2:3b', 'gpt-5'];
    expect(isModelAllowed(policy, 'gpt-4o-mini', agentModels)).toBe(true);
    expect(isModelAllowed(policy, 'llama3.2:3b', agentModels)).toBe(true);
    expect(isModelAllowed(policy, 'gpt-5', agentModels)).toBe(false);
    expect(policy.modelAccess).toBe('all-but-strongest');
    expect(policy.features).toMatchObject({ streaming: false, batch: false });
    // Presets carry a share: the learner decides, the score target is no fixed threshold.
    expect(policy.qualityShare).toBe(0.9);
    expect(policy.qualityTarget).toBeUndefined();
    expect(policy.qualityMin).toBe(0.6);
    expect(policy.limits?.user).toEqual({ rate: { requestsPerHour: 10, requestsPerDay: 100 }, budget: { dailyUsd: 0.1 } });
  });

  it('maps PRO and ENTERPRISE policies', () => {
    const pro = UserProfile.fromTier('pro', 'u').toPolicy();
    expect(pro.allowedModels).toBeUndefined();
    expect(pro.limits?.user?.rate?.tokensPerMinute).toBe(100_000);
    const enterprise = UserProfile.fromTier('enterprise', 'u').toPolicy();
    expect(enterprise.limits).toBeUndefined();
    expect(enterprise.qualityShare).toBe(0.99);
  });
});

describe('precedence: user > workspace > organization > tier', () => {
  const layered = (user: Record<string, unknown> = {}, workspace: Record<string, unknown> = {}, organization: Record<string, unknown> = {}) =>
    UserProfile.create({
      userId: 'u',
      tier: 'pro',
      organization: { id: 'org', overrides: organization },
      workspace: { id: 'ws', overrides: workspace },
      ...user,
    });

  it('budgets per period, with null meaning unlimited', () => {
    expect(layered().effectiveBudget()).toEqual({ dailyUsd: 10, weeklyUsd: 50, monthlyUsd: 200 });
    expect(layered({}, {}, { budget: { dailyUsd: 20 } }).effectiveBudget().dailyUsd).toBe(20);
    expect(layered({}, { budget: { dailyUsd: 30 } }, { budget: { dailyUsd: 20 } }).effectiveBudget().dailyUsd).toBe(30);
    expect(layered({ limits: { budget: { dailyUsd: 40 } } }, { budget: { dailyUsd: 30 } }, { budget: { dailyUsd: 20 } }).effectiveBudget().dailyUsd).toBe(40);
    const unlimited = layered({ limits: { budget: { monthlyUsd: null } } }, {}, { budget: { monthlyUsd: 500 } });
    expect(unlimited.effectiveBudget()).toEqual({ dailyUsd: 10, weeklyUsd: 50 });
    expect(layered({}, { budget: { weeklyUsd: null } }).effectiveBudget().weeklyUsd).toBeUndefined();
  });

  it('rate limits per field', () => {
    const profile = layered({ limits: { rateLimits: { requestsPerHour: 7 } } }, { rateLimits: { requestsPerDay: 70 } }, { rateLimits: { requestsPerDay: 50, requestsPerMinute: 3 } });
    expect(profile.effectiveRateLimits()).toEqual({ requestsPerHour: 7, requestsPerDay: 70, requestsPerMinute: 3, tokensPerMinute: 100_000 });
    expect(layered({ limits: { rateLimits: { tokensPerMinute: null } } }).effectiveRateLimits().tokensPerMinute).toBeUndefined();
  });

  it('quality, clamped into a consistent range', () => {
    expect(layered({}, {}, { quality: { target: 0.8 } }).effectiveQuality()).toEqual({ min: 0.75, target: 0.8, max: 0.9 });
    expect(layered({}, { quality: { target: 0.88 } }, { quality: { target: 0.8 } }).effectiveQuality().target).toBe(0.88);
    expect(layered({ preferences: { quality: { target: 0.76 } } }, { quality: { target: 0.88 } }).effectiveQuality().target).toBe(0.76);
    // A target above the tier's max is capped; a min above it raises the max.
    expect(layered({ preferences: { quality: { target: 0.97 } } }).effectiveQuality()).toEqual({ min: 0.75, target: 0.9, max: 0.9 });
    // No level set a score target: the tier's share (learning target) stays.
    expect(layered({ preferences: { quality: { min: 0.93 } } }).effectiveQuality()).toEqual({ min: 0.93, target: 0.93, max: 0.93, share: 0.95 });
    // A level that sets its own score target keeps the fixed threshold: no share, qualityTarget in the policy.
    expect(layered({}, {}, { quality: { target: 0.8 } }).toPolicy()).toMatchObject({ qualityTarget: 0.8 });
    expect(layered({}, {}, { quality: { target: 0.8 } }).toPolicy().qualityShare).toBeUndefined();
  });

  it('features per flag', () => {
    expect(layered({}, {}, { features: { batch: false } }).canUseFeature('batch')).toBe(false);
    expect(layered({}, { features: { batch: true } }, { features: { batch: false } }).canUseFeature('batch')).toBe(true);
    expect(layered({ limits: { features: { batch: false } } }, { features: { batch: true } }).canUseFeature('batch')).toBe(false);
    expect(UserProfile.create({ userId: 'u', tier: 'free', limits: { features: { streaming: true } } }).canUseFeature('streaming')).toBe(true);
    expect(UserProfile.fromTier('free', 'u').canUseFeature('streaming')).toBe(false);
  });

  it('stored profiles with the deprecated flags embeddings/domainRouting still load; the flags are dropped', () => {
    const tier = JSON.parse(JSON.stringify(TIER_PRESETS.pro)) as Record<string, unknown>;
    tier['name'] = 'legacy';
    tier['features'] = { streaming: true, batch: false, embeddings: true, qualityValidation: true, domainRouting: true, guardrails: true };
    const stored = { schemaVersion: 1, userId: 'u_old', tier, limits: { features: { embeddings: false, domainRouting: false, batch: true } } };
    const profile = UserProfile.fromJSON(JSON.parse(JSON.stringify(stored)));
    expect(profile.tier.features).toEqual({ streaming: true, batch: false, qualityValidation: true, guardrails: true });
    expect(profile.limits?.features).toEqual({ batch: true });
    expect(profile.toPolicy().features).toEqual({ streaming: true, batch: true, qualityValidation: true, guardrails: true });
    expect(JSON.stringify(profile.toJSON())).not.toMatch(/embeddings|domainRouting/);
    expect(agentPolicySchema.parse({ features: { embeddings: false, domainRouting: true, batch: false } }).features).toEqual({ batch: false });
    expect(() => agentPolicySchema.parse({ features: { embedings: false } })).toThrow();
  });

  it('models: allowed lists replace, blocked lists unite, preferences filtered', () => {
    const free = UserProfile.create({ userId: 'u', tier: 'free', organization: { id: 'o', overrides: { allowedModels: ['gpt-4o-mini', 'gpt-4o'] } } });
    expect(free.canUseModel('gpt-4o')).toBe(true);
    expect(free.canUseModel('gpt-3.5-turbo')).toBe(false);
    // The organization's list replaced the tier's restriction by place: gpt-4o is reachable even as the strongest.
    expect(free.canUseModel('gpt-4o', ['gpt-4o-mini', 'gpt-4o'])).toBe(true);
    const opened = UserProfile.create({ userId: 'u', tier: 'free', workspace: { id: 'w', overrides: { allowedModels: null } } });
    expect(opened.canUseModel('gpt-5')).toBe(true);
    const userWins = UserProfile.create({
      userId: 'u',
      tier: 'free',
      limits: { allowedModels: ['gpt-5-nano'] },
      workspace: { id: 'w', overrides: { allowedModels: null } },
    });
    expect(userWins.canUseModel('gpt-5')).toBe(false);
    expect(userWins.canUseModel('gpt-5-nano')).toBe(true);

    const blocked = layered({ preferences: { blockedModels: ['a'], preferredModels: ['a', 'b', 'c'] } }, { blockedModels: ['b'] }, { blockedModels: ['c', 'd'] });
    for (const model of ['a', 'b', 'c', 'd']) expect(blocked.canUseModel(model)).toBe(false);
    expect(blocked.canUseModel('e')).toBe(true);
    expect(new Set(blocked.toPolicy().blockedModels)).toEqual(new Set(['a', 'b', 'c', 'd']));
    expect(blocked.modelPreferences()).toEqual([]);

    const preferred = layered({ preferences: { preferredModels: ['x', 'y'] } }, { preferredModels: ['w'] });
    expect(preferred.modelPreferences()).toEqual(['x', 'y']);
    expect(layered({}, { preferredModels: ['w'] }, { preferredModels: ['o'] }).modelPreferences()).toEqual(['w']);
    expect(UserProfile.fromTier('free', 'u').modelPreferences()).toEqual([]);
    expect(UserProfile.fromTier('pro', 'u').modelPreferences()).toEqual([]);
  });

  it('max cost per query', () => {
    expect(layered({}, {}, { maxCostPerRequestUsd: 0.5 }).toPolicy().maxCostPerRequestUsd).toBe(0.5);
    expect(layered({ preferences: { maxCostPerRequestUsd: 0.1 } }, { maxCostPerRequestUsd: 0.2 }, { maxCostPerRequestUsd: 0.5 }).toPolicy().maxCostPerRequestUsd).toBe(0.1);
    expect(layered({ preferences: { maxCostPerRequestUsd: null } }, {}, { maxCostPerRequestUsd: 0.5 }).toPolicy().maxCostPerRequestUsd).toBeUndefined();
  });

  it('guardrails merge per guard and field, absent when nobody sets them', () => {
    expect(UserProfile.fromTier('pro', 'u').toPolicy().guardrails).toBeUndefined();
    const profile = UserProfile.create({
      userId: 'u',
      governance: { guardrails: { pii: { action: 'block' } } },
      workspace: { id: 'w', guardrails: { pii: { enabled: true, entities: ['EMAIL_ADDRESS'] }, injection: { action: 'warn' } } },
      organization: { id: 'o', guardrails: { pii: { action: 'redact' }, moderation: { enabled: false }, toxicity: { enabled: true, threshold: 0.7 } } },
    });
    expect(profile.toPolicy().guardrails).toEqual({
      pii: { enabled: true, action: 'block', entities: ['EMAIL_ADDRESS'] },
      moderation: { enabled: false },
      injection: { enabled: true, action: 'warn' },
    });
    expect(profile.toPrincipal().attributes?.['toxicity']).toEqual({ enabled: true, threshold: 0.7 });
  });

  it('carries the tool-call guards (injection.toolResults, applyTo.toolArguments/toolResults) into the policy', () => {
    const profile = UserProfile.create({
      userId: 'u',
      governance: { guardrails: { injection: { toolResults: 'mark' }, applyTo: { toolArguments: false } } },
      organization: { id: 'o', guardrails: { applyTo: { toolResults: true, input: true } } },
    });
    expect(profile.toPolicy().guardrails).toEqual({ injection: { enabled: true, toolResults: 'mark' }, applyTo: { toolArguments: false, toolResults: true, input: true } });
  });
});

describe('conversion to core', () => {
  const full = UserProfile.create({
    userId: 'user_123',
    roles: ['admin'],
    permissions: ['deploy'],
    tier: 'business',
    limits: { budget: { dailyUsd: 60 } },
    preferences: { costSensitivity: 'aggressive', maxLatencyMs: 2000, preferredDomains: ['code'] },
    governance: { auditLogLevel: 'comprehensive', complianceMode: 'gdpr', dataRetentionDays: 30 },
    organization: { id: 'acme', name: 'Acme', sharedBudget: { monthlyUsd: 5000 }, sharedRateLimits: { requestsPerMinute: 600 }, dataRegion: 'eu-west-1', timeZone: 'Europe/Berlin' },
    workspace: { id: 'prod', organizationId: 'acme', environment: 'production', sharedBudget: { dailyUsd: 200 } },
    telemetry: { metadata: { plan: 'annual', seats: 40 }, tags: ['beta'] },
  });

  it('principal carries identity, tier and governance facts', () => {
    const principal = principalSchema.parse(full.toPrincipal());
    expect(principal).toMatchObject({ userId: 'user_123', organizationId: 'acme', workspaceId: 'prod', tier: 'business', roles: ['admin'] });
    expect(principal.attributes).toMatchObject({
      permissions: ['deploy'],
      supportPriority: 'priority',
      auditLogLevel: 'comprehensive',
      complianceMode: 'gdpr',
      dataRetentionDays: 30,
      dataRegion: 'eu-west-1',
      environment: 'production',
      costSensitivity: 'aggressive',
      maxLatencyMs: 2000,
      tags: ['beta'],
    });
  });

  it('policy fills user, organization and workspace limits', () => {
    const policy = agentPolicySchema.parse(full.toPolicy());
    expect(policy.limits).toEqual({
      user: { rate: { requestsPerHour: 5000, requestsPerDay: 50_000, tokensPerMinute: 500_000 }, budget: { dailyUsd: 60, weeklyUsd: 250, monthlyUsd: 1000 } },
      organization: { rate: { requestsPerMinute: 600 }, budget: { monthlyUsd: 5000 } },
      workspace: { budget: { dailyUsd: 200 } },
      timeZone: 'Europe/Berlin',
    });
    expect(policy.features).toEqual({ streaming: true, batch: true, qualityValidation: true, guardrails: true });
  });

  it('rejects a workspace of another organization, naming the field', () => {
    expect(() => UserProfile.create({ userId: 'u', organization: { id: 'a' }, workspace: { id: 'w', organizationId: 'b' } })).toThrowError(/workspace\.organizationId/);
  });
});

describe('immutability', () => {
  it('never shares mutable state with a preset or another profile', () => {
    const input = { userId: 'u', tier: 'pro' as const, preferences: { preferredModels: ['a'] } };
    const profile = UserProfile.create(input);
    input.preferences.preferredModels.push('b');
    expect(profile.preferences?.preferredModels).toEqual(['a']);
    expect(() => (profile.preferences!.preferredModels as string[]).push('c')).toThrow(TypeError);
    expect(() => ((profile.toPolicy().features as Record<string, boolean>).batch = false)).toThrow(TypeError);
    expect(() => {
      (profile as unknown as { userId: string }).userId = 'x';
    }).toThrow(TypeError);
  });

  it('with/withTier return new profiles and keep the original', () => {
    const free = UserProfile.create({ userId: 'u', tier: 'free', telemetry: { tags: ['t'] } });
    const pro = free.withTier('pro');
    expect(pro.tier).toBe(TIER_PRESETS.pro);
    expect(pro.telemetry).toBe(free.telemetry);
    expect(free.tier).toBe(TIER_PRESETS.free);
    const tuned = pro.with({ preferences: { quality: { target: 0.88 } } });
    expect(tuned.effectiveQuality().target).toBe(0.88);
    expect(pro.effectiveQuality().target).toBe(0.85);
    expect(() => free.withTier('gold' as TierName)).toThrowError(CascadeError);
  });

  it('isInstance recognises profiles', () => {
    expect(UserProfile.isInstance(UserProfile.fromTier('pro', 'u'))).toBe(true);
    expect(UserProfile.isInstance({ userId: 'u' })).toBe(false);
  });
});
