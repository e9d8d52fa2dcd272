import type { ChatRequest } from '../model/chat-request';
import type { ChatResult } from '../model/chat-result';
import type { QualityVerdict } from '../quality/quality-validator';
import type { CascadeAttempt } from '../engine/cascade-result';
import type { PlannedTier } from '../engine/plan-tiers';
import type { AnswerKind } from './answer-kind';
import type { Policy } from './choose-policy';
import { answerEvidence, compareAnswers } from './compare-answers';
import { type KindModel, binOf } from './kind-model';
import { type DraftAgreement, type DraftSignals, draftSignals } from './draft-signals';
import { sampleDrafts } from './sample-drafts';
import type { Learner } from './learner';
import type { LearningDecision } from './learning-types';

/** One drafter of the request's chain and what the learner decided for it. */
interface Step {
  tier: PlannedTier;
  model: KindModel;
  policy: Policy;
  routed: boolean;
  explore: boolean;
  budget: number;
  draft?: string;
  bin?: number;
  probability?: number;
  acceptProbability?: number;
  accepted?: boolean;
  audited?: boolean;
  signals?: DraftSignals;
}


/**
 * The learner's part in one request: routes past drafters before any call, turns each draft's
 * validator score into accept or escalate, and, once the answer is known, learns the labels it
 * yields (free ones from escalations; audits, exploration drafts and judge calls in the background).
 */
export class RequestLearning {
  private readonly steps: Step[];
  private readonly strongest: PlannedTier;
  /** Drafts sampled per drafter (sampled agreement; 1 = off or a kind it cannot decide). */
  readonly samples: number;
  private drafting: { from: ChatRequest; request: ChatRequest } | undefined;

  constructor(
    private readonly learner: Learner,
    private readonly request: ChatRequest,
    readonly kind: AnswerKind,
    readonly target: number,
    tiers: readonly PlannedTier[],
    /** False under a compliance regime: the judge is not one of its compliant models, so request text never goes to it. */
    private readonly judgeAllowed = true,
    /** Drafts sampled per drafter: 1 for streams (a streamed draft is one answer), else the learner's choice for the kind. */
    samples = learner.samplesFor(kind),
  ) {
    const random = learner.random;
    this.samples = samples;
    this.strongest = tiers[tiers.length - 1]!;
    const drafters = tiers.slice(0, -1);
    this.steps = drafters.map((tier, index) => {
      const model = learner.model(tier.model.modelId, kind);
      let rest = 0;
      for (const later of tiers.slice(index + 1)) rest += later.estimateUsd;
      model.seedCosts(tier.estimateUsd * this.samples, rest);
      // Drafters share the loss budget, so the chain as a whole stays within it.
      const budget = ((1 - target) * model.referenceQuality()) / drafters.length;
      const policy = model.currentPolicy(budget);
      const routed = policy.routeProbability > 0 && random() < policy.routeProbability;
      const explore = routed && random() < model.exploreRate;
      return { tier, model, policy, routed, explore, budget };
    });
  }

  /** The tiers to call: the drafters not routed past, then the strongest. */
  tiers(): PlannedTier[] {
    return [...this.steps.filter((step) => !step.routed).map((step) => step.tier), this.strongest];
  }

  /** The request drafters are called with: asks for token logprobs when `signals.logprobs` is on (the strongest tier gets the plain request). */
  draftRequest(request: ChatRequest): ChatRequest {
    if (!this.learner.logprobs || request.logprobs === true) return request;
    if (this.drafting?.from !== request) this.drafting = { from: request, request: { ...request, logprobs: true } };
    return this.drafting.request;
  }

  /**
   * Decides a draft: the validator's score, agreement with an earlier tier's draft and, when on, the
   * live signals (token logprobs, agreement of sampled drafts) → calibrated probability → accept or escalate.
   */
  decide(tier: PlannedTier, draft: ChatResult, verdict: QualityVerdict, agreement?: DraftAgreement): QualityVerdict {
    const index = this.steps.findIndex((candidate) => candidate.tier === tier);
    const step = this.steps[index];
    if (!step) return verdict;
    let group = 0;
    for (let earlier = index - 1; earlier >= 0; earlier--) {
      const previous = this.steps[earlier]!.draft;
      if (previous === undefined) continue;
      const comparison = compareAnswers(this.request, answerEvidence(draft), previous);
      group = comparison.verdict === 'agree' ? 1 : comparison.verdict === 'disagree' ? 2 : 0;
      break;
    }
    const { level, signals } = draftSignals(draft.logprobs, agreement, this.learner.logprobs);
    const bin = binOf(verdict.score, group, level);
    const acceptProbability = step.model.cold ? 0 : (step.policy.acceptProbability.get(bin) ?? 0);
    const accepted = acceptProbability >= 1 || (acceptProbability > 0 && this.learner.random() < acceptProbability);
    step.draft = answerEvidence(draft);
    step.bin = bin;
    step.signals = signals;
    step.probability = step.model.probability(bin);
    step.acceptProbability = acceptProbability;
    step.accepted = accepted;
    step.audited = accepted && this.learner.random() < this.learner.options.auditRate;
    const why = step.model.cold
      ? `learning (cold start, ${step.model.state.labels} labels): escalated to buy a label`
      : `learning: P(as good as the strongest) ${step.probability.toFixed(2)} from ${describe(signals)}, accept probability ${acceptProbability.toFixed(2)} for share ${this.target}`;
    return { ...verdict, passed: accepted, reason: `${verdict.reason}; ${why}` };
  }

