/**
 * Hashed sparse features of normalized text (the hashing trick): word unigrams, word bigrams and
 * character 3-, 4- and 5-grams over the whole normalized string (so grams cross word boundaries and
 * "ihate" still shares most grams with "i hate"). One pass, no allocation per feature: each feature
 * is handed to `visit` as a bucket index. Linear in the text length.
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

/**
 * Calls `visit(bucket)` once per feature occurrence of `normalized` (the output of
 * `normalizeForFeatures`) and returns how many features it visited.
 *
 * @param normalized text from `normalizeForFeatures`
 * @param mask buckets − 1 (buckets a power of two)
 * @param visit called with each feature's bucket
 */
export function visitFeatures(normalized: string, mask: number, visit: (bucket: number) => void): number {
  let count = 0;
  // Words and bigrams.
  let previous = 0;
  let hasPrevious = false;
  let hash = UNIGRAM_SEED;
  let inWord = false;
  for (let index = 0; index <= normalized.length; index++) {
    const code = index < normalized.length ? normalized.charCodeAt(index) : 32;
    if (code === 32) {
      if (inWord) {
        const word = mix(hash);
        visit(word & mask);
        count++;
        if (hasPrevious) {
          visit(mix(Math.imul(previous ^ BIGRAM_SEED, FNV_PRIME) ^ word) & mask);
          count++;
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
  const length = normalized.length + 2;
  const at = (index: number): number => (index === 0 || index === length - 1 ? 32 : normalized.charCodeAt(index - 1));
  for (let start = 0; start + 3 <= length; start++) {
    let gram = CHAR_SEED;
    gram = Math.imul(gram ^ at(start), FNV_PRIME);
    gram = Math.imul(gram ^ at(start + 1), FNV_PRIME);
    gram = Math.imul(gram ^ at(start + 2), FNV_PRIME);
    visit(mix(gram) & mask);
    count++;
    if (start + 4 <= length) {
      gram = Math.imul(gram ^ at(start + 3), FNV_PRIME);
      visit(mix(gram ^ 4) & mask);
      count++;
      if (start + 5 <= length) {
        gram = Math.imul(gram ^ at(start + 4), FNV_PRIME);
        visit(mix(gram ^ 5) & mask);
        count++;
      }
    }
  }
  return count;
}
