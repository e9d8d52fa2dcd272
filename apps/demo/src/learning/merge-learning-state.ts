import type { LearningState } from '@cascade/core';

type KindState = LearningState['states'][number];
type Bin = KindState['bins'][number];

/** Counters and sums a process adds to: merged as `stored + (local − base)`. */
const ADDITIVE = ['requests', 'routed', 'drafted', 'undecidable', 'labels', 'costSamples', 'referenceSamples', 'auditCostUsd', 'spentUsd', 'baselineUsd'] as const;
const BIN_FIELDS = ['mass', 'weight', 'weightSquared', 'loss', 'accepted'] as const satisfies readonly (keyof Bin)[];

const keyOf = (state: KindState): string => `${state.drafterId}\u0000${state.kind}`;
const nonNegative = (value: number): number => (Number.isFinite(value) && value > 0 ? value : 0);

/**
 * Three-way merge of the cascade's learned state, so several processes saving to one row never lose
 * each other's labels: what this process learned since it last loaded or saved (`local − base`) is
 * added to what the row holds now (`stored`, which has the other processes' labels).
 *
 * Counters and weighted bin sums add their deltas (a delta is negative where the process's half-life
 * decayed old labels; results are clamped at 0). Running means (draft and escalation cost, reference
 * score) take the local value when this process observed new samples, else the stored one.
 * A drafter/kind only one side knows is taken from that side; bins of different lengths (another
 * configuration) keep the stored bins, since they cannot be added.
 */
export function mergeLearningState(stored: LearningState | undefined, base: LearningState | undefined, local: LearningState): LearningState {
  if (!stored) return structuredClone(local);
  const baseByKey = new Map((base?.states ?? []).map((state) => [keyOf(state), state]));
  const localByKey = new Map(local.states.map((state) => [keyOf(state), state]));
  const merged: KindState[] = [];
  for (const theirs of stored.states) {
    const mine = localByKey.get(keyOf(theirs));
    localByKey.delete(keyOf(theirs));
    merged.push(mine ? mergeKind(theirs, baseByKey.get(keyOf(theirs)), mine) : structuredClone(theirs));
  }
  for (const mine of localByKey.values()) merged.push(mergeKind(undefined, baseByKey.get(keyOf(mine)), mine));
  return { version: 1, states: merged };
}

function mergeKind(stored: KindState | undefined, base: KindState | undefined, local: KindState): KindState {
  if (!stored) return structuredClone(local);
  const result: KindState = structuredClone(stored);
  for (const field of ADDITIVE) result[field] = nonNegative(stored[field] + local[field] - (base?.[field] ?? 0));
  if (local.costSamples > (base?.costSamples ?? 0)) {
    result.draftCostUsd = local.draftCostUsd;
    result.restCostUsd = local.restCostUsd;
  }
  if (local.referenceSamples > (base?.referenceSamples ?? 0)) result.referenceScore = local.referenceScore;
  const sameShape = stored.bins.length === local.bins.length && (base === undefined || base.bins.length === local.bins.length);
  if (sameShape) {
    result.bins = stored.bins.map((theirs, index) => {
      const mine = local.bins[index]!;
      const was = base?.bins[index];
      const bin = { ...theirs };
      for (const field of BIN_FIELDS) bin[field] = nonNegative(theirs[field] + mine[field] - (was?.[field] ?? 0));
      return bin;
    });
  }
  return result;
}