  /** P(the request passes this drafter without accepting): routed, or drafted and escalated. */
  private continueProbability(step: Step): number {
    const route = step.policy.routeProbability;
    return step.routed ? route : (1 - route) * (1 - (step.acceptProbability ?? 0));
  }

  /**
   * Learns from the finished request and says why it went as it did. `tier` answered; `attempts`
   * are the session's calls; `costUsd` / `baselineCostUsd` its spend and the strongest-only cost.
   */
  finish(requestId: string, tier: PlannedTier, answer: ChatResult, attempts: readonly CascadeAttempt[], costUsd: number, baselineCostUsd: number): LearningDecision | undefined {
    if (this.steps.length === 0) return undefined;
    const answeredBy = this.steps.findIndex((step) => step.tier === tier && step.accepted === true);
    const reached = answeredBy >= 0 ? this.steps.slice(0, answeredBy + 1) : this.steps;
    const fromStrongest = tier === this.strongest;
    const first = reached[0]!;
    first.model.state.spentUsd += costUsd;
    first.model.state.baselineUsd += baselineCostUsd;
    for (const step of reached) {
      step.model.observeRequest(step.routed);
      if (step.bin !== undefined) step.model.observeDraft(step.bin, 1, step.accepted === true);
      const own = attempts.find((attempt) => attempt.tier === step.tier.tier && (attempt.status === 'accepted' || attempt.status === 'escalated'));
      let rest: number | undefined;
      if (fromStrongest && !step.accepted) {
        rest = 0;
        for (const attempt of attempts) if (attempt.tier > step.tier.tier) rest += attempt.costUsd;
      }
      step.model.observeCosts(own?.costUsd, rest);
    }
    if (fromStrongest) {
      // Free labels: every escalated draft against the strongest answer.
      for (let index = 0; index < reached.length; index++) {
        const step = reached[index]!;
        const propensity = this.chainProbability(index + 1);
        if (step.draft !== undefined && step.bin !== undefined) this.labelDraft(requestId, step, step.draft, step.bin, answerEvidence(answer), propensity);
        else if (step.explore) this.explore(requestId, index, answerEvidence(answer));
      }
    } else if (answeredBy >= 0 && this.steps[answeredBy]!.audited) {
      this.audit(requestId, answeredBy);
    }
    const decisive = answeredBy >= 0 ? this.steps[answeredBy]! : ([...reached].reverse().find((step) => step.draft !== undefined) ?? first);
    if (answeredBy >= 0) this.learner.remember(requestId, { model: decisive.model, bin: decisive.bin! });
    const estimate = decisive.model.estimate();
    return {
      kind: this.kind,
      drafterId: decisive.tier.model.modelId,
      decision: decisive.accepted ? 'accept' : decisive.draft !== undefined ? 'escalate' : decisive.explore ? 'explore' : 'route',
      ...(decisive.probability !== undefined ? { probability: decisive.probability } : {}),
      target: this.target,
      estimatedShare: estimate.share,
      interval: estimate.interval,
      audited: decisive.audited === true,
      ...(decisive.signals ? { signals: decisive.signals } : {}),
    };
  }

  /** P(the request passed every drafter from `index` on without accepting): the label's inclusion probability. */
  private chainProbability(index: number): number {
    let probability = 1;
    for (let later = index; later < this.steps.length; later++) probability *= this.continueProbability(this.steps[later]!);
    return probability;
  }

