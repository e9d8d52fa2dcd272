import { describe, expect, it } from 'vitest';
import { type PolicyBin, choosePolicy } from './choose-policy';

const draftUsd = 0.1;
const restUsd = 3;

/** Ten equally filled bins, each with loss rate `rate(index)` estimated from `labels` labels. */
function bins(rate: (index: number) => number, labels = 400): PolicyBin[] {
  return Array.from({ length: 10 }, (_, index) => {
    const loss = rate(index);
    return { index, share: 0.1, loss, variance: (loss * (1 - loss) + 1e-4) / labels };
  });
}

describe('choosePolicy', () => {
  it('accepts the bins of lowest loss first while the loss upper bound stays within budget', () => {
    const policy = choosePolicy(bins((index) => (index >= 7 ? 0.02 : 0.6)), 0.05, draftUsd, restUsd);
    expect(policy.kind).toBe('cascade');
    expect([7, 8, 9].map((index) => policy.acceptProbability.get(index))).toEqual([1, 1, 1]);
    // The marginal bin is accepted at random, just enough to spend the rest of the budget.
    const marginal = policy.acceptProbability.get(6) ?? 0;
    expect(marginal).toBeGreaterThan(0);
    expect(marginal).toBeLessThan(1);
    expect(policy.acceptProbability.size).toBe(4);
    expect(policy.lossUpperBound).toBeLessThanOrEqual(0.05 + 1e-9);
    expect(policy.expectedCostUsd).toBeCloseTo(draftUsd + (0.7 - 0.1 * marginal) * restUsd, 6);
  });

  it('falls back to the signal-free mix when the signal is useless: a share α drafted and accepted, the rest routed', () => {
    const rate = 0.3;
    const policy = choosePolicy(bins(() => rate), 0.05, draftUsd, restUsd);
    // Every bin accepted, most requests routed straight to the strong tier.
    expect(policy.kind).toBe('mix');
    expect(policy.acceptProbability.size).toBe(10);
    expect([...policy.acceptProbability.values()].every((probability) => probability === 1)).toBe(true);
    const alpha = 1 - policy.routeProbability;
    expect(alpha).toBeGreaterThan(0.1);
    expect(alpha).toBeLessThan(0.05 / rate);
    expect(policy.expectedCostUsd).toBeCloseTo(alpha * draftUsd + (1 - alpha) * restUsd, 6);
    // Never worse than the signal-free policy: a cascade that drafts everything would pay the draft on every request.
    const cascadeOnly = draftUsd + (1 - 0.05 / rate) * restUsd;
    expect(policy.expectedCostUsd).toBeLessThan(cascadeOnly);
    expect(policy.lossUpperBound).toBeLessThanOrEqual(0.05 + 1e-9);
  });

  it('routes everything when nothing is known or the budget is zero', () => {
    expect(choosePolicy([], 0.05, draftUsd, restUsd)).toMatchObject({ kind: 'strong', routeProbability: 1 });
    expect(choosePolicy(bins(() => 0.01), 0, draftUsd, restUsd)).toMatchObject({ kind: 'strong', routeProbability: 1 });
  });
});
