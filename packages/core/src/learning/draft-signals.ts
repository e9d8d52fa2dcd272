import type { ChatRequest } from '../model/chat-request';
import type { TokenLogprob } from '../model/chat-result';
import type { AnswerKind } from './answer-kind';
import { compareAnswers } from './compare-answers';

/** The live signals a draft can carry besides the validator's score. */
export type SignalName = 'validator' | 'logprobs' | 'agreement';

/** Kinds whose answers the comparator can decide (option letter, final number, JSON value): sampled agreement is bought only there. */
export const AGREEMENT_KINDS: ReadonlySet<AnswerKind> = new Set<AnswerKind>(['choice', 'number', 'json']);

/** How k sampled drafts of one request agree: the majority answer's index, how many drafts share it, and whether nothing could be compared. */
export interface DraftAgreement {
  /** Index (in sample order) of the answer returned: the first of the largest group of agreeing drafts. */
  index: number;
  /** Drafts that agree with it, itself included (1..samples). */
  agreeing: number;
  samples: number;
  /** True when no pair of drafts could be compared: the agreement says nothing. */
  undecidable: boolean;
}

/**
 * Groups k drafts by `compareAnswers` (k(k−1)/2 comparisons): an undecidable pair counts as not
 * agreeing, never as agreeing; when every pair is undecidable the agreement is `undecidable`.
 *
 * @example
 * agreementOf(request, ['42', 'The answer is 42.', '41']); // { index: 0, agreeing: 2, samples: 3, undecidable: false }
 */
export function agreementOf(request: ChatRequest, drafts: readonly string[]): DraftAgreement {
  const counts = drafts.map(() => 1);
  let decided = false;
  for (let left = 0; left < drafts.length; left++) {
    for (let right = left + 1; right < drafts.length; right++) {
      const verdict = compareAnswers(request, drafts[left]!, drafts[right]!).verdict;
      if (verdict === 'undecidable') continue;
      decided = true;
      if (verdict === 'agree') {
        counts[left]!++;
        counts[right]!++;
      }
    }
  }
  let index = 0;
  for (let at = 1; at < counts.length; at++) if (counts[at]! > counts[index]!) index = at;
  return { index, agreeing: counts[index]!, samples: drafts.length, undecidable: !decided };
}

/** Agreement levels, the calibrated feature: 0 no information (off, one sample, undecidable), 1 split (at most half agree), 2 majority, 3 unanimous. */
export const AGREEMENT_LEVEL_NAMES = ['none', 'split', 'majority', 'unanimous'] as const;
/** Logprob levels: 0 none returned, then the mean token probability below 0.7, below 0.9, and from 0.9. */
export const LOGPROB_LEVEL_NAMES = ['none', 'low', 'mid', 'high'] as const;
/** Signal levels: agreement × logprob (level 0 = neither signal, the layout of a learner without signals). */
export const SIGNAL_LEVELS = AGREEMENT_LEVEL_NAMES.length * LOGPROB_LEVEL_NAMES.length;

/** Fewest tokens whose mean probability counts as a signal (a one-token answer's probability says little). */
const MIN_LOGPROB_TOKENS = 2;

/** Mean token probability `exp(mean logprob)` of a draft, or undefined without (enough) logprobs. */
export function meanTokenProbability(logprobs: readonly TokenLogprob[] | undefined): number | undefined {
  if (!logprobs || logprobs.length < MIN_LOGPROB_TOKENS) return undefined;
  let sum = 0;
  for (const entry of logprobs) sum += Number.isFinite(entry.logprob) ? entry.logprob : -20;
  return Math.exp(sum / logprobs.length);
}

export function logprobLevel(meanProbability: number | undefined): number {
  if (meanProbability === undefined) return 0;
  return meanProbability < 0.7 ? 1 : meanProbability < 0.9 ? 2 : 3;
}

export function agreementLevel(agreement: DraftAgreement | undefined): number {
  if (!agreement || agreement.samples < 2 || agreement.undecidable) return 0;
  if (agreement.agreeing === agreement.samples) return 3;
  return agreement.agreeing * 2 > agreement.samples ? 2 : 1;
}

/** What `result.learning.signals` says about the judged draft. */
export interface DraftSignals {
  /** Signals that placed the draft in its calibration bin (`validator` always). */
  used: readonly SignalName[];
  /** Mean token probability, when the provider returned logprobs. */
  meanTokenProbability?: number;
  /** How the sampled drafts agreed, when several were drawn. */
  agreement?: { agreeing: number; samples: number; undecidable: boolean };
}

/** A draft judged by the validator alone (signals off or absent): shared, frozen, no allocation per request. */
const VALIDATOR_ONLY: { level: number; signals: DraftSignals } = Object.freeze({ level: 0, signals: Object.freeze({ used: Object.freeze(['validator'] as const) }) });

/** The draft's signal level (0..SIGNAL_LEVELS−1) and the description of it. */
export function draftSignals(logprobs: readonly TokenLogprob[] | undefined, agreement: DraftAgreement | undefined, logprobsOn: boolean): { level: number; signals: DraftSignals } {
  if (!agreement && !logprobsOn) return VALIDATOR_ONLY;
  const mean = logprobsOn ? meanTokenProbability(logprobs) : undefined;
  const lp = logprobLevel(mean);
  const ag = agreementLevel(agreement);
  const used: SignalName[] = ['validator'];
  if (lp > 0) used.push('logprobs');
  if (ag > 0) used.push('agreement');
  return {
    level: ag * LOGPROB_LEVEL_NAMES.length + lp,
    signals: {
      used,
      ...(mean !== undefined ? { meanTokenProbability: mean } : {}),
      ...(agreement && agreement.samples > 1 ? { agreement: { agreeing: agreement.agreeing, samples: agreement.samples, undecidable: agreement.undecidable } } : {}),
    },
  };
}