  /**
   * Labels a draft against the reference. Where the comparator cannot decide, a judge (sampled,
   * weighted by 1 / its rate) scores both; without a judge the draft counts as lost — the
   * conservative label, so a kind whose answers cannot be compared is never accepted on hope.
   */
  private labelDraft(requestId: string, step: Step, draft: string, bin: number, reference: string, propensity: number, bought = false): void {
    const comparison = compareAnswers(this.request, draft, reference);
    if (comparison.verdict !== 'undecidable') {
      this.learner.label(step.model, bin, comparison.verdict === 'agree' ? 0 : 1, propensity);
      return;
    }
    step.model.state.undecidable++;
    const judge = this.judgeAllowed ? this.learner.options.judge : undefined;
    if (!judge) {
      this.learner.label(step.model, bin, 1, propensity);
      return;
    }
    // A judge call costs about as much as a strong answer: every one while cold or when the answers
    // were bought for this label (audit, exploration), then a sampled share of escalations.
    const rate = bought || step.model.state.labels < this.learner.options.minLabels ? 1 : Math.max(this.learner.options.auditRate, 0.01);
    if (rate < 1 && this.learner.random() >= rate) return;
    const signal = this.learner.signal;
    this.learner.track(async () => {
      let costUsd = 0;
      try {
        const scores = await judge.judge({ request: this.request, draft, reference, abortSignal: signal });
        costUsd = scores.costUsd;
        step.model.addReferenceScore(scores.referenceScore);
        this.learner.label(step.model, bin, Math.max(0, scores.referenceScore - scores.draftScore), propensity * rate);
        this.learner.recordAudit(step.model, { type: 'judge', requestId, drafterId: step.tier.model.modelId, kind: this.kind, modelId: 'judge', costUsd, verdict: 'scored' });
      } catch (error) {
        this.learner.recordAudit(step.model, { type: 'judge', requestId, drafterId: step.tier.model.modelId, kind: this.kind, modelId: 'judge', costUsd, error: errorText(error) });
      }
    });
  }

  /** A routed request: the drafter answers in the background, for a label of its bin. */
  private explore(requestId: string, index: number, reference: string): void {
    const step = this.steps[index]!;
    const signal = this.learner.signal;
    const propensity = this.chainProbability(index + 1);
    this.learner.track(async () => {
      let costUsd = 0;
      try {
        // Drafted as a live request would be (same samples, same logprobs), so the label lands in the bin live drafts use.
        const sampled = await sampleDrafts(step.tier.model, this.draftRequest(this.request), this.samples, { abortSignal: signal });
        const draft = sampled.draft;
        costUsd = this.learner.pricing.costOf(step.tier.model.modelId, sampled.usage);
        const pending = this.learner.validator.validate({ request: this.request, draft, modelId: step.tier.model.modelId, threshold: 0.5 });
        const verdict = await pending;
        const bin = binOf(verdict.score, 0, draftSignals(draft.logprobs, sampled.agreement, this.learner.logprobs).level);
        step.model.observeDraft(bin, 1, false);
        this.learner.recordAudit(step.model, { type: 'explore', requestId, drafterId: step.tier.model.modelId, kind: this.kind, modelId: step.tier.model.modelId, costUsd });
        this.labelDraft(requestId, step, answerEvidence(draft), bin, reference, propensity, true);
      } catch (error) {
        this.learner.recordAudit(step.model, { type: 'explore', requestId, drafterId: step.tier.model.modelId, kind: this.kind, modelId: step.tier.model.modelId, costUsd, error: errorText(error) });
      }
    });
  }

  /** An accepted draft: the strongest tier answers in the background; every draft of the request gets a label. */
  private audit(requestId: string, answeredBy: number): void {
    const step = this.steps[answeredBy]!;
    const signal = this.learner.signal;
    const strongest = this.strongest.model;
    this.learner.track(async () => {
      let costUsd = 0;
      try {
        const reference = await strongest.doGenerate(this.request, { abortSignal: signal });
        costUsd = this.learner.pricing.costOf(strongest.modelId, reference.usage);
        // An earlier drafter's label also depends on this drafter accepting and being audited.
        const accepted = (1 - step.policy.routeProbability) * (step.acceptProbability ?? 0) * this.learner.options.auditRate;
        this.learner.recordAudit(step.model, { type: 'audit', requestId, drafterId: step.tier.model.modelId, kind: this.kind, modelId: strongest.modelId, costUsd });
        for (let index = 0; index <= answeredBy; index++) {
          const each = this.steps[index]!;
          if (each.draft === undefined || each.bin === undefined) continue;
          let propensity = index < answeredBy ? accepted : 1;
          for (let between = index + 1; between < answeredBy; between++) propensity *= this.continueProbability(this.steps[between]!);
          this.labelDraft(requestId, each, each.draft, each.bin, answerEvidence(reference), propensity, true);
        }
      } catch (error) {
        this.learner.recordAudit(step.model, { type: 'audit', requestId, drafterId: step.tier.model.modelId, kind: this.kind, modelId: strongest.modelId, costUsd, error: errorText(error) });
      }
    });
  }
}

function describe(signals: DraftSignals): string {
  const parts = ['validator score'];
  if (signals.meanTokenProbability !== undefined) parts.push(`mean token p ${signals.meanTokenProbability.toFixed(2)}`);
  if (signals.agreement && !signals.agreement.undecidable) parts.push(`${signals.agreement.agreeing}/${signals.agreement.samples} drafts agree`);
  return parts.join(', ');
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message.slice(0, 200) : String(error);
}
