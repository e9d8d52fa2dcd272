import type { AnswerKind } from './answer-kind';
import type { BinState, DrafterStats, KindState } from './learning-types';
import { type Policy, type PolicyBin, choosePolicy } from './choose-policy';
import { BASE_BINS, LEVEL_BINS, emptyBin, levelOfBin } from './bin-layout';
import { SIGNAL_LEVELS } from './draft-signals';
import { signalStatsOf } from './signal-stats';

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
    bins: Array.from({ length: BASE_BINS }, emptyBin),
    requests: 0, routed: 0, drafted: 0, undecidable: 0, labels: 0,
    draftCostUsd: 0, restCostUsd: 0, costSamples: 0, referenceScore: 1, referenceSamples: 0,
    auditCostUsd: 0, spentUsd: 0, baselineUsd: 0,
  };
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

  /** A bin, the signal levels' bins allocated on first use (a learner without signals keeps 60). */
  private binAt(index: number): BinState {
    const bins = this.state.bins;
    while (bins.length <= index) bins.push(emptyBin());
    return bins[index]!;
  }

  /** Counts a draft in its bin, weighted by 1 / P(drafted). */
  observeDraft(bin: number, weight: number, accepted: boolean): void {
    const target = this.binAt(bin);
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
    const target = this.binAt(bin);
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

  /**
   * The rate each bin is shrunk to: the pooled rate for the base bins; for a signal level, that
   * level's own rate (its labels over every score) shrunk to the pooled rate. So the learner
   * calibrates a signal from labels: a level that predicts agreement pulls its bins down, a useless
   * one stays at the pooled rate and its bins rank by score as without it.
   */
  private parentRates(): number[] {
    const pooled = this.pooled().rate;
    const bins = this.state.bins;
    if (bins.length <= BASE_BINS) return [pooled];
    const parents = [pooled];
    for (let level = 1; level < SIGNAL_LEVELS; level++) {
      const start = BASE_BINS + (level - 1) * LEVEL_BINS;
      const aggregate = emptyBin();
      for (let index = start; index < Math.min(bins.length, start + LEVEL_BINS); index++) {
        aggregate.weight += bins[index]!.weight;
        aggregate.weightSquared += bins[index]!.weightSquared;
        aggregate.loss += bins[index]!.loss;
      }
      parents.push(this.binRate(aggregate, pooled).rate);
    }
    return parents;
  }

  /** Calibrated P(the draft in `bin` is as good as the strongest answer). */
  probability(bin: number): number {
    const parents = this.parentRates();
    return 1 - this.binRate(this.binAt(bin), parents[levelOfBin(bin)] ?? parents[0]!).rate;
  }

  private policyBins(): PolicyBin[] {
    const parents = this.parentRates();
    let total = 0;
    for (const bin of this.state.bins) total += bin.mass;
    const bins: PolicyBin[] = [];
    this.state.bins.forEach((bin, index) => {
      if (bin.mass <= 0 || total <= 0) return;
      const { rate, variance } = this.binRate(bin, parents[levelOfBin(index)] ?? parents[0]!);
      bins.push({ index, share: bin.mass / total, loss: rate, variance });
    });
    return bins;
  }

  /** Live estimate: share kept = 1 − estimated loss of the accepted drafts / (requests × the strongest tier's quality). */
  estimate(): { share: number; interval: [number, number]; loss: number; variance: number } {
    const s = this.state;
    const parents = this.parentRates();
    let loss = 0;
    let variance = 0;
    for (let index = 0; index < s.bins.length; index++) {
      const bin = s.bins[index]!;
      if (bin.accepted <= 0) continue;
      const rate = this.binRate(bin, parents[levelOfBin(index)] ?? parents[0]!);
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
      signals: signalStatsOf([s.bins]),
    };
  }
}

/** Cold start: draft and escalate everything. */
const COLD_POLICY: Policy = { budget: -1, routeProbability: 0, acceptProbability: new Map(), expectedCostUsd: 0, lossUpperBound: 0, kind: 'cold' };

export { binOf } from './bin-layout';
