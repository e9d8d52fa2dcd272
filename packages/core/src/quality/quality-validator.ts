import type { ChatRequest } from '../model/chat-request';
import type { ChatResult } from '../model/chat-result';

/** One fact the validator used, for logs and tuning. */
export interface QualitySignal {
  /** Stable name, e.g. `finish-reason`, `arithmetic`, `hedging`, `logprob-confidence`. */
  name: string;
  /** Contribution to the score in [-1, 1]: negative lowers it. */
  impact: number;
  /** True when the signal alone proves the draft unacceptable (truncated, empty, wrong arithmetic, bad JSON). */
  fatal?: boolean;
  detail?: string;
}

/** The validator's judgement of a draft. */
export interface QualityVerdict {
  /** Estimated probability that the draft is good enough, 0..1. */
  score: number;
  passed: boolean;
  signals: readonly QualitySignal[];
  /** One-line human summary of why it passed or failed. */
  reason: string;
}

/** What a validator sees: only what a live system would see. */
export interface QualityInput {
  request: ChatRequest;
  draft: ChatResult;
  modelId: string;
  /** Score the draft needs to pass, from the policy's quality target. */
  threshold: number;
}

/** A pre-flight judgement of the query alone (before any draft). */
export interface ComplexityVerdict {
  /** 0 easy … 1 very hard. */
  score: number;
  /** Index of the lowest tier worth drafting with (0 = cheapest). */
  startTier: number;
  signals: readonly QualitySignal[];
}

/** A mid-stream judgement of a partial draft (early escalation). */
export interface PartialVerdict {
  /** True when the draft is already clearly failing and should be abandoned. */
  failing: boolean;
  reason?: string;
}

/**
 * Judges drafts. The engine calls `validate` for every draft except the last tier's;
 * `assessComplexity` (optional) can send a hard query straight to a stronger tier;
 * `checkPartial` (optional) powers early escalation while a draft streams.
 */
export interface QualityValidator {
  readonly name: string;
  validate(input: QualityInput): QualityVerdict | Promise<QualityVerdict>;
  assessComplexity?(request: ChatRequest, tierCount: number, threshold: number): ComplexityVerdict;
  checkPartial?(request: ChatRequest, partialText: string): PartialVerdict;
}
