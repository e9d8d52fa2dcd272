import { z } from 'zod';
import type { PlannedTier } from './plan-tiers';

/**
 * Options of adaptive ("draft only when it pays") routing. A draft from tier i before tier j costs
 * `cost(i) + (1 - p)·cost(j)` in expectation against `cost(j)` without it, so it pays only when
 * `p·cost(j) > cost(i)`, where p is the drafter's acceptance rate at the request's threshold.
 */
export const adaptiveRoutingOptionsSchema = z.strictObject({
  /** Drafts a (model, threshold bucket) must have been judged on before its estimate is trusted. @default 20 */
  minSamples: z.number().int().positive().default(20),
  /** Share of requests that still draft a tier the estimate says to skip, so the estimate stays fresh. @default 0.05 */
  exploreRate: z.number().min(0).max(1).default(0.05),
  /** Samples after which an observation weighs half: acceptance rates follow drifting traffic. @default 100 */
  halfLife: z.number().positive().default(100),
  /** USD one second of added latency is worth; 0 compares money only. @default 0 */
  latencyUsdPerSecond: z.number().min(0).default(0),
  /** Uniform [0, 1) source for exploration; inject it in tests. @default Math.random */
  random: z.custom<() => number>((v) => typeof v === 'function', { message: 'random must be a function returning [0, 1)' }).optional(),
});
export type AdaptiveRoutingOptions = z.input<typeof adaptiveRoutingOptionsSchema>;
type ParsedAdaptiveOptions = z.output<typeof adaptiveRoutingOptionsSchema>;

/** A drafter adaptive routing skipped, with the estimate that made drafting not pay. */
export interface AdaptiveSkip {
  model: string;
  /** Decayed share of this model's drafts accepted at this threshold bucket. */
  acceptRate: number;
  /** Drafts judged at this threshold bucket (undecayed count). */
  samples: number;
}

/** What adaptive routing did for one request (`result.routing.adaptive`). */
export interface AdaptiveRoutingDecision {
  /** Leading tiers not drafted because, by their estimate, drafting costs more than it saves. */
  skipped: readonly AdaptiveSkip[];
  /** A tier the estimate says to skip but drafted anyway to keep the estimate fresh. */
  explored?: AdaptiveSkip;
}

/** Thresholds are bucketed so a few users' odd targets do not each need their own samples. */
const BUCKET_WIDTH = 0.05;
const bucketOf = (threshold: number): number => Math.round(threshold / BUCKET_WIDTH);

interface Counts {
  /** Decayed accepted weight. */
  accepted: number;
  /** Decayed total weight. */
  weight: number;
  /** Undecayed number of drafts judged, for `minSamples`. */
  samples: number;
}

/**
 * In-memory per-agent acceptance statistics keyed by (drafter model, threshold bucket). The key
 * space is the agent's models × 21 buckets, so memory stays bounded without eviction.
 */
export class DraftAcceptanceStats {
  private readonly counts = new Map<string, Counts>();
  private readonly latencyMs = new Map<string, number>();
  private readonly decay: number;

  constructor(private readonly options: ParsedAdaptiveOptions) {
    this.decay = Math.pow(2, -1 / options.halfLife);
  }

  private key(modelId: string, threshold: number): string {
    return `${modelId}\u0000${bucketOf(threshold)}`;
  }

  /** Records a judged draft (accepted or rejected by the validator; provider errors are not judgements). */
  recordDraft(modelId: string, threshold: number, accepted: boolean): void {
    const key = this.key(modelId, threshold);
    const counts = this.counts.get(key) ?? { accepted: 0, weight: 0, samples: 0 };
    counts.accepted = counts.accepted * this.decay + (accepted ? 1 : 0);
    counts.weight = counts.weight * this.decay + 1;
    counts.samples++;
    this.counts.set(key, counts);
  }

  /** Records how long a completed call of a model took (EWMA), for the latency term. */
  recordLatency(modelId: string, latencyMs: number): void {
    const previous = this.latencyMs.get(modelId);
    this.latencyMs.set(modelId, previous === undefined ? latencyMs : previous + (latencyMs - previous) * 0.1);
  }

  /** The acceptance estimate, or undefined before `minSamples` drafts. */
  estimate(modelId: string, threshold: number): { acceptRate: number; samples: number } | undefined {
    const counts = this.counts.get(this.key(modelId, threshold));
    if (!counts || counts.samples < this.options.minSamples || counts.weight <= 0) return undefined;
    return { acceptRate: counts.accepted / counts.weight, samples: counts.samples };
  }

  /** Money plus valued latency of calling a tier. */
  private costOf(tier: PlannedTier): number {
    const latency = this.options.latencyUsdPerSecond > 0 ? (this.latencyMs.get(tier.model.modelId) ?? 0) / 1000 : 0;
    return tier.estimateUsd + this.options.latencyUsdPerSecond * latency;
  }

  /**
   * How many leading tiers to skip, and why. Never skips the last tier. A tier without enough
   * samples is drafted (that is how it gets samples); its acceptance counts as 0 in the expected
   * cost of the tiers after a skipped one, which can only favour drafting, the behaviour without this option.
   */
  plan(tiers: readonly PlannedTier[], threshold: number): { start: number; decision: AdaptiveRoutingDecision } {
    const n = tiers.length;
    const estimates = tiers.map((tier, index) => (index < n - 1 ? this.estimate(tier.model.modelId, threshold) : undefined));
    const costs = tiers.map((tier) => this.costOf(tier));
    // called[k]: expected cost from tier k once the cascade reaches it after a draft (no skipping mid-way).
    // leading[k]: expected cost from tier k when it leads (it may be skipped).
    const called = new Array<number>(n);
    const leading = new Array<number>(n);
    called[n - 1] = leading[n - 1] = costs[n - 1]!;
    const skip = new Array<boolean>(n).fill(false);
    for (let k = n - 2; k >= 0; k--) {
      const p = estimates[k]?.acceptRate ?? 0;
      const draft = costs[k]! + (1 - p) * called[k + 1]!;
      called[k] = draft;
      // Drafting does not pay when going straight on is no dearer in expectation.
      skip[k] = estimates[k] !== undefined && leading[k + 1]! <= draft;
      leading[k] = skip[k] ? leading[k + 1]! : draft;
    }
    const skipped: AdaptiveSkip[] = [];
    let start = 0;
    while (start < n - 1 && skip[start]) {
      const estimate = { model: tiers[start]!.model.modelId, acceptRate: estimates[start]!.acceptRate, samples: estimates[start]!.samples };
      // A few requests draft anyway: without fresh samples a drafter that got better would never come back.
      if ((this.options.random ?? Math.random)() < this.options.exploreRate) return { start, decision: { skipped, explored: estimate } };
      skipped.push(estimate);
      start++;
    }
    return { start, decision: { skipped } };
  }
}

/** The agent's parsed `adaptiveRouting` option as statistics; undefined when it is off. */
export function createDraftAcceptanceStats(option: boolean | ParsedAdaptiveOptions): DraftAcceptanceStats | undefined {
  if (option === false) return undefined;
  return new DraftAcceptanceStats(option === true ? adaptiveRoutingOptionsSchema.parse({}) : option);
}
