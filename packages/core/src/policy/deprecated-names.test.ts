import { describe, expect, it } from 'vitest';
import { parseConfig } from '../errors/config-error';
import { agentPolicySchema } from './agent-policy';

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
