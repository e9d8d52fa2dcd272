import type { AnswerKind } from './answer-kind';
import type { BinState, DrafterStats, KindState } from './learning-types';
import { type Policy, type PolicyBin, choosePolicy } from './choose-policy';

/** Validator-score bins per feature group. */
export const SCORE_BINS = 20;
/** Feature groups: 0 no earlier draft (or not comparable), 1 agrees with the earlier tier's draft, 2 disagrees. */
export const FEATURE_GROUPS = 3;
/** Prior strength (labels) pulling a bin's rate to the pooled rate. */
const PRIOR_LABELS = 2;
/** One-sided 95 % normal quantile for the upper bound on the loss. */
export const Z = 1.645;

/** Assumed quality of the strongest tier under agreement labels (a documented margin, not fitted to a data set). */
export const AGREEMENT_REFERENCE_QUALITY = 0.85;

/** Knobs a kind model needs from the learner's options. */
export interface KindModelOptions {
  halfLife: number;
  minLabels: number;
  auditRate: number;
  recomputeEvery: number;
  /** True when a judge can label what the comparator cannot. */
  canJudge: boolean;
}

export function emptyKindState(drafterId: string, kind: AnswerKind): KindState {
  return {
    drafterId, kind,
    bins: Array.from({ length: SCORE_BINS * FEATURE_GROUPS }, () => ({ mass: 0, weight: 0, weightSquared: 0, loss: 0, accepted: 0 })),
    requests: 0, routed: 0, drafted: 0, undecidable: 0, labels: 0,
    draftCostUsd: 0, restCostUsd: 0, costSamples: 0, referenceScore: 1, referenceSamples: 0,
    auditCostUsd: 0, spentUsd: 0, baselineUsd: 0,
  };
}

/** The bin of a draft: its validator score, split by agreement with an earlier tier's draft. */
export function binOf(score: number, group: number): number {
  const clamped = Number.isFinite(score) ? Math.min(SCORE_BINS - 1, Math.max(0, Math.floor(score * SCORE_BINS))) : 0;
  return group * SCORE_BINS + clamped;
}

/**
 * What one drafter has learned about one kind of request: per score bin, the (decayed,
 * inverse-propensity weighted) mass of drafts and the labelled loss against the strongest tier, the
 * mean costs of drafting and of what comes after, and the policy chosen from them (recomputed every
 * `recomputeEvery` labels, so per-request work stays O(bins)).
 */
export class KindModel {
  private policy: Policy | undefined;
  private labelsSincePolicy = 0;
  private readonly decay: number;

  constructor(readonly state: KindState, private readonly options: KindModelOptions) {
    this.decay = Math.pow(2, -1 / options.halfLife);
  }

  /** True while the model buys its first labels: draft and escalate everything (unbiased labels over the whole score range). */
  get cold(): boolean {
    return this.state.labels < this.options.minLabels && this.state.drafted < 3 * this.options.minLabels;
  }

  /** Shadow-draft rate of routed requests: generous while labels are few and drafting is cheap against what follows. */
  get exploreRate(): number {
    const { auditRate } = this.options;
    const mostlyUndecidable = this.state.undecidable >= this.options.minLabels && this.state.undecidable * 2 > this.state.labels;
    // Where answers cannot be compared a label needs a judge call (about a strong answer's price):
    // explore at the audit rate; without a judge such a kind yields only "lost" labels: don't.
    if (mostlyUndecidable) return this.options.canJudge ? auditRate : 0;
    const ratio = this.state.restCostUsd > 0 ? this.state.draftCostUsd / this.state.restCostUsd : 1;
    if (ratio > 0.1) return auditRate;
    return Math.max(auditRate, this.state.labels < 10 * this.options.minLabels ? 0.5 : 0.2);
  }

  /** The current policy (recomputed lazily). */
  currentPolicy(budget: number): Policy {
    if (this.cold) return COLD_POLICY;
    if (!this.policy || this.policy.budget !== budget || this.labelsSincePolicy >= this.options.recomputeEvery) {
      this.policy = choosePolicy(this.policyBins(), budget, this.state.draftCostUsd, this.state.restCostUsd);
      this.labelsSincePolicy = 0;
    }
    return this.policy;
  }

  /**
   * The strongest tier's quality that losses are measured against. Judge labels measure it (the
   * mean reference score). Agreement labels cannot: a disagreement costs 1 / q of share when the
   * strongest tier is right with probability q, so q = {@link AGREEMENT_REFERENCE_QUALITY} is assumed.
   */
  referenceQuality(): number {
    return this.state.referenceSamples > 0 ? Math.max(this.state.referenceScore, 1e-3) : AGREEMENT_REFERENCE_QUALITY;
  }

  /** Forgets the cached policy (after an import). */
  invalidate(): void {
    this.policy = undefined;
  }

  /** Counts a request that reached this drafter. */
  observeRequest(routed: boolean): void {
    const s = this.state;
    s.requests = s.requests * this.decay + 1;
    s.routed = s.routed * this.decay + (routed ? 1 : 0);
    for (const bin of s.bins) {
      bin.mass *= this.decay;
      bin.accepted *= this.decay;
    }
  }

  /** Counts a draft in its bin, weighted by 1 / P(drafted). */
  observeDraft(bin: number, weight: number, accepted: boolean): void {
    const target = this.state.bins[bin]!;
    target.mass += weight;
    if (accepted) target.accepted += 1;
    this.state.drafted++;
  }

