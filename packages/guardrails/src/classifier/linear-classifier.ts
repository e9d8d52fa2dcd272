import { collectFeatures } from './hashed-features';
import { normalizeForFeatures } from './normalize-for-features';

/**
 * A multi-head logistic-regression classifier over hashed features, weights kept as int8 with one
 * scale per head. Weights are bucket-major (`weights[bucket * heads + head]`), so one feature is one
 * cache line for every head.
 */
export interface LinearClassifier {
  readonly heads: readonly string[];
  /** Number of hash buckets, a power of two. */
  readonly buckets: number;
  /** Quantized weights, `buckets × heads`, bucket-major. */
  readonly weights: Int8Array | Float32Array;
  /** Per head: the factor that turns a quantized weight back into a real one (1 for float weights). */
  readonly scales: readonly number[];
  readonly bias: readonly number[];
  /** Per head: Platt scaling `p = sigmoid(a · logit + b)` fitted on held-out sources. */
  readonly calibration: readonly (readonly [number, number])[];
  /** A prior that fades with evidence (see {@link EvidencePrior}); absent: none. */
  readonly prior?: EvidencePrior;
}

/**
 * `count` pseudo-features of fixed weight `weight` that every text has besides its own:
 * `logit = bias + (Σ weights + count · weight) / √(features + count)`. A text with a handful of
 * features ("ok") scores near `bias + weight · √count`, a long one is decided by its own features.
 */
export interface EvidencePrior {
  readonly count: number;
  readonly weight: number;
}

/** The scale of a window's summed weights: `1 / √(features + prior count)`, 0 for nothing at all. */
export function featureNorm(count: number, prior: EvidencePrior | undefined): number {
  const total = prior ? count + prior.count : count;
  return total === 0 ? 0 : 1 / Math.sqrt(total);
}

/** The prior's share of a window's sum (0 without a prior). */
export const priorSum = (prior: EvidencePrior | undefined): number => (prior ? prior.count * prior.weight : 0);

/**
 * Texts longer than this (normalized characters) are scored per window and each head takes its
 * highest window, so one hostile sentence in a long document is not averaged away.
 */
export const WINDOW_CHARS = 4_096;

const sigmoid = (value: number): number => 1 / (1 + Math.exp(-value));

/** Raw logits per head of an already normalized text (one window or a short text). */
export function logitsOfNormalized(classifier: LinearClassifier, normalized: string, out: Float64Array): void {
  const heads = classifier.heads.length;
  const sums = out;
  sums.fill(0);
  const { weights } = classifier;
  const features = collectFeatures(normalized, classifier.buckets - 1);
  const count = features.length;
  for (let feature = 0; feature < count; feature++) {
    const base = features[feature]! * heads;
    for (let head = 0; head < heads; head++) sums[head]! += weights[base + head]!;
  }
  const norm = featureNorm(count, classifier.prior);
  const extra = priorSum(classifier.prior);
  for (let head = 0; head < heads; head++) sums[head] = classifier.bias[head]! + (sums[head]! * classifier.scales[head]! + extra) * norm;
}

/** The windows of a normalized text: the whole text when short, else overlapping word-aligned slices. */
export function textWindows(normalized: string): string[] {
  if (normalized.length <= WINDOW_CHARS) return [normalized];
  const windows: string[] = [];
  const step = WINDOW_CHARS / 2;
  for (let start = 0; start < normalized.length; start += step) {
    let from = start;
    if (from > 0) {
      const space = normalized.indexOf(' ', from);
      from = space === -1 ? from : space + 1;
    }
    let to = Math.min(normalized.length, start + WINDOW_CHARS);
    if (to < normalized.length) {
      const space = normalized.lastIndexOf(' ', to);
      to = space > from ? space : to;
    }
    windows.push(normalized.slice(from, to));
    if (start + WINDOW_CHARS >= normalized.length) break;
  }
  return windows;
}

/** Uncalibrated logits per head of `text`: the maximum over its windows. */
export function classifierLogits(classifier: LinearClassifier, text: string): Float64Array {
  return classifierLogitsOfNormalized(classifier, normalizeForFeatures(text));
}

/** {@link classifierLogits} of a text already passed through `normalizeForFeatures`. */
export function classifierLogitsOfNormalized(classifier: LinearClassifier, normalized: string): Float64Array {
  const heads = classifier.heads.length;
  const best = new Float64Array(heads).fill(Number.NEGATIVE_INFINITY);
  const window = new Float64Array(heads);
  for (const slice of textWindows(normalized)) {
    logitsOfNormalized(classifier, slice, window);
    for (let head = 0; head < heads; head++) if (window[head]! > best[head]!) best[head] = window[head]!;
  }
  return best;
}

