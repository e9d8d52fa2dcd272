import { z } from 'zod';
import type { AuditEvent, LearningStore, QualityJudge } from './learning-types';

/** The quality share of the strongest tier an agent keeps by default (`policy.qualityShare`). */
export const DEFAULT_QUALITY_SHARE = 0.95;

const isFunction = (value: unknown): boolean => typeof value === 'function';

/**
 * Optional live signals, each opt-in and priced (`learning.signals`). The learner calibrates each as a
 * feature of the draft, per drafter and kind, from the same labels as the validator's score.
 */
export const learningSignalsSchema = z.strictObject({
  /**
   * Ask drafting calls for token logprobs and calibrate the mean token probability. No token cost at
   * OpenAI (larger responses); where the provider returns none, drafts are binned as without. @default false
   */
  logprobs: z.boolean().default(false),
  /**
   * Sampled agreement: draft `samples` answers (one call with `n` where the model supports it, else
   * parallel calls), return the majority answer and calibrate how many agree. Every sample is paid and
   * counted. Only for kinds the comparator can decide (choice, number, JSON). `true` = 3 samples. @default false
   */
  agreement: z.union([z.boolean(), z.strictObject({ samples: z.number().int().min(2).max(16).default(3) })]).default(false),
});
export type LearningSignals = z.input<typeof learningSignalsSchema>;

/** Drafts sampled per drafter when `signals.agreement` is `true`. */
export const DEFAULT_AGREEMENT_SAMPLES = 3;

/** Samples per draft of the resolved signals (1 = agreement off). */
export function agreementSamples(signals: z.output<typeof learningSignalsSchema> | undefined): number {
  const agreement = signals?.agreement;
  if (!agreement) return 1;
  return agreement === true ? DEFAULT_AGREEMENT_SAMPLES : agreement.samples;
}

/** Options of the self-calibrating cascade (`createCascadeAgent({ learning })`). */
export const learningOptionsSchema = z.strictObject({
  /** Share of accepted drafts audited against the strongest tier in the background (and of routed requests drafted for a label). @default 0.05 */
  auditRate: z.number().min(0).max(1).default(0.05),
  /** Scores answers the comparator cannot compare (free text, code); priced, sampled. */
  judge: z.custom<QualityJudge>((value) => isFunction((value as QualityJudge | undefined)?.judge), { message: 'judge must have a judge(input) method' }).optional(),
  /** Keeps the learned state across restarts and processes. @default in memory */
  store: z.custom<LearningStore>((value) => isFunction((value as LearningStore | undefined)?.load) && isFunction((value as LearningStore | undefined)?.save), { message: 'store must have load() and save(state)' }).optional(),
  /** Random source in [0, 1) (seed it in tests and benches). @default Math.random */
  random: z.custom<() => number>(isFunction, { message: 'random must be a function returning a number in [0, 1)' }).optional(),
  /** Half-life of the evidence, in labels (older labels weigh less, so drift is followed). @default 2000 */
  halfLife: z.number().positive().default(2000),
  /** Labels bought per drafter and kind before the learner accepts or routes anything (cold start: draft and escalate). @default 20 */
  minLabels: z.number().int().positive().default(20),
  /** Optional live signals (token logprobs, sampled agreement), off by default. */
  signals: learningSignalsSchema.optional(),
  /** Sees the cost of each audit, exploration draft and judge call. */
  onAudit: z.custom<(event: AuditEvent) => void>(isFunction, { message: 'onAudit must be a function' }).optional(),
});
export type LearningOptions = z.input<typeof learningOptionsSchema>;
export type ResolvedLearningOptions = z.output<typeof learningOptionsSchema>;
