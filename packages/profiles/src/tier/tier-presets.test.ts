import { CascadeError } from '@cascade/core';
import { describe, expect, it } from 'vitest';
import { defineTier, deriveTier, isTierConfig } from './tier-config';
import { FREE_TIER_MODELS, TIER_PRESETS, isTierName, presetNameOf } from './tier-presets';

function expectDeepFrozen(value: unknown, path = 'value'): void {
  if (typeof value !== 'object' || value === null) return;
  expect(Object.isFrozen(value), `${path} is frozen`).toBe(true);
  for (const [key, child] of Object.entries(value)) expectDeepFrozen(child, `${path}.${key}`);
}

describe('TIER_PRESETS', () => {
  it('has the plan numbers for FREE', () => {
    const free = TIER_PRESETS.free;
    expect(free.name).toBe('free');
    expect(free.budget).toEqual({ dailyUsd: 0.1 });
    expect(free.rateLimits).toEqual({ requestsPerHour: 10, requestsPerDay: 100 });
    expect(free.features).toEqual({ streaming: false, batch: false, qualityValidation: true, guardrails: true });
    expect(free.quality).toEqual({ min: 0.6, target: 0.7, max: 0.8, share: 0.9 });
    expect(free.allowedModels).toBeUndefined();
    expect(free.modelAccess).toBe('all-but-strongest');
    expect(FREE_TIER_MODELS).toContain('gpt-4o-mini');
    expect(free.supportPriority).toBe('community');
  });

  it('has the plan numbers for STARTER', () => {
    const starter = TIER_PRESETS.starter;
    expect(starter.budget).toEqual({ dailyUsd: 1, weeklyUsd: 5 });
    expect(starter.rateLimits).toEqual({ requestsPerHour: 100, requestsPerDay: 1000 });
    expect(starter.features).toMatchObject({ streaming: true, batch: false });
    expect(starter.quality).toEqual({ min: 0.7, target: 0.8, max: 0.85, share: 0.93 });
    expect(starter.allowedModels).toBeUndefined();
    expect(starter.supportPriority).toBe('community');
  });

  it('has the plan numbers for PRO', () => {
    const pro = TIER_PRESETS.pro;
    expect(pro.budget).toEqual({ dailyUsd: 10, weeklyUsd: 50, monthlyUsd: 200 });
    expect(pro.rateLimits).toEqual({ requestsPerHour: 1000, requestsPerDay: 10_000, tokensPerMinute: 100_000 });
    expect(Object.values(pro.features).every(Boolean)).toBe(true);
    expect(pro.quality).toEqual({ min: 0.75, target: 0.85, max: 0.9, share: 0.95 });
    expect(pro.supportPriority).toBe('priority');
  });

  it('has the plan numbers for BUSINESS', () => {
    const business = TIER_PRESETS.business;
    expect(business.budget).toEqual({ dailyUsd: 50, weeklyUsd: 250, monthlyUsd: 1000 });
    expect(business.rateLimits).toEqual({ requestsPerHour: 5000, requestsPerDay: 50_000, tokensPerMinute: 500_000 });
    expect(Object.values(business.features).every(Boolean)).toBe(true);
    expect(business.quality).toEqual({ min: 0.8, target: 0.9, max: 0.95, share: 0.97 });
    expect(business.supportPriority).toBe('priority');
  });

  it('has the plan numbers for ENTERPRISE: unlimited', () => {
    const enterprise = TIER_PRESETS.enterprise;
    expect(enterprise.budget).toEqual({});
    expect(enterprise.rateLimits).toEqual({});
    expect(Object.values(enterprise.features).every(Boolean)).toBe(true);
    expect(enterprise.quality).toEqual({ min: 0.85, target: 0.95, max: 0.98, share: 0.99 });
    expect(enterprise.supportPriority).toBe('dedicated');
  });

  it('is deeply immutable', () => {
    expectDeepFrozen(TIER_PRESETS);
    expect(() => {
      (TIER_PRESETS.free.budget as { dailyUsd?: number }).dailyUsd = 100;
    }).toThrow(TypeError);
    expect(() => {
      (TIER_PRESETS.free as { modelAccess?: string }).modelAccess = 'all';
    }).toThrow(TypeError);
    expect(TIER_PRESETS.free.budget.dailyUsd).toBe(0.1);
  });

  it('knows its names', () => {
    for (const name of ['free', 'starter', 'pro', 'business', 'enterprise'] as const) {
      expect(isTierName(name)).toBe(true);
      expect(presetNameOf(TIER_PRESETS[name])).toBe(name);
      expect(isTierConfig(TIER_PRESETS[name])).toBe(true);
    }
    expect(isTierName('gold')).toBe(false);
    expect(isTierName('toString')).toBe(false);
  });
});

describe('defineTier', () => {
  it('fills defaults and freezes a custom tier', () => {
    const startup = defineTier({ name: 'startup', budget: { dailyUsd: 5 }, rateLimits: { requestsPerHour: 1000 } });
    expect(startup.features).toEqual({ streaming: true, batch: false, qualityValidation: true, guardrails: true });
    expect(startup.quality).toEqual({ min: 0.6, target: 0.8, max: 0.95 });
    expect(startup.supportPriority).toBe('standard');
    expectDeepFrozen(startup);
    expect(isTierConfig(startup)).toBe(true);
    expect(presetNameOf(startup)).toBeUndefined();
  });

  it('names the bad field', () => {
    const attempt = (): unknown => defineTier({ name: 'x', budget: { dailyUsd: -1 } });
    expect(attempt).toThrowError(/budget\.dailyUsd/);
    try {
      attempt();
    } catch (error) {
      expect(CascadeError.isInstance(error) && error.code).toBe('INVALID_CONFIG');
    }
    expect(() => defineTier({ name: 'x', quality: { min: 0.9, target: 0.8 } })).toThrowError(/quality\.min/);
    expect(() => defineTier({ name: 'x', budget: { daily: 1 } } as never)).toThrowError(/daily/);
  });
});

describe('deriveTier', () => {
  it('merges overrides field by field without touching the base', () => {
    const proPlus = deriveTier(TIER_PRESETS.pro, { name: 'pro-plus', budget: { dailyUsd: 25 }, features: { batch: false } });
    expect(proPlus.budget).toEqual({ dailyUsd: 25, weeklyUsd: 50, monthlyUsd: 200 });
    expect(proPlus.features.batch).toBe(false);
    expect(proPlus.features.streaming).toBe(true);
    expect(TIER_PRESETS.pro.budget.dailyUsd).toBe(10);
    expect(TIER_PRESETS.pro.features.batch).toBe(true);
    expectDeepFrozen(proPlus);
  });

  it('validates the result', () => {
    expect(() => deriveTier(TIER_PRESETS.free, { quality: { target: 0.9 } })).toThrowError(/quality\.target/);
  });
});
