import type { BinState, KindState, LearningState } from './learning-types';

/**
 * Field-wise arithmetic on learned states, so several processes can share one store without losing
 * each other's labels: each process sends what it learned since its last sync (`current − base`) and
 * the store adds that delta to whatever it holds (`stored + delta`). Every field is a (decayed) sum or
 * a running mean, so the sum of the processes' deltas is their combined evidence to first order in the
 * decay (two processes decaying the same shared history once each decay it about twice, as one process
 * seeing both streams would). Results are clamped to each field's domain.
 */

const BIN_FIELDS = ['mass', 'weight', 'weightSquared', 'loss', 'accepted'] as const satisfies readonly (keyof BinState)[];
/** Sums (decayed or not): deltas add. */
const SUM_FIELDS = [
  'requests', 'routed', 'drafted', 'undecidable', 'labels', 'costSamples', 'referenceSamples', 'auditCostUsd', 'spentUsd', 'baselineUsd',
] as const satisfies readonly (keyof KindState)[];
/** Running means and the count each is weighted by: a delta carries the current mean, merged by weight. */
const MEAN_FIELDS = [
  ['draftCostUsd', 'costSamples'],
  ['restCostUsd', 'costSamples'],
  ['referenceScore', 'referenceSamples'],
] as const satisfies readonly (readonly [keyof KindState, keyof KindState])[];

const keyOf = (state: KindState): string => `${state.drafterId}\u0000${state.kind}`;

function emptyLike(state: KindState): KindState {
  const empty = { ...state, bins: state.bins.map(() => ({ mass: 0, weight: 0, weightSquared: 0, loss: 0, accepted: 0 })) };
  for (const field of SUM_FIELDS) empty[field] = 0;
  for (const [field] of MEAN_FIELDS) empty[field] = 0;
  return empty;
}

/**
 * `left + sign · right`, field by field (bins by index; a missing bin or state counts as zero). Means:
 * a difference keeps `left`'s mean; a sum weighs the two means by `left`'s count and `right`'s count.
 */
function combine(left: KindState, right: KindState, sign: 1 | -1, clamp: boolean): KindState {
  const length = Math.max(left.bins.length, right.bins.length);
  const zero: BinState = { mass: 0, weight: 0, weightSquared: 0, loss: 0, accepted: 0 };
  const bins: BinState[] = [];
  for (let index = 0; index < length; index++) {
    const a = left.bins[index] ?? zero;
    const b = right.bins[index] ?? zero;
    const bin = { ...zero };
    for (const field of BIN_FIELDS) bin[field] = clampTo(a[field] + sign * b[field], clamp);
    // A bin's loss mass never exceeds its label weight (each label's loss is in 0..1).
    if (clamp) bin.loss = Math.min(bin.loss, bin.weight);
    bins.push(bin);
  }
  const result: KindState = { ...left, bins };
  for (const field of SUM_FIELDS) result[field] = clampTo(left[field] + sign * right[field], clamp);
  for (const [field, count] of MEAN_FIELDS) {
    if (sign < 0) continue; // a delta carries the current mean
    const had = Math.max(0, left[count]);
    const added = Math.max(0, right[count]);
    if (added > 0 && had + added > 0) result[field] = (left[field] * had + right[field] * added) / (had + added);
    else if (had === 0 && left[field] === 0) result[field] = right[field];
  }
  if (clamp) result.referenceScore = Math.min(1, Math.max(0, result.referenceScore));
  return result;
}

function clampTo(value: number, clamp: boolean): number {
  return clamp ? Math.max(0, value) : value;
}

/** What `current` learned since `base` (may hold negative fields: decay of the shared history). */
export function diffLearningStates(current: LearningState, base: LearningState | undefined): LearningState {
  const before = new Map((base?.states ?? []).map((state) => [keyOf(state), state]));
  return {
    version: 1,
    states: current.states.map((state) => combine(state, before.get(keyOf(state)) ?? emptyLike(state), -1, false)),
  };
}

/** `stored + delta`, clamped to each field's domain; states only one side has are kept as they are (clamped). */
export function addLearningStates(stored: LearningState | undefined, delta: LearningState): LearningState {
  const merged = new Map((stored?.states ?? []).map((state) => [keyOf(state), state]));
  for (const state of delta.states) {
    const key = keyOf(state);
    const existing = merged.get(key) ?? emptyLike(state);
    merged.set(key, combine(existing, state, 1, true));
  }
  return { version: 1, states: [...merged.values()] };
}
