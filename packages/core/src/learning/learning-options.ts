import { z } from 'zod';
import type { AuditEvent, LearningStore, QualityJudge } from './learning-types';

/** The quality share of the strongest tier an agent keeps by default (`policy.qualityShare`). */
export const DEFAULT_QUALITY_SHARE = 0.95;

const isFunction = (value: unknown): boolean => typeof value === 'function';

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
  /** Sees the cost of each audit, exploration draft and judge call. */
  onAudit: z.custom<(event: AuditEvent) => void>(isFunction, { message: 'onAudit must be a function' }).optional(),
});
export type LearningOptions = z.input<typeof learningOptionsSchema>;
export type ResolvedLearningOptions = z.output<typeof learningOptionsSchema>;
