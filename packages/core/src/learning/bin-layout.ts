import { SIGNAL_LEVELS } from './draft-signals';
import type { BinState } from './learning-types';

/** Validator-score bins per feature group. */
export const SCORE_BINS = 20;
/** Feature groups: 0 no earlier draft (or not comparable), 1 agrees with the earlier tier's draft, 2 disagrees. */
export const FEATURE_GROUPS = 3;
/** Bins of drafts without live signals: score × feature group (the layout of a learner without signals). */
export const BASE_BINS = SCORE_BINS * FEATURE_GROUPS;
/** Score bins per signal level: coarser, so the extra dimension does not spread labels too thin. */
export const COARSE_SCORE_BINS = 5;
export const LEVEL_BINS = FEATURE_GROUPS * COARSE_SCORE_BINS;
/** Every bin: the base layout, then one block per signal level 1.. (see `draft-signals.ts`). */
export const TOTAL_BINS = BASE_BINS + (SIGNAL_LEVELS - 1) * LEVEL_BINS;
/**
 * The bin of a draft: its validator score, split by agreement with an earlier tier's draft and, when
 * live signals are on, by their level (0 = no signal: the same bins as without signals).
 */
export function binOf(score: number, group: number, level = 0): number {
  if (level <= 0) return group * SCORE_BINS + scoreBin(score, SCORE_BINS);
  return BASE_BINS + (level - 1) * LEVEL_BINS + group * COARSE_SCORE_BINS + scoreBin(score, COARSE_SCORE_BINS);
}

function scoreBin(score: number, bins: number): number {
  return Number.isFinite(score) ? Math.min(bins - 1, Math.max(0, Math.floor(score * bins))) : 0;
}

/** The signal level of a bin (0 for the base layout). */
export function levelOfBin(index: number): number {
  return index < BASE_BINS ? 0 : 1 + Math.floor((index - BASE_BINS) / LEVEL_BINS);
}

export const emptyBin = (): BinState => ({ mass: 0, weight: 0, weightSquared: 0, loss: 0, accepted: 0 });
