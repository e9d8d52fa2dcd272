import { z } from 'zod';
import type { ChatRequest } from '../model/chat-request';
import type { AnswerKind } from './answer-kind';
import type { DraftSignals } from './draft-signals';
import type { SignalStats } from './signal-stats';

/** Gives a label where answers cannot be compared: scores (0..1) of a draft and of the reference answer, and what the call cost. */
export interface QualityJudge {
  judge(input: { request: ChatRequest; draft: string; reference: string; abortSignal?: AbortSignal }): Promise<{ draftScore: number; referenceScore: number; costUsd: number }>;
}

/**
 * Keeps the learner's state across restarts and processes. With `merge`, several processes share one
 * store without losing each other's labels: the learner sends what it learned since its last sync and
 * the store adds it to what it holds (atomically: `addLearningStates(stored, delta)` in a transaction)
 * and returns the sum. Without `merge`, `save` overwrites (the last process to save wins).
 */
export interface LearningStore {
  load(): Promise<LearningState | undefined>;
  save(state: LearningState): Promise<void>;
  merge?(delta: LearningState): Promise<LearningState>;
}

/** One paid background call made to buy a label (off the response path). */
export interface AuditEvent {
  /** `audit`: the strongest tier answered an accepted draft's request; `explore`: the drafter answered a routed request; `judge`: a judge scored two answers. */
  type: 'audit' | 'explore' | 'judge';
  requestId: string;
  drafterId: string;
  kind: AnswerKind;
  modelId: string;
  costUsd: number;
  /** The label it produced, when it produced one. */
  verdict?: 'agree' | 'disagree' | 'undecidable' | 'scored';
  /** Set when the call failed (the error is swallowed into stats). */
  error?: string;
}

/** How the learner decided one request, on `result.learning`. */
export interface LearningDecision {
  kind: AnswerKind;
  drafterId: string;
  /** `accept` the draft, `escalate` it, `route` past the drafter without drafting, or `explore` (routed, and the drafter answers in the background for a label). */
  decision: 'accept' | 'escalate' | 'route' | 'explore';
  /** Calibrated P(the draft is as good as the strongest tier's answer), when a draft was judged. */
  probability?: number;
  /** The quality share to keep (`policy.qualityShare`). */
  target: number;
  /** The drafter's live estimate of the share it keeps on this kind, and its interval. */
  estimatedShare: number;
  interval: [number, number];
  /** True when the answer is audited against the strongest tier in the background. */
  audited: boolean;
  /** The signals behind `probability` (validator score, and live signals when on), when a draft was judged. */
  signals?: DraftSignals;
}

/** Live figures of one drafter (overall, and per kind in `kinds`). */
export interface DrafterStats {
  /** Estimated share of the strongest tier's quality kept on the requests that reached this drafter. */
  estimatedShare: number;
  interval: [number, number];
  /** Shares of the requests that reached this drafter: draft accepted, routed past it. */
  acceptRate: number;
  routedRate: number;
  /** Spend on audits, exploration drafts and judge calls, USD. */
  auditCostUsd: number;
  /** Labels learned from (decayed weights aside). */
  labels: number;
  requests: number;
  /** Estimated savings against the strongest tier alone, audits included, USD. */
  savingsUsd: number;
  /** The signals the drafter's calibration uses, their coverage and calibrated probabilities. */
  signals: SignalStats;
}

/** What `agent.stats()` returns. */
export interface LearningStats {
  drafters: (DrafterStats & { modelId: string; kinds: Partial<Record<AnswerKind, DrafterStats>> })[];
  auditCostUsd: number;
  /** Background calls that failed (their errors are swallowed here). */
  auditErrors: number;
}

const binSchema = z.object({
  /** Weighted mass of drafts that fell in the bin. */
  mass: z.number().nonnegative(),
  /** Weighted labels: Σw, Σw², Σw·loss. */
  weight: z.number().nonnegative(),
  weightSquared: z.number().nonnegative(),
  loss: z.number().nonnegative(),
  /** Drafts accepted from the bin (for the estimated share). */
  accepted: z.number().nonnegative(),
});
export type BinState = z.output<typeof binSchema>;

const kindStateSchema = z.object({
  drafterId: z.string(),
  kind: z.enum(['choice', 'number', 'json', 'code', 'text']),
  bins: z.array(binSchema),
  requests: z.number().nonnegative(),
  routed: z.number().nonnegative(),
  drafted: z.number().nonnegative(),
  undecidable: z.number().nonnegative(),
  labels: z.number().nonnegative(),
  draftCostUsd: z.number().nonnegative(),
  restCostUsd: z.number().nonnegative(),
  costSamples: z.number().nonnegative(),
  referenceScore: z.number().min(0).max(1),
  referenceSamples: z.number().nonnegative(),
  auditCostUsd: z.number().nonnegative(),
  spentUsd: z.number().nonnegative(),
  baselineUsd: z.number().nonnegative(),
});
export type KindState = z.output<typeof kindStateSchema>;

/** The learner's state: JSON-serializable and versioned. */
export const learningStateSchema = z.object({
  version: z.literal(1),
  states: z.array(kindStateSchema),
});
export type LearningState = z.output<typeof learningStateSchema>;
