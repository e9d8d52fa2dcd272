import { parseInput } from '../errors/config-error';
import type { Pricing } from '../pricing/pricing';
import type { QualityValidator } from '../quality/quality-validator';
import { ANSWER_KINDS, type AnswerKind } from './answer-kind';
import { KindModel, emptyKindState } from './kind-model';
import type { ResolvedLearningOptions } from './learning-options';
import { type AuditEvent, type DrafterStats, type LearningState, type LearningStats, learningStateSchema } from './learning-types';
import { addLearningStates, diffLearningStates } from './merge-state';
import { signalStatsOf } from './signal-stats';
import { AGREEMENT_KINDS } from './draft-signals';
import { agreementSamples } from './learning-options';

/** User feedback on an answer: good or bad, or a score in 0..1. */
export type LearningFeedback = { good: boolean } | { score: number };

/** Labels kept per recent request so `feedback(requestId)` can find the draft's bin. Bounded. */
const FEEDBACK_MEMORY = 10_000;
/** Labels between two saves to the store. */
const SAVE_EVERY = 50;

interface FeedbackTarget {
  model: KindModel;
  bin: number;
}

/**
 * The agent's learner: one {@link KindModel} per drafter and kind of request, the background
 * calls that buy labels (tracked so `settled()` can await them, abortable by `close()`), stats, and
 * state export/import through a pluggable store.
 */
export class Learner {
  private readonly models = new Map<string, KindModel>();
  private readonly tasks = new Set<Promise<void>>();
  private readonly recent = new Map<string, FeedbackTarget>();
  private readonly controller = new AbortController();
  private loading: Promise<void> | undefined;
  private labelsSinceSave = 0;
  /** The state as of the last load or sync with the store: what this process learned since is `current − base`. */
  private base: LearningState | undefined;
  private syncing: Promise<void> | undefined;
  auditErrors = 0;
  readonly random: () => number;
  /** Drafts sampled per drafter for sampled agreement (1 = off). */
  readonly samples: number;
  /** True when drafting calls ask for token logprobs. */
  readonly logprobs: boolean;

  constructor(readonly options: ResolvedLearningOptions, readonly validator: QualityValidator, readonly pricing: Pricing) {
    this.random = options.random ?? Math.random;
    this.samples = agreementSamples(options.signals);
    this.logprobs = options.signals?.logprobs === true;
  }

  /** Drafts to sample per drafter for a request of this kind: agreement is bought only where the comparator can decide it. */
  samplesFor(kind: AnswerKind): number {
    return this.samples > 1 && AGREEMENT_KINDS.has(kind) ? this.samples : 1;
  }

  /** Aborted when the agent closes: background calls stop. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Loads the store's state once, before the first decision. A failed load starts fresh (counted in `auditErrors`). */
  ready(): Promise<void> | undefined {
    if (!this.options.store) return undefined;
    this.loading ??= this.options.store.load().then(
      (state) => {
        if (state) {
          this.importState(state);
          this.base = this.exportState();
        }
      },
      () => {
        this.auditErrors++;
      },
    );
    return this.loading;
  }

  model(drafterId: string, kind: AnswerKind): KindModel {
    const key = `${drafterId}\u0000${kind}`;
    let model = this.models.get(key);
    if (!model) {
      model = new KindModel(emptyKindState(drafterId, kind), { halfLife: this.options.halfLife, minLabels: this.options.minLabels, auditRate: this.options.auditRate, recomputeEvery: 10, canJudge: this.options.judge !== undefined });
      this.models.set(key, model);
    }
    return model;
  }

  /** Runs `work` in the background: tracked for `settled()`, errors swallowed into `auditErrors`. */
  track(work: () => Promise<void>): void {
    if (this.controller.signal.aborted) return;
    const task: Promise<void> = work().catch(() => {
      this.auditErrors++;
    }).finally(() => {
      this.tasks.delete(task);
    });
    this.tasks.add(task);
  }

  /** Counts a paid background call and tells `onAudit`. */
  recordAudit(model: KindModel, event: AuditEvent): void {
    model.state.auditCostUsd += event.costUsd;
    if (event.error) this.auditErrors++;
    this.options.onAudit?.(event);
  }

  /** Learns a label and syncs with the store every few labels. */
  label(model: KindModel, bin: number, loss: number, propensity: number): void {
    model.addLabel(bin, loss, 1 / Math.max(propensity, 0.01));
    if (this.options.store && ++this.labelsSinceSave >= SAVE_EVERY) {
      this.labelsSinceSave = 0;
      this.track(() => this.sync());
    }
  }