/** Calibrated probability per head of `text`, in the order of `classifier.heads`. */
export function classifierProbabilities(classifier: LinearClassifier, text: string): Float64Array {
  const logits = classifierLogits(classifier, text);
  for (let head = 0; head < logits.length; head++) {
    const [a, b] = classifier.calibration[head]!;
    logits[head] = sigmoid(a * logits[head]! + b);
  }
  return logits;
}

/**
 * Calibrated probability of one head for an already normalized text (`normalizeForFeatures`):
 * the same value as `classifierProbabilities(classifier, text)[head]` (same features, same sums in
 * the same order), for callers that need one head and have the normalized text already.
 */
export function headProbabilityOfNormalized(classifier: LinearClassifier, head: number, normalized: string): number {
  const [a, b] = classifier.calibration[head]!;
  return sigmoid(a * headLogitsOfNormalized(classifier, [head], normalized)[0]! + b);
}

/**
 * Compact weights of a few heads (`buckets × heads.length`, one head: that head's column): scoring
 * a few heads of a multi-head classifier then reads `heads.length` adjacent bytes per feature
 * instead of striding through `buckets × heads` bytes, which no longer fit the CPU caches (a cache
 * miss per feature made the moderation model ~2× slower). Building a table reads every bucket and
 * fills fresh memory, which costs a process's first short text far more than its few hundred cache
 * misses: the first {@link TABLE_AFTER_FEATURES} features are read from the interleaved weights,
 * then the table is built. The sums are the same either way (same weights, same order).
 */
interface HeadsTable {
  table: Int8Array | Float32Array | undefined;
  /** Features scored so far without the table. */
  scored: number;
}

/** Features scored from the interleaved weights before a compact table is built (a few KB of text). */
const TABLE_AFTER_FEATURES = 1 << 15;

const HEAD_TABLES = new WeakMap<LinearClassifier, Map<string, HeadsTable>>();

/** The compact table of `heads`, or undefined while too few features were scored to pay for it (`features`: those about to be scored). */
function headsTable(classifier: LinearClassifier, heads: readonly number[], features: number): Int8Array | Float32Array | undefined {
  // One head: the weights are that column already.
  if (classifier.heads.length === 1) return classifier.weights;
  let tables = HEAD_TABLES.get(classifier);
  if (!tables) HEAD_TABLES.set(classifier, (tables = new Map()));
  const key = heads.join(',');
  let entry = tables.get(key);
  if (!entry) tables.set(key, (entry = { table: undefined, scored: 0 }));
  if (entry.table) return entry.table;
  if (entry.scored + features <= TABLE_AFTER_FEATURES) {
    entry.scored += features;
    return undefined;
  }
  const all = classifier.heads.length;
  const { weights, buckets } = classifier;
  const width = heads.length;
  const table = weights instanceof Int8Array ? new Int8Array(buckets * width) : new Float32Array(buckets * width);
  for (let bucket = 0; bucket < buckets; bucket++) for (let index = 0; index < width; index++) table[bucket * width + index] = weights[bucket * all + heads[index]!]!;
  return (entry.table = table);
}

/**
 * Raw logits (the maximum over windows) of the heads `heads` only, for an already normalized text:
 * the same values as `classifierLogits` gives for those heads (same features, same sums in the same
 * order), reading a compact table of just those heads (see `headsTable` on why that matters).
 */
export function headLogitsOfNormalized(classifier: LinearClassifier, heads: readonly number[], normalized: string): Float64Array {
  const width = heads.length;
  const best = new Float64Array(width).fill(Number.NEGATIVE_INFINITY);
  const sums = new Float64Array(width);
  for (const slice of textWindows(normalized)) {
    sums.fill(0);
    const features = collectFeatures(slice, classifier.buckets - 1);
    const count = features.length;
    const table = headsTable(classifier, heads, count);
    if (!table) {
      const all = classifier.heads.length;
      const { weights } = classifier;
      for (let feature = 0; feature < count; feature++) {
        const base = features[feature]! * all;
        for (let index = 0; index < width; index++) sums[index]! += weights[base + heads[index]!]!;
      }
    } else if (width === 2) {
      // The moderator's case (two heads): two running sums the compiler keeps in registers.
      let first = 0;
      let second = 0;
      for (let feature = 0; feature < count; feature++) {
        const base = features[feature]! * 2;
        first += table[base]!;
        second += table[base + 1]!;
      }
      sums[0] = first;
      sums[1] = second;
    } else {
      for (let feature = 0; feature < count; feature++) {
        const base = features[feature]! * width;
        for (let index = 0; index < width; index++) sums[index]! += table[base + index]!;
      }
    }
    const norm = featureNorm(count, classifier.prior);
    const extra = priorSum(classifier.prior);
    for (let index = 0; index < width; index++) {
      const head = heads[index]!;
      const logit = classifier.bias[head]! + (sums[index]! * classifier.scales[head]! + extra) * norm;
      if (logit > best[index]!) best[index] = logit;
    }
  }
  return best;
}
