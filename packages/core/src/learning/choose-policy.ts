/** One bin as the policy sees it: its share of drafts, estimated loss rate and that estimate's variance. */
export interface PolicyBin {
  index: number;
  share: number;
  loss: number;
  variance: number;
}

/** How one drafter treats one kind of request. */
export interface Policy {
  /** The loss budget it was chosen for. */
  budget: number;
  /** P(skip drafting and go straight to the next tier). */
  routeProbability: number;
  /** P(accept) of a draft in each bin; absent bins escalate. */
  acceptProbability: ReadonlyMap<number, number>;
  /** Expected cost per request and upper bound of the loss per request. */
  expectedCostUsd: number;
  lossUpperBound: number;
  /** Which candidate won, for people. */
  kind: 'cold' | 'strong' | 'cascade' | 'mix';
}

const Z = 1.645;

interface Point {
  cost: number;
  loss: number;
  variance: number;
  /** Bins accepted fully, and the marginal one with its accept probability. */
  accepted: number;
  fraction: number;
}

const upper = (loss: number, variance: number): number => loss + Z * Math.sqrt(Math.max(0, variance));

/**
 * Picks the cheapest policy whose loss UPPER bound stays within `budget`, on the lower convex hull of:
 * strong only (route everything: cost `restUsd`, loss 0); the cascade accepting the bins of lowest
 * estimated loss first (cost `draftUsd + P(escalate)·restUsd`, the marginal bin accepted at random);
 * and any mix of a cascade point with strong-only (route a random share). The mix of "accept every
 * draft" with strong-only is the signal-free policy — answer a share α with the drafter alone — so a
 * useless signal can never make the choice worse than that.
 */
export function choosePolicy(bins: readonly PolicyBin[], budget: number, draftUsd: number, restUsd: number): Policy {
  const sorted = [...bins].sort((left, right) => left.loss - right.loss || right.index - left.index);
  const points: Point[] = [];
  let share = 0;
  let loss = 0;
  let variance = 0;
  points.push({ cost: draftUsd + restUsd, loss: 0, variance: 0, accepted: 0, fraction: 0 });
  for (let index = 0; index < sorted.length; index++) {
    const bin = sorted[index]!;
    const before = { share, loss, variance };
    share += bin.share;
    loss += bin.share * bin.loss;
    variance += bin.share * bin.share * bin.variance;
    if (upper(loss, variance) > budget && upper(before.loss, before.variance) <= budget) {
      // The marginal bin, accepted at random: the largest fraction that keeps the bound.
      let low = 0;
      let high = 1;
      for (let step = 0; step < 30; step++) {
        const mid = (low + high) / 2;
        const fits = upper(before.loss + mid * bin.share * bin.loss, before.variance + mid * mid * bin.share * bin.share * bin.variance) <= budget;
        if (fits) low = mid;
        else high = mid;
      }
      points.push({
        cost: draftUsd + (1 - before.share - low * bin.share) * restUsd,
        loss: before.loss + low * bin.share * bin.loss,
        variance: before.variance + low * low * bin.share * bin.share * bin.variance,
        accepted: index,
        fraction: low,
      });
    }
    points.push({ cost: draftUsd + (1 - share) * restUsd, loss, variance, accepted: index + 1, fraction: 0 });
  }
  let best: { cost: number; route: number; point: Point | undefined } = { cost: restUsd, route: 1, point: undefined };
  for (const point of points) {
    const bound = upper(point.loss, point.variance);
    if (point.cost >= restUsd) continue;
    if (bound <= budget) {
      if (point.cost < best.cost) best = { cost: point.cost, route: 0, point };
      continue;
    }
    // Mix with strong-only: route a share so the bound (linear in the drafted share) meets the budget.
    const drafted = budget / bound;
    const cost = (1 - drafted) * restUsd + drafted * point.cost;
    if (cost < best.cost) best = { cost, route: 1 - drafted, point };
  }
  const acceptProbability = new Map<number, number>();
  const point = best.point;
  if (point) {
    for (let index = 0; index < point.accepted; index++) acceptProbability.set(sorted[index]!.index, 1);
    if (point.fraction > 0) acceptProbability.set(sorted[point.accepted]!.index, point.fraction);
  }
  const kind: Policy['kind'] = !point ? 'strong' : best.route > 0 ? 'mix' : 'cascade';
  return {
    budget,
    routeProbability: best.route,
    acceptProbability,
    expectedCostUsd: best.cost,
    lossUpperBound: point ? (1 - best.route) * upper(point.loss, point.variance) : 0,
    kind,
  };
}
