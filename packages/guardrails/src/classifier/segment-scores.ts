import { collectFeatures, collectPositionedFeatures } from './hashed-features';
import { featureNorm, priorSum, textWindows, type LinearClassifier } from './linear-classifier';

/**
 * Segment-level scoring: an instruction hidden in a long email, table or code file is a few
 * hundred characters among thousands, and the whole-text score (features normalized by
 * 1/√count) dilutes it. Each window is also scored in overlapping segments of `chars` characters
 * (half overlapping), from the same feature pass (per-block sums), so the cost stays one hashing
 * pass plus O(length / chars) sums.
 */

/** Segments of a normalized text of `length` characters: `[from, to)` pairs, none when the text is one segment. */
export function segmentBounds(length: number, chars: number): number[] {
  if (length <= chars) return [];
  const bounds: number[] = [];
  const step = Math.max(1, Math.floor(chars / 2));
  for (let from = 0; ; from += step) {
    const to = Math.min(length, from + chars);
    bounds.push(from, to);
    if (to >= length) break;
  }
  return bounds;
}

/** Reused per-block sums (weight, count) of one window. */
let blockSums = new Float64Array(64);
let blockCounts = new Int32Array(64);

/** Whole-text (max over windows) and segment (max over segments) logits of one head. */
export interface SegmentLogits {
  whole: number;
  /** −∞ when the text is a single segment. */
  segment: number;
}

/**
 * Logits of head `head` of an already normalized text: `whole` equals the window maximum of
 * `headProbabilityOfNormalized` before calibration; `segment` is the highest segment logit. A
 * segment is two consecutive blocks of `chars / 2` characters (the segments of
 * {@link segmentBounds}), so each feature adds to one block sum and each segment is one addition.
 *
 * @param column the head's weights, one per bucket
 */
export function segmentLogitsOfNormalized(classifier: LinearClassifier, head: number, normalized: string, chars: number, column: Int8Array | Float32Array): SegmentLogits {
  let whole = Number.NEGATIVE_INFINITY;
  let segment = Number.NEGATIVE_INFINITY;
  const bias = classifier.bias[head]!;
  const scale = classifier.scales[head]!;
  const { prior } = classifier;
  const extra = priorSum(prior);
  const half = Math.max(1, Math.floor(chars / 2));
  for (const slice of textWindows(normalized)) {
    const length = slice.length;
    if (length <= chars) {
      const features = collectFeatures(slice, classifier.buckets - 1);
      const count = features.length;
      let sum = 0;
      for (let feature = 0; feature < count; feature++) sum += column[features[feature]!]!;
      const logit = bias + (sum * scale + extra) * featureNorm(count, prior);
      if (logit > whole) whole = logit;
      continue;
    }
    const { features, positions } = collectPositionedFeatures(slice, classifier.buckets - 1);
    const count = features.length;
    const blocks = Math.ceil(length / half);
    if (blockSums.length < blocks) {
      blockSums = new Float64Array(blocks);
      blockCounts = new Int32Array(blocks);
    }
    blockSums.fill(0, 0, blocks);
    blockCounts.fill(0, 0, blocks);
    let total = 0;
    for (let feature = 0; feature < count; feature++) {
      const weight = column[features[feature]!]!;
      total += weight;
      const block = Math.min(blocks - 1, (positions[feature]! / half) | 0);
      blockSums[block]! += weight;
      blockCounts[block]!++;
    }
    const logit = bias + (total * scale + extra) * featureNorm(count, prior);
    if (logit > whole) whole = logit;
    for (let block = 0; block + 1 < blocks; block++) {
      const inside = blockCounts[block]! + blockCounts[block + 1]!;
      if (inside === 0) continue;
      const value = bias + ((blockSums[block]! + blockSums[block + 1]!) * scale + extra) * featureNorm(inside, prior);
      if (value > segment) segment = value;
    }
  }
  return { whole, segment };
}
