import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isModelAllowed } from './agent-policy';
import { mergePolicies } from './merge-policy';

describe('mergePolicies', () => {
  it('overrides scalars and merges features', () => {
    expect(mergePolicies({ qualityTarget: 0.6, features: { batch: false } }, { qualityTarget: 0.9, features: { streaming: false } })).toEqual({
      qualityTarget: 0.9,
      features: { batch: false, streaming: false },
    });
  });

  it('never re-opens a model any layer closed (property)', () => {
    const ids = ['a', 'b', 'c', 'd'];
    const layer = fc.record({ allowedModels: fc.option(fc.subarray(ids), { nil: undefined }), blockedModels: fc.option(fc.subarray(ids), { nil: undefined }) }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.array(layer, { maxLength: 4 }), (layers) => {
        const merged = mergePolicies(...layers);
        for (const id of ids) {
          const allowedByAll = layers.every((l) => isModelAllowed(l, id));
          expect(isModelAllowed(merged, id)).toBe(allowedByAll);
        }
      }),
    );
  });

  it('merges limits and guardrails field by field instead of replacing them', () => {
    const merged = mergePolicies(
      { limits: { user: { rate: { requestsPerMinute: 10 }, budget: { dailyUsd: 1 } }, timeZone: 'UTC' }, guardrails: { pii: { enabled: true, action: 'redact' }, injection: { enabled: true } } },
      { limits: { user: { rate: { tokensPerMinute: 1000 } }, organization: { budget: { monthlyUsd: 100 } } }, guardrails: { pii: { enabled: true, action: 'block' } } },
    );
    expect(merged.limits).toEqual({
      user: { rate: { requestsPerMinute: 10, tokensPerMinute: 1000 }, budget: { dailyUsd: 1 } },
      organization: { budget: { monthlyUsd: 100 } },
      timeZone: 'UTC',
    });
    expect(merged.guardrails).toEqual({ pii: { enabled: true, action: 'block' }, injection: { enabled: true } });
  });
});
