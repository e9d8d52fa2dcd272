/**
 * Hashed sparse features of normalized text (the hashing trick): word unigrams, word bigrams and
 * character 3-, 4- and 5-grams over the whole normalized string (so grams cross word boundaries and
 * "ihate" still shares most grams with "i hate"), as bucket indices. No allocation per feature or
 * per call. Linear in the text length.
 */

const FNV_PRIME = 16_777_619;
const UNIGRAM_SEED = 0x811c9dc5;
const BIGRAM_SEED = 0x9e3779b1;
const CHAR_SEED = 0x85ebca6b;

/** Final avalanche so that low bits (the bucket) depend on every input character. */
function mix(hash: number): number {
  let value = hash;
  value ^= value >>> 16;
  value = Math.imul(value, 0x7feb352d);
  value ^= value >>> 15;
  value = Math.imul(value, 0x846ca68b);
  value ^= value >>> 16;
  return value >>> 0;
}

/** Reused arrays of {@link collectFeatures} and {@link collectPositionedFeatures} (grown on demand): scoring allocates nothing per call. */
let featureBuffer = new Int32Array(16_384);
let positionBuffer = new Int32Array(16_384);
/** `" normalized "` as UTF-16 codes, reused like the buffers. */
let codeBuffer = new Uint16Array(4_096);

/** At most: one unigram and one bigram per word (≤ length/2 + 1 words), three grams per position. */
const mostFeatures = (length: number): number => length + 2 + 3 * (length + 2);
/** Scoring windows are ≤ 4,096 characters; a longer text gets arrays of its own rather than pinning megabytes in the module. */
const SHARED_LIMIT = 1 << 18;

function sharedCodes(length: number): Uint16Array {
  if (codeBuffer.length < length + 2) codeBuffer = new Uint16Array(Math.max(length + 2, codeBuffer.length * 2));
  return codeBuffer;
}

/**
 * Hashes the features of `normalized` into `out` (and, when given, each feature's position into
 * `at`: a word and its bigram at the word's last character, a character gram at its first) and
 * returns their count. The one definition of the features: training, scoring and segment scoring
 * all read it, so they cannot drift apart.
 */
function hashFeatures(normalized: string, mask: number, out: Int32Array, at: Int32Array | undefined, codes: Uint16Array): number {
  const length = normalized.length;
  let count = 0;
  // Words and bigrams.
  let previous = 0;
  let hasPrevious = false;
  let hash = UNIGRAM_SEED;
  let inWord = false;
  codes[0] = 32;
  for (let index = 0; index <= length; index++) {
    const code = index < length ? normalized.charCodeAt(index) : 32;
    codes[index + 1] = code;
    if (code === 32) {
      if (inWord) {
        const word = mix(hash);
        if (at) at[count] = index - 1;
        out[count++] = word & mask;
        if (hasPrevious) {
          if (at) at[count] = index - 1;
          out[count++] = mix(Math.imul(previous ^ BIGRAM_SEED, FNV_PRIME) ^ word) & mask;
        }
        previous = word;
        hasPrevious = true;
      }
      hash = UNIGRAM_SEED;
      inWord = false;
    } else {
      hash = Math.imul(hash ^ code, FNV_PRIME);
      inWord = true;
    }
  }
  // Character 3..5-grams over " text ", so word starts and ends are grams of their own.
  const total = length + 2;
  for (let start = 0; start + 3 <= total; start++) {
    // Padded index `start` is normalized index `start - 1` (the leading space counts as index 0).
    const position = start === 0 ? 0 : start - 1;
    let gram = Math.imul(CHAR_SEED ^ codes[start]!, FNV_PRIME);
    gram = Math.imul(gram ^ codes[start + 1]!, FNV_PRIME);
    gram = Math.imul(gram ^ codes[start + 2]!, FNV_PRIME);
    if (at) at[count] = position;
    out[count++] = mix(gram) & mask;
    if (start + 4 <= total) {
      gram = Math.imul(gram ^ codes[start + 3]!, FNV_PRIME);
      if (at) at[count] = position;
      out[count++] = mix(gram ^ 4) & mask;
      if (start + 5 <= total) {
        gram = Math.imul(gram ^ codes[start + 4]!, FNV_PRIME);
        if (at) at[count] = position;
        out[count++] = mix(gram ^ 5) & mask;
      }
    }
  }
  return count;
}

/**
 * The feature buckets of `normalized` (the output of `normalizeForFeatures`), in a fixed order:
 * words and their bigrams, then the character 3-, 4- and 5-grams, written straight into a reused
 * array — no callback per feature, so the hot loop stays monomorphic.
 *
 * @returns a view of a shared buffer, valid until the next call: copy it to keep it.
 * @param mask buckets − 1 (buckets a power of two)
 */
export function collectFeatures(normalized: string, mask: number): Int32Array {
  const length = normalized.length;
  const most = mostFeatures(length);
  if (most > SHARED_LIMIT) {
    const own = new Int32Array(most);
    return own.subarray(0, hashFeatures(normalized, mask, own, undefined, new Uint16Array(length + 2)));
  }
  if (featureBuffer.length < most) {
    featureBuffer = new Int32Array(Math.max(most, featureBuffer.length * 2));
    positionBuffer = new Int32Array(featureBuffer.length);
  }
  return featureBuffer.subarray(0, hashFeatures(normalized, mask, featureBuffer, undefined, sharedCodes(length)));
}

/**
 * Calls `visit(bucket)` once per feature of `normalized` (the output of `normalizeForFeatures`), in
 * the order of {@link collectFeatures}, and returns how many features it visited.
 *
 * @param normalized text from `normalizeForFeatures`
 * @param mask buckets − 1 (buckets a power of two)
 * @param visit called with each feature's bucket
 */
export function visitFeatures(normalized: string, mask: number, visit: (bucket: number) => void): number {
  const features = collectFeatures(normalized, mask);
  const count = features.length;
  for (let index = 0; index < count; index++) visit(features[index]!);
  return count;
}

/**
 * The features of {@link collectFeatures} (same buckets, same order) plus, per feature, where it
 * sits: `position` is an index into `normalized` (a word and its bigram at the word's last
 * character, a character gram at its first), so the features of any slice can be summed from one
 * pass (segment scoring) instead of hashing the slice again.
 *
 * @returns views of shared buffers, valid until the next call
 */
export function collectPositionedFeatures(normalized: string, mask: number): { features: Int32Array; positions: Int32Array } {
  const length = normalized.length;
  const most = mostFeatures(length);
  const own = most > SHARED_LIMIT;
  if (!own && featureBuffer.length < most) {
    featureBuffer = new Int32Array(Math.max(most, featureBuffer.length * 2));
    positionBuffer = new Int32Array(featureBuffer.length);
  }
  const out = own ? new Int32Array(most) : featureBuffer;
  const at = own ? new Int32Array(most) : positionBuffer;
  const count = hashFeatures(normalized, mask, out, at, own ? new Uint16Array(length + 2) : sharedCodes(length));
  return { features: out.subarray(0, count), positions: at.subarray(0, count) };
}