  /**
   * Shares what this process learned with the store. A store with `merge` adds this process's delta
   * to what it holds (other processes' labels included) and the learner continues from that sum plus
   * whatever it learned during the call; a store without it is overwritten. One sync at a time.
   */
  sync(): Promise<void> {
    const store = this.options.store;
    if (!store) return Promise.resolve();
    const previous = this.syncing ?? Promise.resolve();
    const next = previous.then(async () => {
      if (!store.merge) {
        await store.save(this.exportState());
        return;
      }
      const sent = this.exportState();
      const merged = parseInput(learningStateSchema, await store.merge(diffLearningStates(sent, this.base)), 'merged learning state');
      // Labels learned while the store answered are added on top of the merged state.
      this.replaceState(addLearningStates(merged, diffLearningStates(this.exportState(), sent)));
      this.base = merged;
    });
    const tracked = next.finally(() => {
      if (this.syncing === tracked) this.syncing = undefined;
    });
    this.syncing = tracked;
    return tracked;
  }

  /** Remembers which drafter's bin answered a request, for feedback. */
  remember(requestId: string, target: FeedbackTarget): void {
    if (this.recent.size >= FEEDBACK_MEMORY) this.recent.delete(this.recent.keys().next().value!);
    this.recent.set(requestId, target);
  }

  /** User feedback on a drafter's answer becomes a label of its bin. Unknown or forgotten ids are ignored (returns false). */
  feedback(requestId: string, feedback: LearningFeedback): boolean {
    const target = this.recent.get(requestId);
    if (!target) return false;
    this.recent.delete(requestId);
    const loss = 'good' in feedback ? (feedback.good ? 0 : 1) : 1 - Math.min(1, Math.max(0, feedback.score));
    this.label(target.model, target.bin, loss, 1);
    return true;
  }

  async settled(): Promise<void> {
    while (this.tasks.size > 0) await Promise.allSettled([...this.tasks]);
  }

  /** Stops background calls; saves the state once more when a store is set. */
  async close(): Promise<void> {
    this.controller.abort();
    await this.settled();
    await this.sync();
  }

  exportState(): LearningState {
    return structuredClone({ version: 1 as const, states: [...this.models.values()].map((model) => model.state) });
  }

  importState(state: unknown): void {
    this.replaceState(parseInput(learningStateSchema, state, 'learning state'));
  }

  private replaceState(state: LearningState): void {
    for (const entry of state.states) {
      const model = this.model(entry.drafterId, entry.kind);
      Object.assign(model.state, structuredClone(entry));
      model.invalidate();
    }
  }

  stats(): LearningStats {
    const byDrafter = new Map<string, KindModel[]>();
    for (const model of this.models.values()) {
      const list = byDrafter.get(model.state.drafterId) ?? [];
      list.push(model);
      byDrafter.set(model.state.drafterId, list);
    }
    const drafters: LearningStats['drafters'] = [];
    let auditCostUsd = 0;
    for (const [modelId, models] of byDrafter) {
      const kinds: Partial<Record<AnswerKind, DrafterStats>> = {};
      let requests = 0;
      let routed = 0;
      let accepted = 0;
      let loss = 0;
      let variance = 0;
      let labels = 0;
      let audit = 0;
      let savings = 0;
      for (const kind of ANSWER_KINDS) {
        const model = models.find((each) => each.state.kind === kind);
        if (!model) continue;
        const stats = model.stats();
        kinds[kind] = stats;
        const estimate = model.estimate();
        requests += stats.requests;
        routed += stats.routedRate * stats.requests;
        accepted += stats.acceptRate * stats.requests;
        loss += estimate.loss;
        variance += estimate.variance;
        labels += stats.labels;
        audit += stats.auditCostUsd;
        savings += stats.savingsUsd;
      }
      const share = requests > 0 ? 1 - loss / requests : 1;
      const half = (1.645 * Math.sqrt(variance)) / Math.max(requests, 1e-9);
      auditCostUsd += audit;
      drafters.push({
        modelId, kinds,
        estimatedShare: share,
        interval: [Math.max(0, share - half), Math.min(1, share + half)],
        acceptRate: requests > 0 ? accepted / requests : 0,
        routedRate: requests > 0 ? routed / requests : 0,
        auditCostUsd: audit, labels, requests, savingsUsd: savings,
        signals: signalStatsOf(models.map((model) => model.state.bins)),
      });
    }
    return { drafters, auditCostUsd, auditErrors: this.auditErrors };
  }
}
