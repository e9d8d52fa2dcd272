import { describe, expect, it } from 'vitest';
import { parseConfig } from '../errors/config-error';
import { agentPolicySchema } from './agent-policy';
import { planOf, principalSchema } from './principal';

// Issue 14.11: `policy.limits.mode` is now `policy.limits.enforcement`; the old key works for one minor version.
describe('deprecated policy.limits.mode', () => {
  it('maps to enforcement', () => {
    const policy = parseConfig(agentPolicySchema, { limits: { mode: 'warn', user: { rate: { requestsPerMinute: 1 } } } }, 'policy');
    expect(policy.limits).toEqual({ enforcement: 'warn', user: { rate: { requestsPerMinute: 1 } } });
  });

  it('next to a different enforcement is refused', () => {
    expect(() => parseConfig(agentPolicySchema, { limits: { mode: 'warn', enforcement: 'block' } }, 'policy')).toThrow(/limits.mode is the deprecated name of limits.enforcement/);
  });
});

// `tier` means a model's position in the cascade; a principal's subscription is its `plan`.
describe('deprecated principal.tier', () => {
  it('is copied to plan when parsed, and both stay equal for readers of either', () => {
    expect(principalSchema.parse({ userId: 'u', tier: 'pro' })).toEqual({ userId: 'u', plan: 'pro', tier: 'pro' });
    expect(principalSchema.parse({ userId: 'u', plan: 'pro' })).toEqual({ userId: 'u', plan: 'pro' });
  });

  it('a principal built in code with only tier still has a plan for planOf', () => {
    expect(planOf({ userId: 'u', tier: 'business' })).toBe('business');
    expect(planOf({ userId: 'u', plan: 'pro', tier: 'pro' })).toBe('pro');
    expect(planOf(undefined)).toBeUndefined();
  });

  it('next to a different plan is refused', () => {
    expect(() => parseConfig(principalSchema, { userId: 'u', plan: 'pro', tier: 'free' }, 'principal')).toThrow(/principal.tier is the deprecated name of principal.plan/);
  });
});
