import { AGREEMENT_LEVEL_NAMES, LOGPROB_LEVEL_NAMES, type SignalName } from './draft-signals';
import { BASE_BINS, levelOfBin } from './bin-layout';
import type { BinState } from './learning-types';

type Named<Names extends readonly string[]> = Partial<Record<Exclude<Names[number], 'none'>, number>>;

/** Which live signals a drafter's decisions rest on, and what each has been calibrated to. */
export interface SignalStats {
  /** Signals carried by the drafts in the (decayed) evidence; `validator` always. */
  inUse: SignalName[];
  /** Share of the drafts whose provider returned logprobs (with `signals.logprobs` on). */
  logprobsCoverage: number;
  /** Share of the drafts sampled k times with a decidable agreement (with `signals.agreement` on). */
  agreementCoverage: number;
  /** Labelled P(as good as the strongest tier) per signal value, over every score (absent until labelled). */
  probability: { logprobs: Named<typeof LOGPROB_LEVEL_NAMES>; agreement: Named<typeof AGREEMENT_LEVEL_NAMES> };
}

/** Sums the bins of one or more kind models by signal value. O(bins). */
export function signalStatsOf(binLists: readonly (readonly BinState[])[]): SignalStats {
  let mass = 0;
  let logprobsMass = 0;
  let agreementMass = 0;
  const logprobs = LOGPROB_LEVEL_NAMES.map(() => ({ weight: 0, loss: 0 }));
  const agreement = AGREEMENT_LEVEL_NAMES.map(() => ({ weight: 0, loss: 0 }));
  for (const bins of binLists) {
    for (let index = 0; index < bins.length; index++) {
      const bin = bins[index]!;
      mass += bin.mass;
      if (index < BASE_BINS) continue;
      const level = levelOfBin(index);
      const lp = level % LOGPROB_LEVEL_NAMES.length;
      const ag = Math.floor(level / LOGPROB_LEVEL_NAMES.length);
      if (lp > 0) logprobsMass += bin.mass;
      if (ag > 0) agreementMass += bin.mass;
      logprobs[lp]!.weight += bin.weight;
      logprobs[lp]!.loss += bin.loss;
      agreement[ag]!.weight += bin.weight;
      agreement[ag]!.loss += bin.loss;
    }
  }
  const inUse: SignalName[] = ['validator'];
  if (logprobsMass > 0) inUse.push('logprobs');
  if (agreementMass > 0) inUse.push('agreement');
  const named = <Names extends readonly string[]>(names: Names, sums: { weight: number; loss: number }[]): Named<Names> => {
    const out: Record<string, number> = {};
    for (let level = 1; level < names.length; level++) if (sums[level]!.weight > 0) out[names[level]!] = 1 - sums[level]!.loss / sums[level]!.weight;
    return out as Named<Names>;
  };
  return {
    inUse,
    logprobsCoverage: mass > 0 ? logprobsMass / mass : 0,
    agreementCoverage: mass > 0 ? agreementMass / mass : 0,
    probability: { logprobs: named(LOGPROB_LEVEL_NAMES, logprobs), agreement: named(AGREEMENT_LEVEL_NAMES, agreement) },
  };
}