  /** Learns one label: `loss` in 0..1 (1 = the draft lost everything against the reference), weighted by 1 / P(labelled). */
  addLabel(bin: number, loss: number, weight: number): void {
    for (const each of this.state.bins) {
      each.weight *= this.decay;
      each.weightSquared *= this.decay;
      each.loss *= this.decay;
    }
    const target = this.state.bins[bin]!;
    target.weight += weight;
    target.weightSquared += weight * weight;
    target.loss += weight * Math.min(1, Math.max(0, loss));
    this.state.labels++;
    this.labelsSincePolicy++;
  }

  /** Folds in a judged reference score (score labels are measured against the mean reference score). */
  addReferenceScore(score: number): void {
    const s = this.state;
    s.referenceScore = s.referenceSamples === 0 ? score : s.referenceScore + (score - s.referenceScore) / Math.min(s.referenceSamples + 1, this.options.halfLife);
    s.referenceSamples++;
  }

  /** Folds in the measured cost of a draft and of the calls after it (escalation or routing). */
  observeCosts(draftUsd: number | undefined, restUsd: number | undefined): void {
    const s = this.state;
    const rate = 1 / Math.min(s.costSamples + 1, 50);
    if (draftUsd !== undefined) s.draftCostUsd = s.costSamples === 0 && s.draftCostUsd === 0 ? draftUsd : s.draftCostUsd + (draftUsd - s.draftCostUsd) * rate;
    if (restUsd !== undefined) s.restCostUsd = s.costSamples === 0 && s.restCostUsd === 0 ? restUsd : s.restCostUsd + (restUsd - s.restCostUsd) * rate;
    s.costSamples++;
  }

  /** Seeds the costs from pre-flight estimates before any call was measured. */
  seedCosts(draftUsd: number, restUsd: number): void {
    if (this.state.costSamples > 0 || this.state.draftCostUsd > 0 || this.state.restCostUsd > 0) return;
    this.state.draftCostUsd = draftUsd;
    this.state.restCostUsd = restUsd;
  }

  /** Pooled loss rate of the kind, with a weak pessimistic prior (no labels: every draft counts as lost, never a guess). */
  private pooled(): { rate: number; effective: number } {
    let weight = 0;
    let weightSquared = 0;
    let loss = 0;
    for (const bin of this.state.bins) {
      weight += bin.weight;
      weightSquared += bin.weightSquared;
      loss += bin.loss;
    }
    const effective = weightSquared > 0 ? (weight * weight) / weightSquared : 0;
    const rate = weight > 0 ? loss / weight : 1;
    return { rate: (effective * rate + 1) / (effective + 1), effective };
  }

  /** A bin's estimated loss rate (shrunk to the pooled rate) and its variance. */
  binRate(bin: BinState, pooledRate: number): { rate: number; variance: number } {
    const effective = bin.weightSquared > 0 ? (bin.weight * bin.weight) / bin.weightSquared : 0;
    const raw = bin.weight > 0 ? bin.loss / bin.weight : pooledRate;
    const rate = (effective * raw + PRIOR_LABELS * pooledRate) / (effective + PRIOR_LABELS);
    return { rate, variance: (rate * (1 - rate) + 1e-4) / (effective + PRIOR_LABELS) };
  }

  /** Calibrated P(the draft in `bin` is as good as the strongest answer). */
  probability(bin: number): number {
    return 1 - this.binRate(this.state.bins[bin]!, this.pooled().rate).rate;
  }

  private policyBins(): PolicyBin[] {
    const pooled = this.pooled().rate;
    let total = 0;
    for (const bin of this.state.bins) total += bin.mass;
    const bins: PolicyBin[] = [];
    this.state.bins.forEach((bin, index) => {
      if (bin.mass <= 0 || total <= 0) return;
      const { rate, variance } = this.binRate(bin, pooled);
      bins.push({ index, share: bin.mass / total, loss: rate, variance });
    });
    return bins;
  }

  /** Live estimate: share kept = 1 − estimated loss of the accepted drafts / (requests × the strongest tier's quality). */
  estimate(): { share: number; interval: [number, number]; loss: number; variance: number } {
    const s = this.state;
    const pooled = this.pooled().rate;
    let loss = 0;
    let variance = 0;
    for (const bin of s.bins) {
      if (bin.accepted <= 0) continue;
      const rate = this.binRate(bin, pooled);
      loss += bin.accepted * rate.rate;
      variance += bin.accepted * bin.accepted * rate.variance;
    }
    const quality = this.referenceQuality();
    const scale = Math.max(s.requests, 1e-9) * quality;
    const share = s.requests > 0 ? 1 - loss / scale : 1;
    const half = (Z * Math.sqrt(variance)) / scale;
    return { share, interval: [Math.max(0, share - half), Math.min(1, share + half)], loss: loss / quality, variance: variance / quality ** 2 };
  }

  stats(): DrafterStats {
    const s = this.state;
    const estimate = this.estimate();
    let accepted = 0;
    for (const bin of s.bins) accepted += bin.accepted;
    return {
      estimatedShare: estimate.share,
      interval: estimate.interval,
      acceptRate: s.requests > 0 ? accepted / s.requests : 0,
      routedRate: s.requests > 0 ? s.routed / s.requests : 0,
      auditCostUsd: s.auditCostUsd,
      labels: s.labels,
      requests: s.requests,
      savingsUsd: s.baselineUsd - s.spentUsd - s.auditCostUsd,
    };
  }
}

/** Cold start: draft and escalate everything. */
const COLD_POLICY: Policy = { budget: -1, routeProbability: 0, acceptProbability: new Map(), expectedCostUsd: 0, lossUpperBound: 0, kind: 'cold' };
